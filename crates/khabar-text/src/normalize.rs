//! Normalization profiles, as pure table-driven functions, and [`NormalizedText`]: a
//! normalized string with an exact map back to the original bytes.
//!
//! # Profiles
//!
//! | change | `light` | `search` |
//! |---|---|---|
//! | zero-width characters, bidi controls, soft hyphen: removed | ✓ | ✓ |
//! | tatweel `ـ`: removed | ✓ | ✓ |
//! | presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFC) and fullwidth forms: NFKC (`ﻻ` → `لا`) | ✓ | ✓ |
//! | Persian `ی` `ک` → Arabic `ي` `ك`; no-break and other Unicode spaces → space | ✓ | ✓ |
//! | diacritics (harakat, tanween, shadda, sukun, superscript alef): removed | | ✓ |
//! | hamzated and wasla alefs `أ إ آ ٱ` → `ا` | | ✓ |
//! | alef maqsura `ى` → `ي`; ta marbuta `ة` → `ه` | | ✓ |
//! | hamza on a seat: `ؤ` → `و`, `ئ` → `ي` (so فائز meets فايز); lone hamza `ء` kept | | ✓ |
//! | Arabic-Indic `٠–٩` and Persian `۰–۹` digits → ASCII; `٫` → `.`, `٬` → `,`, `٪` → `%` | | ✓ |
//! | Latin letters lowercased | | ✓ |
//!
//! `light` never changes what a word means: it only removes invisible or decorative
//! characters and unifies code points that render identically. `search` conflates
//! spellings that news writers use interchangeably, for matching and for models.
//!
//! # Offset map
//!
//! ```text
//! original   و  ا  لـ  ـ  أُ  م  م        (tatweel and damma are dropped)
//! bytes      0  2  4   6  8 10 12 14
//! normalized و  ا  ل      ا     م  م
//! to_orig    0..2 2..4 4..8 8..12 12..14 14..16
//! ```
//! A removed mark is absorbed into the range of the character before it, so every
//! normalized character maps to whole original characters and a normalized range maps
//! back to an original span without interpolation.

use crate::chars::{digit_value, is_harakah, is_invisible, is_tatweel};
use crate::Span;

/// A normalization profile. See the module docs for the table of changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// Only changes that never alter meaning.
    Light,
    /// Conflates spelling variants for matching, indexing and models.
    #[default]
    Search,
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "light" => Ok(Profile::Light),
            "search" => Ok(Profile::Search),
            other => Err(format!("unknown normalization profile `{other}` (expected `light` or `search`)")),
        }
    }
}

/// Feeds the normalized form of one character to `out` (zero, one or several chars).
#[inline]
pub fn normalize_char(c: char, profile: Profile, out: &mut impl FnMut(char)) {
    // ASCII fast path: only Latin case changes.
    if c.is_ascii() {
        out(if profile == Profile::Search { c.to_ascii_lowercase() } else { c });
        return;
    }
    if is_invisible(c) || is_tatweel(c) {
        return;
    }
    match c {
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}' | '\u{FF01}'..='\u{FFEE}' => {
            // A character without a decomposition comes back as itself (U+FE73): emit it
            // as is, never recurse on it.
            unicode_normalization::char::decompose_compatible(c, |d| if d == c { out(c) } else { normalize_char(d, profile, out) });
            return;
        }
        '\u{06CC}' => return out('\u{064A}'),
        '\u{06A9}' => return out('\u{0643}'),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => return out(' '),
        _ => {}
    }
    if profile == Profile::Light {
        return out(c);
    }
    if is_harakah(c) {
        return;
    }
    if let Some(d) = digit_value(c) {
        return out(char::from(b'0' + d as u8));
    }
    out(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ئ' => 'ي',
        '\u{066B}' => '.',
        '\u{066C}' => ',',
        '\u{066A}' => '%',
        // Arabic script has no case: skip the Unicode case tables for it (hot path).
        _ if !('\u{0590}'..='\u{08FF}').contains(&c) && c.is_uppercase() => return c.to_lowercase().for_each(|l| out(l)),
        _ => c,
    })
}

/// The normalized form of `text` under `profile`.
pub fn normalize(text: &str, profile: Profile) -> String {
    let mut s = String::with_capacity(text.len());
    normalize_into(text, profile, &mut s);
    s
}

/// Appends the normalized form of `text` to `out` (reuses the caller's allocation).
pub fn normalize_into(text: &str, profile: Profile, out: &mut String) {
    for c in text.chars() {
        normalize_char(c, profile, &mut |n| out.push(n));
    }
}

/// A normalized string with, for each normalized byte, the original byte range it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NormalizedText {
    text: String,
    /// Per normalized byte: the original `[start, end)` byte range of the character that produced it.
    to_orig: Vec<(u32, u32)>,
    /// Original length, for mapping the end position.
    orig_len: u32,
}

impl NormalizedText {
    /// Normalizes `original` under `profile`, keeping the exact offset map.
    pub fn new(original: &str, profile: Profile) -> NormalizedText {
        let mut text = String::with_capacity(original.len());
        let mut to_orig: Vec<(u32, u32)> = Vec::with_capacity(original.len());
        // Start of a run of dropped characters with nothing before them to absorb into.
        let mut pending_start: Option<u32> = None;
        for (i, c) in original.char_indices() {
            let (s, e) = (i as u32, (i + c.len_utf8()) as u32);
            let before = text.len();
            normalize_char(c, profile, &mut |n| text.push(n));
            if text.len() == before {
                // Dropped: absorb into the previous normalized character's range.
                match to_orig.last().map(|r| r.0) {
                    Some(prev_start) => {
                        for r in to_orig.iter_mut().rev() {
                            if r.0 != prev_start {
                                break;
                            }
                            r.1 = e;
                        }
                    }
                    None => {
                        pending_start.get_or_insert(s);
                    }
                }
            } else {
                let start = pending_start.take().unwrap_or(s);
                to_orig.resize(text.len(), (start, e));
            }
        }
        NormalizedText { text, to_orig, orig_len: original.len() as u32 }
    }

    /// The normalized string.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The original byte span that the normalized byte range `[start, end)` came from.
    /// An empty range maps to a point: the start of the character at `start`, or the end
    /// of the original when `start` is at the end.
    pub fn to_original(&self, start: usize, end: usize) -> Span {
        let at = |i: usize| self.to_orig.get(i).map(|r| r.0).unwrap_or(self.orig_len);
        if start >= end {
            let p = at(start);
            return Span { start: p, end: p };
        }
        let s = at(start);
        let e = self.to_orig.get(end - 1).map(|r| r.1).unwrap_or(self.orig_len);
        Span { start: s, end: e }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_profile_unifies_spelling_variants() {
        assert_eq!(normalize("فائز", Profile::Search), normalize("فايز", Profile::Search));
        assert_eq!(normalize("الأُمم المتحدة", Profile::Search), "الامم المتحده");
        assert_eq!(normalize("إلى آخر ٱلسؤال", Profile::Search), "الي اخر السوال");
        assert_eq!(normalize("عام ٢٠١٨ و۱۹", Profile::Search), "عام 2018 و19");
        assert_eq!(normalize("ﻻ بـــد", Profile::Search), "لا بد");
        assert_eq!(normalize("Paris\u{200F} ء", Profile::Search), "paris ء");
        // A presentation-form character with no decomposition stays (regression: it looped).
        assert_eq!(normalize("\u{FE73}", Profile::Search), "\u{FE73}");
    }

    #[test]
    fn light_profile_keeps_meaningful_marks() {
        assert_eq!(normalize("مُدَرِّسـة\u{200F}", Profile::Light), "مُدَرِّسة");
        assert_eq!(normalize("أحمد", Profile::Light), "أحمد");
        assert_eq!(normalize("ﻻ", Profile::Light), "لا");
    }

    #[test]
    fn offset_map_absorbs_dropped_marks_into_the_previous_letter() {
        let orig = "والـأُمم";
        let n = NormalizedText::new(orig, Profile::Search);
        assert_eq!(n.as_str(), "والامم");
        // "ال" in normalized is bytes 2..6; in the original it covers ال + tatweel.
        let sp = n.to_original(2, 6);
        assert_eq!(&orig[sp.range()], "الـ");
        let sp = n.to_original(6, 8);
        assert_eq!(&orig[sp.range()], "أُ");
        let sp = n.to_original(0, n.as_str().len());
        assert_eq!(&orig[sp.range()], orig);
    }

    #[test]
    fn leading_dropped_marks_join_the_first_letter() {
        let orig = "\u{200F}ـمرحبا";
        let n = NormalizedText::new(orig, Profile::Search);
        assert_eq!(n.as_str(), "مرحبا");
        assert_eq!(n.to_original(0, 2), Span::new(0, orig.find('م').unwrap() + 2));
    }

    #[test]
    fn expansion_maps_every_output_byte_to_the_ligature() {
        let orig = "ﻻ";
        let n = NormalizedText::new(orig, Profile::Search);
        assert_eq!(n.as_str(), "لا");
        assert_eq!(n.to_original(0, 2), Span::new(0, 3));
        assert_eq!(n.to_original(2, 4), Span::new(0, 3));
    }

    proptest::proptest! {
        #[test]
        fn map_is_monotonic_and_on_char_boundaries(s in "\\PC{0,40}") {
            for profile in [Profile::Light, Profile::Search] {
                let n = NormalizedText::new(&s, profile);
                let t = n.as_str();
                let mut last = 0u32;
                for (i, c) in t.char_indices() {
                    let sp = n.to_original(i, i + c.len_utf8());
                    assert!(s.is_char_boundary(sp.start as usize) && s.is_char_boundary(sp.end as usize));
                    assert!(sp.start >= last || sp.start == n.to_original(i.saturating_sub(1), i).start);
                    last = sp.start;
                }
                if t == s { assert_eq!(n.to_original(0, t.len()), Span::new(0, s.len()).cover(n.to_original(0, t.len()))); }
            }
        }
    }
}
