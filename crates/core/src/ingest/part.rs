//! Which share of a file one worker reads, so several workers can read one file at once.

use serde::{Deserialize, Serialize};

/// Part `index` of `count` (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub index: u32,
    pub count: u32,
}

impl Default for Part {
    fn default() -> Self {
        Part::WHOLE
    }
}

impl Part {
    pub const WHOLE: Part = Part { index: 0, count: 1 };

    /// This part's share `[start, end)` of `len` bytes.
    pub fn byte_range(self, len: u64) -> (u64, u64) {
        (self.share(len, self.index), self.share(len, self.index + 1))
    }

    /// This part's share of `n` items (row groups).
    pub fn index_range(self, n: usize) -> std::ops::Range<usize> {
        self.share(n as u64, self.index) as usize..self.share(n as u64, self.index + 1) as usize
    }

    /// The rows of a file of row groups (`group_rows`: the rows of each, in order) that this
    /// part reads: an even share of the file's rows, so a file with fewer row groups than
    /// workers (one, as pyarrow and polars write any file under a million rows) is still read
    /// by every worker. A boundary between parts moves to the nearest row-group boundary when
    /// that changes a part's share by at most an eighth, so a file of many groups is split
    /// between groups and no group is decoded by two workers.
    pub fn row_shares(self, group_rows: &[u64]) -> Vec<GroupShare> {
        let total: u64 = group_rows.iter().sum();
        let (lo, hi) = (
            self.row_boundary(group_rows, total, self.index),
            self.row_boundary(group_rows, total, self.index + 1),
        );
        let mut shares = Vec::new();
        let mut start = 0u64;
        for (group, &rows) in group_rows.iter().enumerate() {
            let (from, to) = (lo.max(start), hi.min(start + rows));
            if from < to {
                shares.push(GroupShare {
                    group,
                    skip: from.saturating_sub(start),
                    rows: to.saturating_sub(from),
                    of: rows,
                });
            }
            start += rows;
        }
        shares
    }

    /// Where part `i` begins, in rows of the file (see `row_shares`).
    fn row_boundary(self, group_rows: &[u64], total: u64, i: u32) -> u64 {
        let even = self.share(total, i);
        let slack = total / u64::from(self.count.max(1)) / 8;
        let mut start = 0u64;
        let mut nearest = 0u64;
        for &rows in group_rows {
            if start.abs_diff(even) < nearest.abs_diff(even) {
                nearest = start;
            }
            start += rows;
        }
        if start.abs_diff(even) < nearest.abs_diff(even) {
            nearest = start;
        }
        if nearest.abs_diff(even) <= slack {
            nearest
        } else {
            even
        }
    }

    fn share(self, len: u64, i: u32) -> u64 {
        let count = u128::from(self.count.max(1));
        (u128::from(len) * u128::from(i.min(self.count)) / count) as u64
    }
}

/// The rows of one row group that a part reads: `rows` rows after the first `skip`, of the
/// group's `of`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupShare {
    pub group: usize,
    pub skip: u64,
    pub rows: u64,
    pub of: u64,
}

impl GroupShare {
    /// The part reads the whole group.
    pub fn whole(&self) -> bool {
        self.skip == 0 && self.rows == self.of
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_tile_the_whole() {
        for count in 1..7u32 {
            let mut next = 0;
            for index in 0..count {
                let (a, b) = Part { index, count }.byte_range(1001);
                assert_eq!(a, next);
                next = b;
            }
            assert_eq!(next, 1001);
            let covered: usize = (0..count)
                .map(|index| Part { index, count }.index_range(5).len())
                .sum();
            assert_eq!(covered, 5);
        }
        assert_eq!(Part::WHOLE.byte_range(u64::MAX), (0, u64::MAX));
    }

    /// Every row of every layout is read by exactly one part, in order.
    #[test]
    fn row_shares_tile_every_row_group() {
        let layouts: [&[u64]; 7] = [
            &[3000],
            &[1000, 1000, 1000],
            &[64; 47],
            &[13; 10],
            &[5, 0, 7, 0],
            &[1],
            &[],
        ];
        for groups in layouts {
            for count in 1..6u32 {
                let mut next = vec![0u64; groups.len()];
                for index in 0..count {
                    for s in (Part { index, count }).row_shares(groups) {
                        assert_eq!(s.skip, next[s.group], "{groups:?} in {count}");
                        assert!(s.rows > 0 && s.of == groups[s.group]);
                        next[s.group] += s.rows;
                    }
                }
                assert_eq!(next, groups, "{groups:?} in {count}");
            }
        }
    }

    #[test]
    fn row_shares_split_few_groups_and_keep_many_whole() {
        let half = |groups: &[u64]| [0, 1].map(|index| Part { index, count: 2 }.row_shares(groups));
        let [a, b] = half(&[3000]);
        assert_eq!(
            (a[0].skip, a[0].rows, b[0].skip, b[0].rows),
            (0, 1500, 1500, 1500)
        );
        let [a, b] = half(&[1000, 1000, 1000]);
        assert_eq!(a.iter().map(|s| s.rows).sum::<u64>(), 1500);
        assert!(!a[1].whole() && !b[0].whole(), "the middle group is shared");
        let [a, b] = half(&[64; 47]);
        assert!(
            a.iter().chain(&b).all(GroupShare::whole),
            "split between groups"
        );
        let rows = |s: &[GroupShare]| s.iter().map(|s| s.rows).sum::<u64>();
        assert_eq!((rows(&a), rows(&b)), (1472, 1536));
    }
}
