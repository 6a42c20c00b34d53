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

    fn share(self, len: u64, i: u32) -> u64 {
        let count = u128::from(self.count.max(1));
        (u128::from(len) * u128::from(i.min(self.count)) / count) as u64
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
}
