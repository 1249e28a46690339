//! The tagger's weights laid out for tagging: one feature, one cache line.
//!
//! Tagging looks up about a hundred feature hashes per token in a table of some 200,000,
//! at random: the lookups, not the arithmetic, were a fifth of the whole pipeline's time
//! (docs/performance.md). A `HashMap<u64, u32>` into a separate weight array costs up to
//! three cache misses per feature (control bytes, entry, weight row); here the key and its
//! nine weights share one 64-byte slot of an open-addressing table kept under half full,
//! so a hit is about one miss and most misses (features the model never kept) end at the
//! first empty slot. The sums are the same additions in the same order, so tags are
//! bit-for-bit those of the map.

use super::features::NT;

/// One feature: its hash and its weight per tag, on one cache line.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
struct Slot {
    key: u64,
    w: [f32; NT],
    used: bool,
}

const EMPTY: Slot = Slot { key: 0, w: [0.0; NT], used: false };

/// Feature hash → weights per tag (linear probing; keys are well-mixed 64-bit hashes, so
/// their low bits pick the slot).
#[derive(Clone, Debug, Default)]
pub struct FlatWeights {
    slots: Vec<Slot>,
    len: usize,
}

impl FlatWeights {
    /// A table of `rows` (a repeated key keeps its last weights, as a map insert does).
    pub fn from_rows(rows: impl IntoIterator<Item = (u64, [f32; NT])>) -> FlatWeights {
        let rows: Vec<_> = rows.into_iter().collect();
        // At most half full: a lookup of an absent key stops after about two probes.
        let cap = (rows.len() * 2).next_power_of_two().max(16);
        let mut t = FlatWeights { slots: vec![EMPTY; cap], len: 0 };
        for (k, w) in rows {
            t.insert(k, w);
        }
        t
    }

    fn insert(&mut self, key: u64, w: [f32; NT]) {
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        loop {
            let s = &mut self.slots[i];
            if !s.used {
                *s = Slot { key, w, used: true };
                self.len += 1;
                return;
            }
            if s.key == key {
                s.w = w;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// The weights of feature `key`, if the model has it.
    #[inline]
    pub fn get(&self, key: u64) -> Option<&[f32; NT]> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = key as usize & mask;
        loop {
            let s = self.slots.get(i)?;
            if !s.used {
                return None;
            }
            if s.key == key {
                return Some(&s.w);
            }
            i = (i + 1) & mask;
        }
    }

    /// Asks the CPU to start loading the slot where `key` would be, so that a run of
    /// lookups (a token's hundred features) waits on memory once, not a hundred times.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        if let Some(mask) = self.slots.len().checked_sub(1) {
            prefetch(self.slots.as_ptr().wrapping_add(key as usize & mask));
        }
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Every feature and its weights, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &[f32; NT])> + '_ {
        self.slots.iter().filter(|s| s.used).map(|s| (s.key, &s.w))
    }
}

/// Asks the CPU to start loading `p`'s cache line: a hint, which never faults whatever the
/// address (the tagger's and the subtype classifier's tables use it alike).
#[inline]
pub(super) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint that never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_key_it_holds_and_none_it_does_not() {
        let rows: Vec<(u64, [f32; NT])> = (0..1000u64).map(|k| (k.wrapping_mul(0x9e37_79b9_7f4a_7c15), [k as f32; NT])).collect();
        let t = FlatWeights::from_rows(rows.iter().copied());
        assert_eq!(t.len(), 1000);
        for (k, w) in &rows {
            assert_eq!(t.get(*k), Some(w));
        }
        // Keys that collide on their low bits still each find their own slot.
        let t2 = FlatWeights::from_rows([(5u64, [1.0; NT]), (5 + (1 << 40), [2.0; NT]), (5, [3.0; NT])]);
        assert_eq!(t2.len(), 2);
        assert_eq!(t2.get(5), Some(&[3.0; NT]));
        assert_eq!(t2.get(5 + (1 << 40)), Some(&[2.0; NT]));
        assert_eq!(t2.get(6), None);
        assert_eq!(FlatWeights::default().get(1), None);
        assert_eq!(t.iter().count(), 1000);
    }
}
