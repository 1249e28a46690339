//! A name holds both quotation marks around a part of it, or neither.
//!
//! The tagger and the rules after it decide token by token, and a quotation mark is a token:
//! on the last 1,500 SaudiNewsNet and 1,500 ANT articles 139 names held one mark of a pair
//! and not the other (`ماك"`، `إس"`، `جامعة "هارفارد`، `بي بي سي" البريطانية`, `ملعب "لوفتس
//! رود`), which reads as a broken span to anyone who shows it. This last pass of the NER stage
//! takes the marks off a name's edges, takes in the closing mark right after a name that
//! holds the opening one (`جامعة "هارفارد"`, as `موسوعة "غينيس" للأرقام القياسية` already
//! is), and otherwise ends the name before a mark whose partner is outside it.

use super::features::TokInfo;
use super::score::chunks;

/// A quotation mark token: whether it opens or closes its pair, and which kind of pair (by
/// the pair's opening mark).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mark {
    Open(char),
    Close(char),
}

/// Whether a token's text is a quotation mark.
pub(crate) fn is_mark(word: &str) -> bool {
    matches!(word, "«" | "»" | "“" | "”" | "\"")
}

/// Each token's mark, if it is one, for the words of one sentence: `«` `“` open, `»` `”`
/// close, and a straight `"` opens when an even number of them comes before it.
pub(crate) fn sentence_marks<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<Option<Mark>> {
    let mut straight = 0usize;
    words
        .into_iter()
        .map(|w| match w {
            "«" => Some(Mark::Open('«')),
            "»" => Some(Mark::Close('«')),
            "“" => Some(Mark::Open('“')),
            "”" => Some(Mark::Close('“')),
            "\"" => {
                straight += 1;
                Some(if straight % 2 == 1 { Mark::Open('"') } else { Mark::Close('"') })
            }
            _ => None,
        })
        .collect()
}

/// The index of the mark that closes the one opened at `i` (same kind, nesting ignored).
fn partner_after(m: &[Option<Mark>], i: usize) -> Option<usize> {
    let Some(Mark::Open(k)) = m[i] else { return None };
    (i + 1..m.len()).find(|&j| m[j] == Some(Mark::Close(k)))
}

/// Whether the marks in `m[s..e]` pair up within it.
fn balanced(m: &[Option<Mark>], s: usize, e: usize) -> bool {
    let mut open: Vec<char> = Vec::new();
    for x in m[s..e].iter().flatten() {
        match *x {
            Mark::Open(k) => open.push(k),
            Mark::Close(k) => {
                if open.pop() != Some(k) {
                    return false;
                }
            }
        }
    }
    open.is_empty()
}

/// Makes every name of one sentence (`tags`, BIO indices) hold both marks of a pair or
/// neither (see the module's notes).
pub(crate) fn balance_marks(infos: &[TokInfo], tags: &mut [usize]) {
    // Most sentences hold no mark: nothing to allocate for them.
    if !infos.iter().any(|t| is_mark(&t.norm)) {
        return;
    }
    let m = sentence_marks(infos.iter().map(|t| t.norm.as_str()));
    for (s0, e0, ty) in chunks(tags) {
        let (mut s, mut e) = (s0, e0);
        // Marks at the edges are never a name's.
        while s < e && m[s].is_some() {
            tags[s] = 0;
            s += 1;
        }
        while e > s && m[e - 1].is_some() {
            tags[e - 1] = 0;
            e -= 1;
        }
        if s == e {
            continue;
        }
        tags[s] = 2 * ty - 1;
        if balanced(&m, s, e) {
            continue;
        }
        // The first mark whose partner is outside the name.
        let Some(k) = (s..e).find(|&k| match m[k] {
            Some(Mark::Open(_)) => partner_after(&m, k).is_none_or(|p| p >= e),
            Some(Mark::Close(_)) => !balanced(&m, s, k + 1),
            None => false,
        }) else {
            continue;
        };
        match m[k] {
            // `جامعة "هارفارد` + `"`: the closing mark right after the name joins it.
            Some(Mark::Open(_)) if partner_after(&m, k) == Some(e) && tags[e] == 0 => {
                tags[e] = 2 * ty;
            }
            // `جامعة "يلدز …` with the partner further on: the name is what follows the mark.
            Some(Mark::Open(_)) => {
                for t in &mut tags[s..=k] {
                    *t = 0;
                }
                if k + 1 < e {
                    tags[k + 1] = 2 * ty - 1;
                }
            }
            // `بي بي سي" البريطانية`: the name ends before the mark that closes what opened
            // before it.
            _ => {
                for t in &mut tags[k..e] {
                    *t = 0;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infos(words: &[&str]) -> Vec<TokInfo> {
        super::super::features::test_infos(&words.join(" "))
    }

    /// The names (token ranges) left after balancing `tags` over `words`.
    fn names(words: &[&str], tags: &[usize]) -> Vec<String> {
        let i = infos(words);
        let mut tags = tags.to_vec();
        balance_marks(&i, &mut tags);
        chunks(&tags).into_iter().map(|(s, e, _)| words[s..e].join(" ")).collect()
    }

    #[test]
    fn a_mark_at_a_names_edge_is_left_out() {
        assert_eq!(names(&["نظام", "\"", "ماك", "\"", "الجديد"], &[0, 0, 7, 8, 0]), ["ماك"]);
        assert_eq!(names(&["«", "رويترز", "»"], &[5, 6, 6]), ["رويترز"]);
    }

    #[test]
    fn a_closing_mark_right_after_a_name_that_opened_one_joins_it() {
        assert_eq!(names(&["في", "جامعة", "\"", "هارفارد", "\"", "الأمريكية"], &[0, 5, 6, 6, 0, 0]), ["جامعة \" هارفارد \""]);
    }

    #[test]
    fn a_name_ends_before_a_mark_whose_partner_is_outside_it() {
        // The opening mark comes before the name: the name stops at its closing one.
        assert_eq!(names(&["شبكة", "\"", "بي", "بي", "سي", "\"", "البريطانية"], &[0, 0, 5, 6, 6, 6, 6]), ["بي بي سي"]);
        // The partner further on: the name is what follows the opening mark.
        assert_eq!(names(&["جامعة", "\"", "يلدز", "التقنية", "في", "إسطنبول", "\""], &[5, 6, 6, 0, 0, 0, 0]), ["يلدز"]);
    }

    #[test]
    fn balanced_marks_inside_a_name_stay() {
        let words = ["موسوعة", "\"", "غينيس", "\"", "للأرقام", "القياسية"];
        assert_eq!(names(&words, &[7, 8, 8, 8, 8, 8]), ["موسوعة \" غينيس \" للأرقام القياسية"]);
    }
}
