//! Sentence boundaries over tokens.
//!
//! A sentence ends after a terminal mark (`.` `!` `?` `؟` `…`), together with any closing
//! quote marks or brackets right after it (`«…».»` keeps its `»`), and at every line break:
//! news texts put headlines, datelines and captions on lines of their own without final
//! punctuation. A period after a single letter (`د.` in `أ. د. محمد`, `U.S.`) is an
//! abbreviation, not an end.

use crate::chars::{is_closer, is_terminal};
use crate::{RawToken, Span, TokenKind};

/// Sentence spans over `tokens` of `text`. Each sentence runs from its first token's start to
/// its last token's end; text without tokens has no sentences.
pub fn split_sentences(text: &str, tokens: &[RawToken]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut first: Option<usize> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let start = *first.get_or_insert(i);
        let surface = &text[t.span.range()];
        let mut end_here = false;
        if t.kind == TokenKind::Punct && surface.chars().all(is_terminal) && !is_abbreviation(text, tokens, i) {
            // Absorb closing quotes and brackets (and further terminal marks) glued after it.
            while i + 1 < tokens.len() {
                let n = tokens[i + 1];
                let ns = &text[n.span.range()];
                if n.kind == TokenKind::Punct && ns.chars().all(|c| is_closer(c) || is_terminal(c)) && is_quote_closing(text, tokens, i + 1) {
                    i += 1;
                } else {
                    break;
                }
            }
            end_here = true;
        }
        if !end_here && i + 1 < tokens.len() {
            let gap = &text[tokens[i].span.end as usize..tokens[i + 1].span.start as usize];
            end_here = gap.contains('\n') || gap.contains('\u{2029}') || gap.contains('\r');
        }
        if end_here || i + 1 == tokens.len() {
            out.push(Span { start: tokens[start].span.start, end: tokens[i].span.end });
            first = None;
        }
        i += 1;
    }
    out
}

/// A straight quote `"` or `'` after a terminal mark closes the quote when it is glued to it
/// (no space between); a spaced one opens the next sentence's quote.
fn is_quote_closing(text: &str, tokens: &[RawToken], i: usize) -> bool {
    let prev_end = tokens[i - 1].span.end as usize;
    let s = &text[tokens[i].span.range()];
    if s.chars().all(|c| matches!(c, '"' | '\'')) {
        return tokens[i].span.start as usize == prev_end;
    }
    true
}

/// A single `.` right after a one-letter word (Arabic or Latin), glued to it.
fn is_abbreviation(text: &str, tokens: &[RawToken], i: usize) -> bool {
    if i == 0 || &text[tokens[i].span.range()] != "." {
        return false;
    }
    let prev = tokens[i - 1];
    if prev.span.end != tokens[i].span.start || !matches!(prev.kind, TokenKind::Word | TokenKind::Latin) {
        return false;
    }
    let p = &text[prev.span.range()];
    let letters = p.chars().filter(|c| c.is_alphabetic()).count();
    // One letter, not followed by a line break (then it ends a line anyway).
    if letters == 1 && i + 1 < tokens.len() {
        return true;
    }
    // A chain of dots between short letter groups, glued on both sides: a spelled-out
    // abbreviation or an address (`إتش.إس.بي.سي`, `www.gov.sa`). One glued dot between two
    // words (`بعد.من جانبها`، `الردى.على`) is a scraper's missing space and still ends the
    // sentence.
    let glued_dot = |j: usize| {
        j > 0
            && j + 1 < tokens.len()
            && &text[tokens[j].span.range()] == "."
            && tokens[j - 1].span.end == tokens[j].span.start
            && tokens[j + 1].span.start == tokens[j].span.end
            && matches!(tokens[j + 1].kind, TokenKind::Word | TokenKind::Latin)
    };
    let short = |j: usize| text[tokens[j].span.range()].chars().filter(|c| c.is_alphabetic()).count() <= 3;
    glued_dot(i) && short(i - 1) && short(i + 1) && (i >= 2 && glued_dot(i - 2) || glued_dot(i + 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize;

    fn sents(text: &str) -> Vec<&str> {
        split_sentences(text, &tokenize(text)).into_iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn arabic_marks_end_sentences() {
        assert_eq!(sents("هل جاء؟ نعم، جاء. ثم ذهب!"), vec!["هل جاء؟", "نعم، جاء.", "ثم ذهب!"]);
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        assert_eq!(sents("قال «انتهى الأمر.» ثم غادر."), vec!["قال «انتهى الأمر.»", "ثم غادر."]);
        assert_eq!(sents("قال \"انتهى.\" ثم \"بدأ\"."), vec!["قال \"انتهى.\"", "ثم \"بدأ\"."]);
    }

    #[test]
    fn line_breaks_end_headlines_without_punctuation() {
        assert_eq!(sents("عنوان الخبر\nنص الخبر هنا."), vec!["عنوان الخبر", "نص الخبر هنا."]);
    }

    #[test]
    fn decimals_and_abbreviations_do_not_split() {
        assert_eq!(sents("نما 6.3 في المئة. قال أ. د. محمد ذلك."), vec!["نما 6.3 في المئة.", "قال أ. د. محمد ذلك."]);
        assert_eq!(sents("قال بنك إتش.إس.بي.سي إن أرباحه زادت."), vec!["قال بنك إتش.إس.بي.سي إن أرباحه زادت."]);
        // One glued dot between words is a missing space.
        assert_eq!(sents("مهالك الردى.على الآباء مسؤولية."), vec!["مهالك الردى.", "على الآباء مسؤولية."]);
        assert_eq!(sents("لم يحسم بعد.من جانبها أبدت رأيها."), vec!["لم يحسم بعد.", "من جانبها أبدت رأيها."]);
    }

    #[test]
    fn empty_and_blank_text_has_no_sentences() {
        assert!(sents("").is_empty());
        assert!(sents(" \n\t ").is_empty());
    }
}
