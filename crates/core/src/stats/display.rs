//! How figures are written for people in the page's tables: whole numbers with thousands
//! separators, fractions with decimals that never make two different values read the same.

/// A tutorial | strict pair, written with the same number of decimals, and with more (up to
/// six) when two values that differ would otherwise read the same ("0.999" and "1.000", not
/// "1.00" and "1"). Whole numbers stay whole when both are.
pub fn show_pair(t: f64, st: f64) -> (String, String) {
    if is_whole(t) && is_whole(st) {
        return (show(t), show(st));
    }
    let mut decimals = 2;
    loop {
        let pair = (format!("{t:.decimals$}"), format!("{st:.decimals$}"));
        if pair.0 != pair.1 || t == st || decimals == 6 {
            return pair;
        }
        decimals += 1;
    }
}

fn is_whole(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() < 1e15
}

/// A figure for a table: whole numbers with thousands separators, others with two decimals.
pub fn show(v: f64) -> String {
    if is_whole(v) {
        // `is_whole` bounds the value well inside u64.
        let digits = group(v.abs() as u64);
        if v < 0.0 {
            format!("-{digits}")
        } else {
            digits
        }
    } else {
        format!("{v:.2}")
    }
}

/// A count with thousands separators ("1,586"); `data-value` hooks keep the exact number.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file size for people, in decimal units ("508 MB", "1.2 GB", "950 B").
pub fn size(bytes: u64) -> String {
    let b = bytes as f64;
    let (value, unit) = match bytes {
        n if n >= 1_000_000_000 => (b / 1e9, "GB"),
        n if n >= 1_000_000 => (b / 1e6, "MB"),
        n if n >= 1_000 => (b / 1e3, "KB"),
        _ => return format!("{bytes} B"),
    };
    if value >= 100.0 {
        format!("{value:.0} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

/// A reading speed for people, in MB/s with as many decimals as it takes for a speed that is
/// not zero never to read "0" (a 0.1 MB file read in a few milliseconds is not "0 MB/s").
pub fn mb_per_s(bytes: f64, secs: f64) -> String {
    let rate = if secs > 0.0 { bytes / 1e6 / secs } else { 0.0 };
    let decimals = match rate {
        r if r >= 10.0 || r == 0.0 => 0,
        r if r >= 1.0 => 1,
        r if r >= 0.1 => 2,
        _ => 3,
    };
    format!("{rate:.decimals$} MB/s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(950), "950 B");
        assert_eq!(size(12_345), "12.3 KB");
        assert_eq!(size(508_000_000), "508 MB");
        assert_eq!(size(1_234_000_000), "1.2 GB");
    }

    #[test]
    fn pairs_that_differ_never_read_the_same() {
        assert_eq!(show_pair(0.9986, 1.0), ("0.999".into(), "1.000".into()));
        assert_eq!(show_pair(24.91, 24.91), ("24.91".into(), "24.91".into()));
        assert_eq!(show_pair(2759.0, 2757.0), ("2,759".into(), "2,757".into()));
        assert_eq!(show_pair(97.0, 63.5), ("97.00".into(), "63.50".into()));
        assert_eq!(
            show_pair(1.0, 1.0 + 1e-9),
            ("1.000000".into(), "1.000000".into())
        );
    }

    #[test]
    fn speeds_never_read_zero_unless_they_are() {
        assert_eq!(mb_per_s(120e6, 1.0), "120 MB/s");
        assert_eq!(mb_per_s(3.8e6, 0.5), "7.6 MB/s");
        assert_eq!(mb_per_s(0.1e6, 0.4), "0.25 MB/s");
        assert_eq!(mb_per_s(2e3, 1.0), "0.002 MB/s");
        assert_eq!(mb_per_s(0.0, 1.0), "0 MB/s");
        assert_eq!(mb_per_s(5.0, 0.0), "0 MB/s");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1586), "1,586");
        assert_eq!(group(1_234_567), "1,234,567");
        assert_eq!(show(-1_234_567.0), "-1,234,567");
        assert_eq!(show(4982.0), "4,982");
    }
}
