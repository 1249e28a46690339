//! Tokenization compatible with ANERcorp's: clitics stay attached to their word,
//! punctuation is split off, numbers with a decimal or thousands separator and a
//! percent sign stay whole (`6.3`, `1,000`, `70%`), and a quote mark glued between
//! words splits them (`ل»فرانس` → `ل` `»` `فرانس`).

use crate::chars::{is_arabic_word_char, is_digit, is_invisible, is_joiner, is_punct, is_tatweel};
use crate::Span;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An Arabic-script word (with its attached clitics).
    Word,
    /// A number in any digit script, with separators and an optional percent sign.
    Number,
    /// A punctuation mark (runs of `.` `!` `?` `؟` `-` are one token).
    Punct,
    /// A word in Latin or another non-Arabic alphabet.
    Latin,
    /// Anything else: currency, math and other symbols, emoji.
    Symbol,
}

impl TokenKind {
    /// The contract's name for the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Number => "number",
            TokenKind::Punct => "punct",
            TokenKind::Latin => "latin",
            TokenKind::Symbol => "symbol",
        }
    }
}

/// A token found in the original text, before any repair or analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawToken {
    /// Byte span in the original text.
    pub span: Span,
    /// Its kind.
    pub kind: TokenKind,
}

/// Splits `text` into tokens. Whitespace, zero-width characters and bidi controls separate
/// tokens and are never part of one (a joiner inside a word stays in it).
pub fn tokenize(text: &str) -> Vec<RawToken> {
    let mut out = Vec::with_capacity(text.len() / 8);
    tokenize_into(text, &mut out);
    out
}

/// Like [`tokenize`], appending to `out` (reuses the caller's allocation).
pub fn tokenize_into(text: &str, out: &mut Vec<RawToken>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let (c, w) = decode(text, i);
        if c.is_whitespace() || is_invisible(c) {
            i += w;
            continue;
        }
        let start = i;
        let kind;
        if is_tatweel(c) {
            // A tatweel that opens a word is a dash (`الإحصاء ـ ويبدو`), as in UD and ANERcorp.
            kind = TokenKind::Punct;
            while i < b.len() && is_tatweel(decode(text, i).0) {
                i += 2;
            }
        } else if is_arabic_word_char(c) {
            kind = TokenKind::Word;
            i += w;
            let mut last_letter = c;
            while i < b.len() {
                let (c, w) = decode(text, i);
                if is_tatweel(c) && !joins_left(last_letter) {
                    // Nothing to stretch after a letter that never joins the next one: a dash.
                    break;
                }
                if is_arabic_word_char(c) {
                    if crate::chars::is_arabic_letter(c) {
                        last_letter = c;
                    }
                    i += w;
                } else if is_joiner(c) && i + w < b.len() && is_arabic_word_char(decode(text, i + w).0) {
                    i += w;
                } else {
                    break;
                }
            }
            // A word-final tatweel is a dash (`فقطـ تنقرض`), except on a stretched
            // proclitic or article written apart (`بـ`, `الـ`).
            let word = &text[start..i];
            let trimmed = word.trim_end_matches('\u{0640}');
            if trimmed.len() < word.len() && !trimmed.is_empty() && !is_clitic_prefix(trimmed) && !trimmed.ends_with("ال") {
                i = start + trimmed.len();
            }
        } else if is_digit(c) {
            kind = TokenKind::Number;
            i = scan_number(text, i);
            // ANERcorp keeps a proclitic glued to a number whole: `و2006`, `بـ34.3`.
            if let Some(prev) = out.last_mut() {
                if prev.kind == TokenKind::Word && prev.span.end as usize == start && is_clitic_prefix(&text[prev.span.range()]) {
                    prev.span = Span::new(prev.span.start as usize, i);
                    prev.kind = TokenKind::Number;
                    continue;
                }
            }
        } else if c.is_alphanumeric() {
            kind = TokenKind::Latin;
            i += w;
            while i < b.len() {
                let (c, w) = decode(text, i);
                if c.is_alphanumeric() && !is_arabic_word_char(c) {
                    i += w;
                } else if matches!(c, '\'' | '’' | '-')
                    && i + w < b.len()
                    && decode(text, i + w).0.is_alphanumeric()
                    && !is_arabic_word_char(decode(text, i + w).0)
                {
                    i += w;
                } else {
                    break;
                }
            }
        } else if is_punct(c) {
            kind = TokenKind::Punct;
            i += w;
            if matches!(c, '.' | '!' | '?' | '؟' | '-') {
                while i < b.len() {
                    let (n, nw) = decode(text, i);
                    if matches!(n, '.' | '!' | '?' | '؟') && matches!(c, '.' | '!' | '?' | '؟') || (c == '-' && n == '-') {
                        i += nw;
                    } else {
                        break;
                    }
                }
            }
        } else {
            kind = TokenKind::Symbol;
            i += w;
            // Keep combining marks and variation selectors with their base (emoji, accents).
            while i < b.len() {
                let (n, nw) = decode(text, i);
                if matches!(n, '\u{FE00}'..='\u{FE0F}' | '\u{0300}'..='\u{036F}' | '\u{1F3FB}'..='\u{1F3FF}') {
                    i += nw;
                } else {
                    break;
                }
            }
        }
        out.push(RawToken { span: Span::new(start, i), kind });
    }
}

/// Letters that never connect to the following letter, so a tatweel after them stretches nothing.
fn joins_left(c: char) -> bool {
    !matches!(c, 'ا' | 'أ' | 'إ' | 'آ' | 'ٱ' | 'د' | 'ذ' | 'ر' | 'ز' | 'و' | 'ؤ' | 'ء' | 'ة' | 'ى')
}

/// One or two proclitic letters (و ف ب ل ك), optionally stretched with a tatweel (`بـ`).
pub fn is_clitic_prefix(w: &str) -> bool {
    let letters: Vec<char> = w.chars().filter(|c| !is_tatweel(*c)).collect();
    (1..=2).contains(&letters.len()) && letters.iter().all(|c| matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك'))
}

#[inline]
fn decode(text: &str, i: usize) -> (char, usize) {
    // `i` is always on a char boundary: it only advances by whole chars.
    match text[i..].chars().next() {
        Some(c) => (c, c.len_utf8()),
        None => ('\0', 1),
    }
}

/// Digits with inner separators (`1,000.5`, `٣٫٥`) and an optional percent sign.
fn scan_number(text: &str, mut i: usize) -> usize {
    let b = text.len();
    loop {
        while i < b {
            let (c, w) = decode(text, i);
            if is_digit(c) {
                i += w;
            } else {
                break;
            }
        }
        if i < b {
            let (c, w) = decode(text, i);
            if matches!(c, '.' | ',' | '\u{066B}' | '\u{066C}') && i + w < b && is_digit(decode(text, i + w).0) {
                i += w;
                continue;
            }
        }
        break;
    }
    if i < b {
        let (c, w) = decode(text, i);
        if matches!(c, '%' | '\u{066A}') {
            i += w;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(&str, &'static str)> {
        tokenize(text).into_iter().map(|t| (&text[t.span.range()], t.kind.as_str())).collect()
    }

    #[test]
    fn clitics_stay_attached_and_punctuation_splits_off() {
        assert_eq!(
            toks("وبالسلام، قال:"),
            vec![("وبالسلام", "word"), ("،", "punct"), ("قال", "word"), (":", "punct")]
        );
    }

    #[test]
    fn numbers_with_separators_and_percent_stay_whole() {
        assert_eq!(
            toks("نما 6.3 و70% من ١٬٠٠٠ في 2018."),
            vec![
                ("نما", "word"), ("6.3", "number"), ("و70%", "number"), ("من", "word"),
                ("١٬٠٠٠", "number"), ("في", "word"), ("2018", "number"), (".", "punct")
            ]
        );
    }

    #[test]
    fn a_glued_quote_mark_splits_the_words() {
        assert_eq!(toks("ل»فرانس 24»"), vec![("ل", "word"), ("»", "punct"), ("فرانس", "word"), ("24", "number"), ("»", "punct")]);
    }

    #[test]
    fn diacritics_tatweel_and_joiners_stay_in_the_word_but_bidi_marks_do_not() {
        assert_eq!(toks("مُحَمّـد\u{200F} كتاب"), vec![("مُحَمّـد", "word"), ("كتاب", "word")]);
    }

    #[test]
    fn a_proclitic_before_digits_stays_with_the_number() {
        assert_eq!(toks("بين 2004 و2006 بـ34.3"), vec![("بين", "word"), ("2004", "number"), ("و2006", "number"), ("بـ34.3", "number")]);
    }

    #[test]
    fn a_free_standing_tatweel_is_a_dash() {
        assert_eq!(toks("الحية ـلا فقطـ تنقرض"), vec![("الحية", "word"), ("ـ", "punct"), ("لا", "word"), ("فقط", "word"), ("ـ", "punct"), ("تنقرض", "word")]);
        assert_eq!(toks("الإحصاءـ ويبدو"), vec![("الإحصاء", "word"), ("ـ", "punct"), ("ويبدو", "word")]);
        assert_eq!(toks("بـ العمل"), vec![("بـ", "word"), ("العمل", "word")]);
    }

    #[test]
    fn latin_and_symbols() {
        assert_eq!(
            toks("قناة CNN's $5 ..."),
            vec![("قناة", "word"), ("CNN's", "latin"), ("$", "symbol"), ("5", "number"), ("...", "punct")]
        );
    }
}
