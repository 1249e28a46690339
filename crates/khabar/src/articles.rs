//! Story boundaries and headlines in concatenated news text.
//!
//! Scraped news often arrives as several stories run together, each opened by its
//! headline; sometimes the headline has a line of its own, sometimes it is glued into the
//! running text (`…لمكافحة الإرهاب. تونس: التعاون الأمني والقضائي مع ليبيا قائم أكد وزير…`).
//! A headline is recognized by rules over tokens:
//!
//! * **On its own line**: a line of 2–18 words without final punctuation (nor a final `:`
//!   or `،`), followed by a longer line or one that ends a sentence, and not directly after
//!   another headline (a kicker, dateline or byline under a headline belongs to the story).
//! * **Inline**: right after a sentence end (or at the very top), a run of 3–16 tokens with
//!   no sentence-final mark, followed by a typical lede opener: a sentence-initial past verb
//!   (أكد، قال، أعلن، كشف…) followed by its subject, or a dateline (`طرابلس -`). The run
//!   must look like a headline: a `place:` opener (a colon among its first four tokens), or
//!   else no comma, and a first word that is not a connective (كان، وقد، ثم، في…) or a verb
//!   that opens body sentences.
//!
//! Each headline starts a story that runs to the last token before the next headline.
//! Sentences are re-split so that none straddles a headline's edges.

use khabar_text::{normalize, Profile, Span, TokenKind};

use crate::{Annotator, Article, Document, Result};

/// The `articles` stage.
#[derive(Debug, Default)]
pub struct ArticleDetector {}

impl Annotator for ArticleDetector {
    fn name(&self) -> &'static str {
        "articles"
    }
    fn annotate(&self, doc: &mut Document) -> Result<()> {
        detect(doc);
        Ok(())
    }
}

/// Sentence-initial verbs of a lede (normalized with the `search` profile).
const LEDE: &[&str] = &[
    "قال",
    "قالت",
    "اكد",
    "اكدت",
    "اعلن",
    "اعلنت",
    "افاد",
    "افادت",
    "كشف",
    "كشفت",
    "ذكر",
    "ذكرت",
    "اوضح",
    "اوضحت",
    "نفي",
    "نفت",
    "اشار",
    "اشارت",
    "دعا",
    "دعت",
    "شهد",
    "شهدت",
    "طالب",
    "طالبت",
    "رحب",
    "رحبت",
    "ادان",
    "ادانت",
    "وصل",
    "وصلت",
    "بحث",
    "بحثت",
    "التقي",
    "التقت",
    "استقبل",
    "استقبلت",
    "قرر",
    "قررت",
    "حذر",
    "حذرت",
    "اعتبر",
    "اعتبرت",
    "اصدر",
    "اصدرت",
    "نظم",
    "نظمت",
    "وقع",
    "وقعت",
    "اجري",
    "اجرت",
    "عقد",
    "عقدت",
    "شارك",
    "شاركت",
    "اعرب",
    "اعربت",
    "قتل",
    "قتلت",
    "اصيب",
    "اصيبت",
    "ارتفع",
    "ارتفعت",
    "انخفض",
    "انخفضت",
    "تراجع",
    "تراجعت",
    "سجل",
    "سجلت",
    "بلغ",
    "بلغت",
    "اقر",
    "اقرت",
    "صادق",
    "صادقت",
    "وافق",
    "وافقت",
    "اطلق",
    "اطلقت",
    "اختتم",
    "اختتمت",
    "افتتح",
    "افتتحت",
    "انطلق",
    "انطلقت",
    "تمكن",
    "تمكنت",
    "اشاد",
    "اشادت",
    "جدد",
    "جددت",
    "نقلت",
    "صرح",
    "صرحت",
    "شدد",
    "شددت",
    "اعلن",
    "تسلم",
    "تسلمت",
    "انتقد",
    "انتقدت",
    "اتهم",
    "اتهمت",
    "هدد",
    "هددت",
    "عاد",
    "عادت",
    "فاز",
    "فازت",
    "اختار",
    "اختارت",
    "غادر",
    "غادرت",
    "توصل",
    "توصلت",
    "يعقد",
    "تعقد",
    "يزور",
    "تستضيف",
    "يستضيف",
    "اعلنت",
    "قضت",
    "قضي",
    "امرت",
    "امر",
    "اقال",
    "قدم",
    "قدمت",
    "شن",
    "شنت",
    "نفذ",
    "نفذت",
    "خرج",
    "خرجت",
    "اندلع",
    "اندلعت",
    "دخل",
    "دخلت",
    "تواصل",
    "تواصلت",
    "حصل",
    "حصلت",
    "نجح",
    "نجحت",
    "فشل",
    "فشلت",
    "تسبب",
    "تسببت",
    "اعلنت",
    "اكدت",
    "وجه",
    "وجهت",
    "تظاهر",
    "احتج",
    "احتجت",
    "عين",
    "عينت",
    "اكدت",
    "لقي",
    "لقيت",
    "ضرب",
    "ضربت",
    "هز",
    "هزت",
    "اجتمع",
    "اجتمعت",
    "ناقش",
    "ناقشت",
];

/// Words that open body sentences, never headlines.
const NOT_FIRST: &[&str] = &[
    "كان",
    "كانت",
    "قد",
    "ثم",
    "كما",
    "في",
    "من",
    "الي",
    "علي",
    "بعد",
    "قبل",
    "لكن",
    "الا",
    "حيث",
    "اذ",
    "ان",
    "لا",
    "لم",
    "لن",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "هو",
    "هي",
    "هم",
    "وهو",
    "وهي",
    "يذكر",
    "يشار",
    "يأتي",
    "ياتي",
    "تاتي",
    "وتاتي",
    "اما",
    "بينما",
    "عندما",
    "لما",
    "فور",
    "عقب",
    "اثر",
    "عند",
    "مع",
    "عن",
    "منذ",
    "خلال",
    "اذا",
    "لو",
    "بل",
    "او",
    "أو",
    "التي",
    "الذي",
    "الذين",
    "انه",
    "انها",
    "بان",
    "بانه",
    "غير",
    "ايضا",
    "وفقا",
    "حسب",
    "بحسب",
    "نقلا",
    "تجدر",
    "يجدر",
    "يعتبر",
    "تعتبر",
    "يعد",
    "تعد",
    "يتعين",
    "اضاف",
];

fn is_terminal_tok(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔' | '»' | '"' | '”' | ')'))
        && s.chars()
            .any(|c| matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔'))
}

struct Tok {
    span: Span,
    n: String,
    kind: TokenKind,
    /// A line break in the gap before this token.
    newline_before: bool,
}

/// Finds stories and headlines, sets `doc.articles` and re-splits `doc.sentences`.
pub fn detect(doc: &mut Document) {
    doc.articles.clear();
    let text = doc.text();
    let toks: Vec<Tok> = doc
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let gap_start = if i == 0 {
                0
            } else {
                doc.tokens[i - 1].span.end as usize
            };
            let gap = text.get(gap_start..t.span.start as usize).unwrap_or("");
            Tok {
                span: t.span,
                n: normalize(doc.slice(t.span), Profile::Search),
                kind: t.kind,
                newline_before: i > 0 && gap.contains(['\n', '\r', '\u{2029}']),
            }
        })
        .collect();
    if toks.is_empty() {
        return;
    }
    let heads = find_headlines(&toks);
    // Stories.
    let mut starts: Vec<(usize, Option<(usize, usize)>)> = Vec::new();
    if heads.first().is_none_or(|h| h.0 != 0) {
        starts.push((0, None));
    }
    for &h in &heads {
        starts.push((h.0, Some(h)));
    }
    for (k, &(first, head)) in starts.iter().enumerate() {
        let last = starts.get(k + 1).map(|s| s.0).unwrap_or(toks.len()) - 1;
        // The first story starts at the text's start (as in the contract: `{0, …}`).
        let start = if k == 0 && head.is_none() {
            0
        } else {
            toks[first].span.start
        };
        let span = Span {
            start,
            end: toks[last].span.end,
        };
        let headline = head.map(|(a, b)| Span {
            start: toks[a].span.start,
            end: toks[b - 1].span.end,
        });
        doc.articles.push(Article { span, headline });
    }
    // Re-split sentences at headline edges.
    let mut cuts: Vec<u32> = heads
        .iter()
        .flat_map(|&(a, b)| {
            [
                toks[a].span.start,
                toks.get(b).map(|t| t.span.start).unwrap_or(u32::MAX),
            ]
        })
        .collect();
    cuts.sort_unstable();
    let mut sentences = Vec::with_capacity(doc.sentences.len() + cuts.len());
    for s in &doc.sentences {
        // Tokens are in text order: the sentence's tokens are found by binary search, not
        // by scanning the document for each sentence (that made long documents quadratic).
        let lo = toks.partition_point(|t| t.span.start < s.start);
        let hi = lo + toks[lo..].partition_point(|t| t.span.start <= s.end);
        let inside: Vec<&Tok> = toks[lo..hi]
            .iter()
            .filter(|t| t.span.start >= s.start && t.span.end <= s.end)
            .collect();
        if inside.is_empty() {
            sentences.push(*s);
            continue;
        }
        let mut piece_start = inside[0].span.start;
        let mut prev_end = inside[0].span.end;
        for t in &inside[1..] {
            // Is there a cut `c` with max(piece_start + 1, prev_end) <= c <= t.start? `cuts`
            // is sorted, so the first cut at or after the lower bound answers it.
            let from = (piece_start + 1).max(prev_end);
            let k = cuts.partition_point(|&c| c < from);
            if cuts.get(k).is_some_and(|&c| c <= t.span.start) {
                sentences.push(Span {
                    start: piece_start,
                    end: prev_end,
                });
                piece_start = t.span.start;
            }
            prev_end = t.span.end;
        }
        sentences.push(Span {
            start: piece_start,
            end: s.end.max(prev_end),
        });
    }
    doc.sentences = sentences;
}

/// Headlines as token ranges `[a, b)`.
fn find_headlines(toks: &[Tok]) -> Vec<(usize, usize)> {
    let mut heads: Vec<(usize, usize)> = Vec::new();
    // Lines.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut a = 0;
    for i in 1..=toks.len() {
        if i == toks.len() || toks[i].newline_before {
            lines.push((a, i));
            a = i;
        }
    }
    let words = |a: usize, b: usize| {
        toks[a..b]
            .iter()
            .filter(|t| {
                matches!(
                    t.kind,
                    TokenKind::Word | TokenKind::Number | TokenKind::Latin
                )
            })
            .count()
    };
    let mut prev_head = false;
    for (k, &(a, b)) in lines.iter().enumerate() {
        let Some(&(na, nb)) = lines.get(k + 1) else {
            break;
        };
        let w = words(a, b);
        let last = toks[b - 1].n.as_str();
        let ends_open = is_terminal_tok(last) || matches!(last, ":" | "،" | "," | "؛" | ";");
        let next_body = words(na, nb) > w || is_terminal_tok(&toks[nb - 1].n);
        let is_head = (2..=18).contains(&w) && !ends_open && next_body && !prev_head;
        if is_head {
            heads.push((a, b));
        } else if let Some(h) = inline_at(toks, a, b) {
            // A line that opens with a glued headline.
            heads.push(h);
        }
        prev_head = is_head;
    }
    // Inline headlines after a sentence end (and at the very top). Which tokens lie in a
    // headline, which tokens start one and which line a token is on are kept as they grow
    // (token by token, in order), not searched for per token: that made long documents
    // quadratic.
    let mut in_head = vec![false; toks.len()];
    let mut head_starts: std::collections::HashSet<usize> = std::collections::HashSet::new();
    for &(a, b) in &heads {
        in_head[a..b].iter_mut().for_each(|x| *x = true);
        head_starts.insert(a);
    }
    let top_line_is_head = lines.first().is_some_and(|l| heads.contains(l));
    let mut line = 0;
    for i in 0..toks.len() {
        while lines.get(line).is_some_and(|l| l.1 <= i) {
            line += 1;
        }
        let after_end = i == 0 || (is_terminal_tok(&toks[i - 1].n) && !toks[i].newline_before);
        if !after_end || in_head[i] {
            continue;
        }
        if i == 0 && top_line_is_head {
            continue;
        }
        let line_end = lines
            .get(line)
            .filter(|l| l.0 <= i && i < l.1)
            .map(|l| l.1)
            .unwrap_or(toks.len());
        if let Some(h) = inline_at(toks, i, line_end) {
            if head_starts.insert(h.0) {
                in_head[h.0..h.1].iter_mut().for_each(|x| *x = true);
                heads.push(h);
            }
        }
    }
    heads.sort_unstable();
    heads.dedup_by_key(|h| h.0);
    heads
}

/// A headline glued to a lede, starting at token `p` and ending before `limit`.
fn inline_at(toks: &[Tok], p: usize, limit: usize) -> Option<(usize, usize)> {
    let first = toks.get(p)?;
    if first.kind != TokenKind::Word
        && first.kind != TokenKind::Number
        && first.kind != TokenKind::Latin
    {
        return None;
    }
    let f = first.n.as_str();
    let f_core = f.strip_prefix('و').unwrap_or(f);
    if NOT_FIRST.contains(&f)
        || LEDE.contains(&f)
        || (f.starts_with('و')
            && f != f_core
            && (NOT_FIRST.contains(&f_core)
                || LEDE.contains(&f_core)
                || f_core.starts_with("ال")
                || f_core.starts_with("ب") && f_core.chars().count() <= 4))
    {
        return None;
    }
    let max = (p + 17).min(limit);
    let mut colon_at: Option<usize> = None;
    let mut comma = false;
    for k in p + 1..max {
        let t = &toks[k];
        if is_terminal_tok(&t.n) || t.newline_before {
            return None;
        }
        if t.n == ":" && colon_at.is_none() {
            colon_at = Some(k);
        }
        if matches!(t.n.as_str(), "،" | ",") {
            comma = true;
        }
        let span_words = k - p;
        if span_words < 3 {
            continue;
        }
        let prev = &toks[k - 1];
        if prev.kind == TokenKind::Punct && !matches!(prev.n.as_str(), "»" | "\"" | "”" | ")") {
            continue;
        }
        let colon_opener = colon_at.is_some_and(|c| c - p <= 3 && c + 1 < k);
        // A lede verb followed by its subject (not by إن/أن: that is a verb without a subject).
        let lede_verb = LEDE.contains(&t.n.as_str())
            && toks.get(k + 1).is_some_and(|n| {
                n.kind == TokenKind::Word
                    && !matches!(
                        n.n.as_str(),
                        "ان" | "انه"
                            | "انها"
                            | "بان"
                            | "بانه"
                            | "الي"
                            | "علي"
                            | "عن"
                            | "في"
                            | "ذلك"
                            | "من"
                    )
            });
        // A dateline: `طرابلس -` or `طرابلس (وكالات) -` then a lede verb.
        let dateline = t.kind == TokenKind::Word
            && toks
                .get(k + 1)
                .is_some_and(|n| matches!(n.n.as_str(), "-" | "–" | "—"))
            && toks
                .get(k + 2)
                .is_some_and(|n| LEDE.contains(&n.n.as_str()));
        if !(lede_verb || dateline) {
            continue;
        }
        if colon_opener || (!comma && colon_at.is_none() && span_words <= 14) {
            return Some((p, k));
        }
        return None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Document {
        let mut d = crate::document::bare_document(text, None);
        detect(&mut d);
        d
    }

    fn heads(d: &Document) -> Vec<&str> {
        d.articles
            .iter()
            .filter_map(|a| a.headline.map(|h| d.slice(h)))
            .collect()
    }

    #[test]
    fn inline_headline_with_place_colon() {
        let d = run("وتم الاتفاق على توحيد الجهود لمكافحة الإرهاب. تونس: التعاون الأمني مع ليبيا قائم أكد وزير الخارجية التونسي أن التعاون قائم.");
        assert_eq!(heads(&d), vec!["تونس: التعاون الأمني مع ليبيا قائم"]);
        assert_eq!(d.articles.len(), 2);
        assert_eq!(
            d.slice(d.articles[0].span),
            "وتم الاتفاق على توحيد الجهود لمكافحة الإرهاب."
        );
        let s: Vec<&str> = d.sentences.iter().map(|s| d.slice(*s)).collect();
        assert_eq!(s[1], "تونس: التعاون الأمني مع ليبيا قائم");
        assert_eq!(s[2], "أكد وزير الخارجية التونسي أن التعاون قائم.");
    }

    #[test]
    fn headline_on_its_own_line_and_at_the_top() {
        let d = run("ارتفاع أسعار النفط في الأسواق العالمية\nارتفعت أسعار النفط أمس بنسبة اثنين في المئة بعد قرار أوبك.\nالمغرب يطلق حملة للتلقيح\nأطلقت وزارة الصحة المغربية حملة واسعة للتلقيح ضد الحصبة.");
        assert_eq!(
            heads(&d),
            vec![
                "ارتفاع أسعار النفط في الأسواق العالمية",
                "المغرب يطلق حملة للتلقيح"
            ]
        );
        assert_eq!(d.articles[0].span.start, 0);
    }

    #[test]
    fn inline_headline_without_colon_and_at_the_top() {
        let d = run("الجزائر تستضيف مؤتمرا حول الهجرة أعلنت وزارة الخارجية الجزائرية أمس عن تنظيم مؤتمر. وقال الوزير إن المؤتمر مهم.");
        assert_eq!(heads(&d), vec!["الجزائر تستضيف مؤتمرا حول الهجرة"]);
        assert_eq!(d.articles.len(), 1);
    }

    #[test]
    fn body_sentences_are_not_headlines() {
        let d = run("رحبت الوزارة بالاتفاق. كان القائد العام للجيش الليبي خليفة حفتر قال إن التعاون غائب. وقال الجهيناوي، في تصريحات له، إن الزيارة مهمة. الرئيس أكد أن الاتفاق صامد.");
        assert!(heads(&d).is_empty(), "{:?}", heads(&d));
        assert_eq!(d.articles.len(), 1);
    }
}
