//! Character classes of Arabic news text.
//!
//! Ranges follow the Unicode Arabic blocks: Arabic (U+0600–U+06FF), Arabic Supplement
//! (U+0750–U+077F), Arabic Extended-A (U+08A0–U+08FF) and the presentation forms
//! (U+FB50–U+FDFF, U+FE70–U+FEFF).

/// Short vowels, tanween, shadda, sukun, superscript alef and Quranic annotation marks.
pub fn is_harakah(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E8}' | '\u{06EA}'..='\u{06ED}' | '\u{08D3}'..='\u{08FF}')
}

/// The tatweel (kashida) used to stretch words: `ـ`.
pub fn is_tatweel(c: char) -> bool {
    c == '\u{0640}'
}

/// Zero-width characters and bidirectional controls: invisible, never part of a word's meaning.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Joiners that may sit inside a word without breaking it.
pub fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Arabic-script letters, including presentation forms.
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0620}'..='\u{063F}' | '\u{0641}'..='\u{064A}' | '\u{066E}' | '\u{066F}' |
        '\u{0671}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}' | '\u{06EF}' | '\u{06FA}'..='\u{06FC}' | '\u{06FF}' |
        '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}' |
        '\u{FB50}'..='\u{FDFB}' | '\u{FE70}'..='\u{FEFC}')
        && !matches!(c, '\u{FD3E}' | '\u{FD3F}')
}

/// Characters that belong inside an Arabic word: letters, marks and tatweel.
pub fn is_arabic_word_char(c: char) -> bool {
    is_arabic_letter(c) || is_harakah(c) || is_tatweel(c)
}

/// The value of a decimal digit in ASCII, Arabic-Indic (٠–٩) or Persian (۰–۹) script.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

/// Whether `c` is a decimal digit of any of the three scripts.
pub fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

/// Punctuation marks that are tokens of their own (Arabic and Latin).
pub fn is_punct(c: char) -> bool {
    matches!(c,
        '!' | '"' | '#' | '%' | '&' | '\'' | '(' | ')' | '*' | ',' | '-' | '.' | '/' | ':' | ';' | '?' | '@' | '[' | '\\' | ']' | '_' | '{' | '}' |
        '\u{060C}' | '\u{060D}' | '\u{061B}' | '\u{061E}' | '\u{061F}' | '\u{066A}'..='\u{066D}' | '\u{06D4}' |
        '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}' | '\u{00BB}' | '\u{00BF}' |
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3001}' | '\u{3002}' | '\u{FD3E}' | '\u{FD3F}')
}

/// Sentence-final marks: `.`, `!`, `?`, the Arabic question mark `؟`, the ellipsis `…`
/// and the Arabic full stop `۔`.
pub fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{061F}' | '\u{2026}' | '\u{06D4}')
}

/// Quote marks and brackets that close a span and stick to the sentence before them.
pub fn is_closer(c: char) -> bool {
    matches!(c, '»' | '"' | '\u{201D}' | '\u{2019}' | ')' | ']' | '}' | '\'' | '›')
}
