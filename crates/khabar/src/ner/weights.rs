//! The tagger's weights laid out for tagging: a small probe table over dense weight rows.
//!
//! Tagging looks up about a hundred feature hashes per token in a table of some 200,000,
//! at random: the lookups, not the arithmetic, were a fifth of the whole pipeline's time
//! (docs/performance.md). A `HashMap<u64, u32>` into a separate weight array costs up to
//! three cache misses per feature (control bytes, entry, weight row). Here the probe table
//! holds only each key and its row number (16 bytes, four slots to a cache line, kept under
//! half full), so a feature the model never kept, the common case, ends in that table; a
//! kept one reads its nine weights from a dense array. An earlier layout put key and
//! weights on one 64-byte line per slot: one miss fewer per hit, but 33 MB for the committed
//! model where this takes 16 MB (the probe table 8 MB, the rows 8 MB), and the rows'
//! table is what keeps a two-thread run's peak under its memory target. The sums are the
//! same additions in the same order, so tags are bit-for-bit those of a map.

use super::features::NT;

/// One probe slot: a feature's hash and its row in [`FlatWeights::rows`].
#[derive(Clone, Copy, Debug)]
#[repr(C, align(16))]
struct Probe {
    key: u64,
    /// The row, or [`EMPTY_ROW`] for a free slot.
    row: u32,
}

const EMPTY_ROW: u32 = u32::MAX;
const EMPTY: Probe = Probe { key: 0, row: EMPTY_ROW };

/// Feature hash → weights per tag (linear probing; keys are well-mixed 64-bit hashes, so
/// their low bits pick the slot).
#[derive(Clone, Debug, Default)]
pub struct FlatWeights {
    probes: Vec<Probe>,
    rows: Vec<[f32; NT]>,
}

impl FlatWeights {
    /// A table of `rows` (a repeated key keeps its last weights, as a map insert does).
    pub fn from_rows(rows: impl IntoIterator<Item = (u64, [f32; NT])>) -> FlatWeights {
        let rows = rows.into_iter();
        let hint = rows.size_hint().0;
        let mut t = FlatWeights::default();
        t.rows.reserve(hint);
        t.grow_to(hint);
        for (k, w) in rows {
            if (t.rows.len() + 1) * 2 > t.probes.len() {
                t.grow_to(t.rows.len() + 1);
            }
            t.insert(k, w);
        }
        t
    }

    /// Rebuilds the probe table for at least `n` keys, at most half full: a lookup of an
    /// absent key then stops after about two probes.
    fn grow_to(&mut self, n: usize) {
        let cap = (n * 2).next_power_of_two().max(16);
        if cap <= self.probes.len() {
            return;
        }
        let old = std::mem::replace(&mut self.probes, vec![EMPTY; cap]);
        for p in old.into_iter().filter(|p| p.row != EMPTY_ROW) {
            let i = self.free_slot(p.key);
            self.probes[i] = p;
        }
    }

    /// The slot holding `key`, or the free slot where it would go.
    fn free_slot(&self, key: u64) -> usize {
        let mask = self.probes.len() - 1;
        let mut i = key as usize & mask;
        while self.probes[i].row != EMPTY_ROW && self.probes[i].key != key {
            i = (i + 1) & mask;
        }
        i
    }

    fn insert(&mut self, key: u64, w: [f32; NT]) {
        let i = self.free_slot(key);
        match self.probes[i].row {
            EMPTY_ROW => {
                // A 4-billion-feature model (150 GB of weights) cannot be read or trained
                // here; were there one, its last rows would share a row rather than wrap.
                let row = u32::try_from(self.rows.len()).unwrap_or(EMPTY_ROW - 1);
                self.probes[i] = Probe { key, row };
                self.rows.push(w);
            }
            row => self.rows[row as usize] = w,
        }
    }

    /// The weights of feature `key`, if the model has it.
    #[inline]
    pub fn get(&self, key: u64) -> Option<&[f32; NT]> {
        let mask = self.probes.len().checked_sub(1)?;
        let mut i = key as usize & mask;
        loop {
            let p = self.probes.get(i)?;
            if p.row == EMPTY_ROW {
                return None;
            }
            if p.key == key {
                return self.rows.get(p.row as usize);
            }
            i = (i + 1) & mask;
        }
    }

    /// Asks the CPU to start loading the slot where `key` would be, so that a run of
    /// lookups (a token's hundred features) waits on memory once, not a hundred times.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        if let Some(mask) = self.probes.len().checked_sub(1) {
            prefetch(self.probes.as_ptr().wrapping_add(key as usize & mask));
        }
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Every feature and its weights, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &[f32; NT])> + '_ {
        self.probes.iter().filter(|p| p.row != EMPTY_ROW).filter_map(|p| Some((p.key, self.rows.get(p.row as usize)?)))
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

    #[test]
    fn a_table_built_from_rows_of_unknown_count_grows_and_keeps_them_all() {
        // `filter` hides the count, so the probe table starts small and is rebuilt as it fills.
        let t = FlatWeights::from_rows((0..5000u64).filter(|k| k % 2 == 0).map(|k| (k.wrapping_mul(0x9e37_79b9_7f4a_7c15), [k as f32; NT])));
        assert_eq!(t.len(), 2500);
        for k in (0..5000u64).filter(|k| k % 2 == 0) {
            assert_eq!(t.get(k.wrapping_mul(0x9e37_79b9_7f4a_7c15)), Some(&[k as f32; NT]));
        }
        assert_eq!(t.get(1u64.wrapping_mul(0x9e37_79b9_7f4a_7c15)), None);
        // At most half full after the rebuilds, so absent keys stay cheap.
        assert!(t.probes.len() >= 2 * t.len());
    }
}
