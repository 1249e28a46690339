/// Byte offset → Unicode code point offset for one document, computed once.
///
/// The contract's offsets are code points (Python's `str` indices); the pipeline works in
/// bytes. Building the index is one pass over the text; each lookup is O(1).
#[derive(Debug, Clone)]
pub struct CodepointIndex {
    /// For ASCII-only text the byte offset *is* the code point offset.
    ascii: bool,
    /// Code point offset of every byte position `0..=len` (only filled when not ASCII).
    cp: Vec<u32>,
}

impl CodepointIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> CodepointIndex {
        if text.is_ascii() {
            return CodepointIndex { ascii: true, cp: Vec::new() };
        }
        let mut cp = Vec::with_capacity(text.len() + 1);
        let mut n = 0u32;
        for c in text.chars() {
            for _ in 0..c.len_utf8() {
                cp.push(n);
            }
            n += 1;
        }
        cp.push(n);
        CodepointIndex { ascii: false, cp }
    }

    /// The code point offset of byte offset `byte` (which must be on a char boundary;
    /// offsets past the end clamp to the end).
    #[inline]
    pub fn cp(&self, byte: u32) -> u32 {
        if self.ascii {
            return byte;
        }
        let i = (byte as usize).min(self.cp.len().saturating_sub(1));
        self.cp.get(i).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_code_points_not_bytes() {
        let t = "قال: hi «نعم»";
        let idx = CodepointIndex::new(t);
        for (cpos, (b, _)) in t.char_indices().enumerate() {
            assert_eq!(idx.cp(b as u32), cpos as u32);
        }
        assert_eq!(idx.cp(t.len() as u32), t.chars().count() as u32);
    }
}
