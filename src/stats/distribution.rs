//! Exact, mergeable distributions: a value → count map (`Hist`). Means, medians, p90 and the
//! chart bins are computed from the map, so the quantiles of merged parts equal the whole's
//! (no sketch). Quantiles interpolate linearly between order statistics (numpy's default;
//! the median equals Python's `statistics.median`), computed with the same float operations as
//! the Python oracle so the figures agree to the digit.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many values were seen, by value. Serialised as a JSON object `{"value": count}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hist(pub BTreeMap<u32, u64>);

/// One bin of a histogram for charts: values in `lo..=hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bin {
    pub lo: u32,
    pub hi: u32,
    pub count: u64,
}

impl Hist {
    pub fn add(&mut self, value: u32) {
        *self.0.entry(value).or_default() += 1;
    }

    pub fn add_usize(&mut self, value: usize) {
        self.add(u32::try_from(value).unwrap_or(u32::MAX));
    }

    pub fn merge(&mut self, other: &Hist) {
        for (k, v) in &other.0 {
            *self.0.entry(*k).or_default() += v;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.0.values().sum()
    }

    /// Sum of the values.
    pub fn sum(&self) -> u64 {
        self.0.iter().map(|(k, v)| u64::from(*k) * v).sum()
    }

    /// Mean (0 when empty).
    pub fn mean(&self) -> f64 {
        super::ratio(self.sum(), self.count())
    }

    pub fn min(&self) -> Option<u32> {
        self.0.keys().next().copied()
    }

    pub fn max(&self) -> Option<u32> {
        self.0.keys().next_back().copied()
    }

    /// The value at 0-based rank `i` in sorted order.
    fn at_rank(&self, i: u64) -> u32 {
        let mut seen = 0;
        for (k, v) in &self.0 {
            seen += v;
            if i < seen {
                return *k;
            }
        }
        self.max().unwrap_or(0)
    }

    /// The `p`-quantile (0 ≤ p ≤ 1), linear between order statistics; 0 when empty.
    pub fn quantile(&self, p: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return 0.0;
        }
        let pos = p * (n - 1) as f64;
        let lo = pos.floor();
        let hi = pos.ceil();
        let x_lo = f64::from(self.at_rank(lo as u64));
        let x_hi = f64::from(self.at_rank(hi as u64));
        x_lo + (x_hi - x_lo) * (pos - lo)
    }

    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    pub fn p90(&self) -> f64 {
        self.quantile(0.9)
    }

    /// `n` equal-width integer bins from the smallest to the largest value (fewer when the
    /// range is narrower than `n`); empty when there are no values.
    pub fn bins(&self, n: u32) -> Vec<Bin> {
        let (Some(min), Some(max)) = (self.min(), self.max()) else {
            return Vec::new();
        };
        let n = n.max(1);
        let span = u64::from(max - min) + 1;
        let width = span.div_ceil(u64::from(n)).max(1);
        let count = span.div_ceil(width);
        let mut out: Vec<Bin> = (0..count)
            .map(|i| {
                let lo = u64::from(min) + i * width;
                let hi = (lo + width - 1).min(u64::from(max));
                Bin {
                    lo: lo as u32,
                    hi: hi as u32,
                    count: 0,
                }
            })
            .collect();
        for (k, v) in &self.0 {
            let i = (u64::from(k - min) / width) as usize;
            if let Some(b) = out.get_mut(i) {
                b.count += v;
            }
        }
        out
    }

    /// The figures a report shows for a distribution.
    pub fn describe(&self) -> serde_json::Value {
        serde_json::json!({
            "count": self.count(),
            "sum": self.sum(),
            "mean": self.mean(),
            "median": self.median(),
            "p90": self.p90(),
            "min": self.min().unwrap_or(0),
            "max": self.max().unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(values: &[u32]) -> Hist {
        let mut h = Hist::default();
        for v in values {
            h.add(*v);
        }
        h
    }

    #[test]
    fn known_quantiles() {
        let h = of(&[1, 2, 3, 4]);
        assert_eq!(h.count(), 4);
        assert_eq!(h.sum(), 10);
        assert_eq!(h.mean(), 2.5);
        assert_eq!(h.median(), 2.5);
        // numpy.percentile([1,2,3,4], 90) == 3.7
        assert!((h.p90() - 3.7).abs() < 1e-12);
        let h = of(&[5, 1, 3]);
        assert_eq!(h.median(), 3.0);
        assert_eq!(of(&[]).median(), 0.0);
        assert_eq!(of(&[7]).p90(), 7.0);
        let h = of(&(1..=10).collect::<Vec<_>>());
        assert!((h.p90() - 9.1).abs() < 1e-12);
    }

    #[test]
    fn bins_cover_every_value() {
        let h = of(&(0..=99).collect::<Vec<_>>());
        let b = h.bins(40);
        assert_eq!(b.iter().map(|b| b.count).sum::<u64>(), 100);
        assert!(b.len() <= 40);
        assert_eq!(b[0].lo, 0);
        assert_eq!(b.last().map(|b| b.hi), Some(99));
        let one = of(&[3, 3]);
        assert_eq!(
            one.bins(40),
            [Bin {
                lo: 3,
                hi: 3,
                count: 2
            }]
        );
    }

    #[test]
    fn merged_quantiles_equal_the_whole_at_every_split() {
        let values: Vec<u32> = (0..60u32).map(|i| (i * 37 + 11) % 23 + i / 7).collect();
        let whole = of(&values);
        for cut in 0..=values.len() {
            let mut a = of(&values[..cut]);
            a.merge(&of(&values[cut..]));
            assert_eq!(a, whole);
            assert_eq!(a.median(), whole.median());
            assert_eq!(a.p90(), whole.p90());
        }
    }
}
