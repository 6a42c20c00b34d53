//! The deterministic train/validation split: a row's side depends only on its key and the seed
//! (FNV-1a, then a SplitMix64 finaliser), so it is the same in any worker, part or run.

use super::options::Split;

/// Which output a row goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Train,
    Validation,
}

/// The side of the row with this key (its id, else `file#row`).
pub fn side(split: Option<Split>, key: &str) -> Side {
    let Some(split) = split else {
        return Side::Train;
    };
    if hash(split.seed, key) % 100 < u64::from(split.validation.get()) {
        Side::Validation
    } else {
        Side::Train
    }
}

fn hash(seed: u64, key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.to_le_bytes().iter().chain(key.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Percent;

    fn split(p: u8, seed: u64) -> Option<Split> {
        Some(Split {
            validation: Percent::try_from(p).unwrap(),
            seed,
        })
    }

    #[test]
    fn share_and_stability() {
        let keys: Vec<String> = (0..10_000).map(|i| format!("row-{i}")).collect();
        let val = keys
            .iter()
            .filter(|k| side(split(10, 7), k) == Side::Validation)
            .count();
        assert!((800..1200).contains(&val), "{val}");
        // Same key and seed, same side; another seed moves some rows.
        assert!(keys
            .iter()
            .all(|k| side(split(10, 7), k) == side(split(10, 7), k)));
        assert!(keys
            .iter()
            .any(|k| side(split(10, 7), k) != side(split(10, 8), k)));
        assert!(keys.iter().all(|k| side(split(0, 7), k) == Side::Train));
        assert!(keys
            .iter()
            .all(|k| side(split(100, 7), k) == Side::Validation));
        assert!(keys.iter().all(|k| side(None, k) == Side::Train));
    }
}
