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
        let s = format!("{v:.0}");
        let n = s.len();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && c != '-' && (n - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
