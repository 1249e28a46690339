//! Direct and indirect reported speech with cue and speaker.
//!
//! Rules over tokens (normalized with the `search` profile), sentence by sentence:
//!
//! * **Direct speech** is text between quote marks: `«…»`, `“…”`, `"…"`, and the
//!   mismatched marks scrapers leave (`ل»فرانس 24»`, where `»` opens). A mark glued to the
//!   following word opens, one glued to the preceding word closes. A marked span that is a
//!   name rather than speech (a medium after `ل»`, a short title after قناة / صحيفة…, or
//!   any span of three words or fewer that no cue governs) is not a quote.
//! * **Indirect speech** follows a reporting verb (قال، أكد، أوضح، أشار، أضاف، صرح، ذكر،
//!   أعلن، شدد، لفت، نفى، اعتبر، رأى… in all persons, and participles such as مؤكدا،
//!   مشيرة) and a complementizer إن / أن / بأن (with pronoun suffixes). The content runs to
//!   the end of the sentence, or to a comma before a new cue (`، مضيفا أن …`).
//! * **Attributions**: `…، وفقا لـ X`، `حسب ما نقلت Y عن X`، `نقلا عن X`، `بحسب X`.
//!
//! The speaker is the noun phrase between the verb and the complementizer (cut at a comma
//! or a parenthetical such as خلال / عبر), or, when the verb follows its subject
//! (`خليفة حفتر قال`), the words before it in the clause. Its `speaker` id is the first
//! person entity inside that phrase, else an entity that starts it, else null. A verb with
//! no subject (`وأضاف أن …`) continues the previous speaker.

use khabar_text::{normalize, Profile, Span, TokenKind};

use crate::{Annotator, Document, Entity, EntityType, Quote, Result};

/// The `quotes` stage.
#[derive(Debug, Default)]
pub struct QuoteFinder {}

impl Annotator for QuoteFinder {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn annotate(&self, doc: &mut Document) -> Result<()> {
        let q = find_quotes(doc);
        doc.quotes = q;
        Ok(())
    }
}

/// Reporting verbs (normalized, without a leading و/ف).
const VERBS: &[&str] = &[
    "انتقد",
    "انتقدت",
    "انتقدوا",
    "ينتقد",
    "تنتقد",
    "قال",
    "قالت",
    "قالوا",
    "قالا",
    "يقول",
    "تقول",
    "يقولون",
    "اكد",
    "اكدت",
    "اكدوا",
    "اكدا",
    "يوكد",
    "توكد",
    "اوضح",
    "اوضحت",
    "اوضحوا",
    "اشار",
    "اشارت",
    "اشاروا",
    "اضاف",
    "اضافت",
    "اضافوا",
    "صرح",
    "صرحت",
    "صرحوا",
    "ذكر",
    "ذكرت",
    "ذكروا",
    "اعلن",
    "اعلنت",
    "اعلنوا",
    "شدد",
    "شددت",
    "شددوا",
    "لفت",
    "لفتت",
    "لفتوا",
    "نفي",
    "نفت",
    "نفوا",
    "اعتبر",
    "اعتبرت",
    "اعتبروا",
    "راي",
    "رات",
    "راوا",
    "تابع",
    "تابعت",
    "اردف",
    "اردفت",
    "افاد",
    "افادت",
    "كشف",
    "كشفت",
    "زعم",
    "زعمت",
    "حذر",
    "حذرت",
    "اعترف",
    "اعترفت",
    "استطرد",
    "استطردت",
    "يري",
    "تري",
    "يعتبر",
    "تعتبر",
    "اكدوا",
    "قالتا",
    "يضيف",
    "تضيف",
    "اوضحا",
    "اعتبرا",
    "نبه",
    "نبهت",
    "اقر",
    "اقرت",
    "رد",
    "ردت",
    "ردوا",
    "قوله",
    "قولها",
    "قولهم",
    "يشير",
    "تشير",
    "يوضح",
    "توضح",
    "يري",
    "اعرب",
    "اعربت",
    "بينت",
    "بينوا",
    "ابان",
    "ابانت",
    "المح",
    "المحت",
    "تعهد",
    "تعهدت",
    "تعهدوا",
    "ادان",
    "ادانت",
    "ندد",
    "نددت",
    "تساءل",
    "تساءلت",
    "يتساءل",
    "وصف",
    "وصفت",
    "وصفوا",
    "توقع",
    "توقعت",
    "يتوقع",
    "تتوقع",
    "توقعوا",
    "يتوقعون",
];

/// Reporting verbs that report only with a subject ([`Finder::after_cue`]).
const EXPECT_VERBS: &[&str] = &["توقع", "توقعت", "يتوقع", "تتوقع", "توقعوا", "يتوقعون"];

/// Whether a normalized word (without a leading و/ف) is one of the reporting verbs.
///
/// The tagger's speaker pass reads names after these; verbs often used without a subject
/// (`ويتوقع تشغيله`, "its opening is expected"), with a common noun (`تساءل كاتبه`) or with
/// an adverb after the subject (`أدان مجلس الوزراء بمملكة البحرين وبشدة`) are left out of that.
pub(crate) fn is_reporting_verb(n: &str) -> bool {
    crate::times::is_one_of(VERBS, n) && !EXPECT_VERBS.contains(&n) && !NO_NAME_AFTER.contains(&n)
}

/// Reporting verbs whose subject phrase the tagger's speaker pass does not read (besides
/// [`EXPECT_VERBS`]).
const NO_NAME_AFTER: &[&str] = &["تساءل", "تساءلت", "يتساءل", "ادان", "ادانت", "ندد", "نددت"];

/// Participles that report the speech of the sentence's subject.
const PARTICIPLES: &[&str] = &[
    "موكدا",
    "موكده",
    "موكدين",
    "مشيرا",
    "مشيره",
    "مشيرين",
    "موضحا",
    "موضحه",
    "مضيفا",
    "مضيفه",
    "معتبرا",
    "معتبره",
    "لافتا",
    "لافته",
    "مشددا",
    "مشدده",
    "معلنا",
    "معلنه",
    "نافيا",
    "نافيه",
    "مبينا",
    "مبينه",
    "محذرا",
    "محذره",
    "قايلا",
    "قايله",
    "منوها",
    "منوهه",
    "مبرزا",
    "مبرزه",
    "معربا",
    "معربه",
    "معتبرين",
    "موكدين",
    "مشيرين",
    "موضحين",
    "مضيفين",
    "لافتين",
    "مشددين",
    "معلنين",
    "نافين",
    "محذرين",
    "قايلين",
];

/// Verbs that continue the previous speaker when they have no subject of their own.
const CONTINUE: &[&str] = &[
    "اضاف",
    "اضافت",
    "اضافوا",
    "تابع",
    "تابعت",
    "اردف",
    "اردفت",
    "استطرد",
    "استطردت",
    "يضيف",
    "تضيف",
];

const COMPLEMENTIZERS: &[&str] = &[
    "ان",
    "انه",
    "انها",
    "انهم",
    "انهما",
    "انهن",
    "انني",
    "اننا",
    "بان",
    "بانه",
    "بانها",
    "بانهم",
    "بانهما",
    "بانني",
    "باننا",
];

/// Words after which a marked span is a name (a medium, a group, a title), not speech.
const NAME_HEADS: &[&str] = &[
    "صحيفه",
    "جريده",
    "قناه",
    "وكاله",
    "موقع",
    "اذاعه",
    "مجله",
    "برنامج",
    "حركه",
    "تنظيم",
    "عمليه",
    "حزب",
    "مبادره",
    "شبكه",
    "منظمه",
    "جمعيه",
    "هييه",
    "موسسه",
    "مشروع",
    "حمله",
    "تطبيق",
    "كتاب",
    "فيلم",
    "مسلسل",
    "مجموعه",
    "ائتلاف",
    "تحالف",
    "شركه",
    "نادي",
    "فريق",
    "روايه",
    "اغنيه",
    "مهرجان",
    "منتدي",
    "ملتقي",
    "لقب",
    "شعار",
    "عنوان",
    "صفحه",
    "حساب",
    "بنك",
    "مصرف",
    "معهد",
    "مركز",
];

/// Words that start a parenthetical that ends a speaker phrase.
const SPEAKER_STOPS: &[&str] = &[
    "قبل",
    "بعد",
    "منذ",
    "خلال",
    "عبر",
    "اثناء",
    "امام",
    "يوم",
    "امس",
    "اليوم",
    "غدا",
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
];

/// Adverbs between the verb and its subject or complementizer (`قال حينها إنه`، `وقال
/// بدوره الوزير إن`): skipped at the front of a speaker phrase.
const SPEAKER_ADVERBS: &[&str] = &["حينها", "حينذاك", "انذاك", "ايضا", "كذلك", "بدوره", "بدورها", "بدورهم"];

/// Honorifics with a pronoun suffix that refer to someone already named (normalized).
const HONORIFIC_PRONOUNS: &[&str] = &["معاليه", "سموه", "فضيلته", "سعادته", "سيادته", "سماحته", "جلالته", "فخامته", "معاليها", "سموها", "سعادتها"];

/// A pronoun standing as the subject (`لكنها أشارت إلى أن`، `وهو قال`): the previous
/// speaker goes on.
const PRONOUN_SUBJECTS: &[&str] = &["لكنه", "لكنها", "لكنهم", "ولكنه", "ولكنها", "ولكنهم", "هو", "هي", "وهو", "وهي", "هم", "وهم"];

/// Documents that speak for whoever issued them (normalized, without ال).
const DOCUMENT_NOUNS: &[&str] = &[
    "بيان",
    "تقرير",
    "دراسه",
    "رساله",
    "وثيقه",
    "مذكره",
    "نشره",
    "استطلاع",
    "احصاييه",
    "احصاءات",
    "بحث",
    "تعميم",
    "قرار",
];

/// Source words that make `وفقا لـ X` an attribution of speech.
const SOURCES: &[&str] = &[
    "مصدر",
    "مصادر",
    "بيان",
    "البيان",
    "وكاله",
    "صحيفه",
    "مسوول",
    "مسوولين",
    "متحدث",
    "المتحدث",
    "تقرير",
    "التقرير",
    "تقارير",
    "شهود",
    "وسايل",
    "قناه",
    "موقع",
    "وزاره",
    "الوزاره",
    "مصدرا",
    "مسوولون",
    "الناطق",
    "ناطق",
    "تصريحات",
    "تصريح",
];

struct Tok {
    span: Span,
    n: String,
    kind: TokenKind,
    glued_prev: bool,
    glued_next: bool,
}

/// A normalized word without a leading و/ف (when three letters remain).
pub(crate) fn strip_conj(n: &str) -> &str {
    for p in ["و", "ف"] {
        if let Some(r) = n.strip_prefix(p) {
            if r.chars().count() >= 3 {
                return r;
            }
        }
    }
    n
}

/// Whether two normalized words are one word, either with a leading و/ف: `ووزير` and
/// `وزير` are (the second has no conjunction, though [`strip_conj`] reads one in it).
fn same_word(a: &str, b: &str) -> bool {
    a == b || strip_conj(a) == b || a == strip_conj(b) || strip_conj(a) == strip_conj(b)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mark {
    Open,
    Close,
    Either,
}

fn mark_kind(t: &Tok, prev_single_letter: bool) -> Option<Mark> {
    if t.kind != TokenKind::Punct {
        return None;
    }
    let m = match t.n.as_str() {
        "«" | "“" | "„" | "‹" => Mark::Open,
        "»" | "”" | "›" => {
            if t.glued_next && (!t.glued_prev || prev_single_letter) {
                Mark::Open
            } else {
                Mark::Close
            }
        }
        "\"" => {
            if t.glued_next && !t.glued_prev || t.glued_next && prev_single_letter {
                Mark::Open
            } else if t.glued_prev && !t.glued_next {
                Mark::Close
            } else {
                Mark::Either
            }
        }
        _ => return None,
    };
    Some(m)
}

/// A quote-mark pair: (opener token, closer token).
fn pairs(toks: &[Tok]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    // How many `"` the stack holds, kept as it changes: scanning the stack per mark was
    // quadratic in a text with many unclosed openers.
    let mut straight_open = 0usize;
    for (i, t) in toks.iter().enumerate() {
        let single = i > 0
            && toks[i - 1].kind == TokenKind::Word
            && toks[i - 1].n.chars().count() == 1
            && t.glued_prev;
        let Some(m) = mark_kind(t, single) else {
            continue;
        };
        let m = if m == Mark::Either {
            if straight_open > 0 {
                Mark::Close
            } else {
                Mark::Open
            }
        } else {
            m
        };
        match m {
            Mark::Open => {
                straight_open += usize::from(t.n == "\"");
                stack.push(i);
            }
            Mark::Close => {
                if let Some(o) = stack.pop() {
                    straight_open -= usize::from(toks[o].n == "\"");
                    if stack.is_empty() {
                        out.push((o, i));
                    }
                }
            }
            Mark::Either => {}
        }
    }
    out
}

/// Finds the quotes of `doc` (uses its tokens, sentences and entities).
pub fn find_quotes(doc: &Document) -> Vec<Quote> {
    let text = doc.text();
    let toks: Vec<Tok> = doc
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| Tok {
            span: t.span,
            n: normalize(doc.slice(t.span), Profile::Search),
            kind: t.kind,
            glued_prev: i > 0 && doc.tokens[i - 1].span.end == t.span.start,
            glued_next: doc
                .tokens
                .get(i + 1)
                .is_some_and(|n| n.span.start == t.span.end),
        })
        .collect();
    let _ = text;
    let mut by_start: Vec<usize> = (0..doc.entities.len()).collect();
    by_start.sort_by_key(|&i| (doc.entities[i].span.start, i));
    let f = Finder { doc, toks: &toks, by_start };
    f.run()
}

struct Finder<'a> {
    doc: &'a Document,
    toks: &'a [Tok],
    /// Indices of `doc.entities` by span start, so the entities inside a span are found by
    /// binary search instead of a scan of the document's entities per cue.
    by_start: Vec<usize>,
}

/// The quotes found so far, pairwise disjoint (each is added only when it overlaps none),
/// by content start: overlap and containment queries are logarithmic, where scanning the
/// list per cue made long documents quadratic. `order` keeps the push order, which decides
/// ties ("the last quote found before this cue").
#[derive(Default)]
struct FoundSet {
    list: Vec<Found>,
    /// content start → index into `list`.
    by_start: std::collections::BTreeMap<u32, usize>,
}

impl FoundSet {
    fn push(&mut self, f: Found) {
        self.by_start.insert(f.content.start, self.list.len());
        self.list.push(f);
    }

    /// Whether a quote found so far overlaps `span`. The found spans are disjoint and
    /// non-empty, so only the last one starting before `span` ends can overlap it.
    fn overlaps(&self, span: Span) -> bool {
        self.by_start.range(..span.end).next_back().is_some_and(|(_, &i)| overlaps(self.list[i].content, span))
    }

    /// The most recently found quote lying inside `[from, to]`.
    fn last_within(&self, from: u32, to: u32) -> Option<&Found> {
        if from > to {
            return None;
        }
        self.by_start
            .range(from..=to)
            .map(|(_, &i)| i)
            .filter(|&i| self.list[i].content.end <= to)
            .max()
            .map(|i| &self.list[i])
    }
}

struct Found {
    content: Span,
    cue: Option<String>,
    speaker: Option<String>,
    speaker_span: Option<Span>,
    /// Needs the previous speaker.
    continues: bool,
}

/// How far back (bytes, some 4,000 Arabic characters: a long article) a speaker phrase is
/// looked up among the entities named before it.
const LOOK_BACK: u32 = 8_000;

impl Finder<'_> {
    fn n(&self, i: usize) -> &str {
        self.toks.get(i).map(|t| t.n.as_str()).unwrap_or("")
    }
    fn is_verb(&self, i: usize) -> bool {
        if self.toks[i].kind != TokenKind::Word {
            return false;
        }
        let w = strip_conj(self.n(i));
        crate::times::is_one_of(VERBS, w)
            || matches!(w, "بين" | "بينا") && self.complementizer_soon(i)
            || matches!(w, "كتب" | "كتبت") && self.complementizer_within(i, 8)
    }
    /// Whether a complementizer follows within `n` tokens before the sentence ends: `كتب`
    /// "wrote" reports (`وكتب ماكرون عبر "تويتر" أن`) where `كتب` "books" does not.
    fn complementizer_within(&self, i: usize, n: usize) -> bool {
        (i + 1..(i + 1 + n).min(self.toks.len()))
            .take_while(|&k| !self.is_terminal(k))
            .any(|k| COMPLEMENTIZERS.contains(&self.n(k)))
    }
    /// Whether a complementizer follows within three words, with no punctuation between:
    /// `بيّن` "explained" (`وبيّن معاليه أن`) is written as `بين` "between" (`بين البلدين`).
    /// Not across a pair joined by و (`بين الأمانة والمنتج بأن`، `بين حين وآخر إن`).
    fn complementizer_soon(&self, i: usize) -> bool {
        for k in i + 1..(i + 4).min(self.toks.len()) {
            let w = self.n(k);
            if self.toks[k].kind != TokenKind::Word {
                return false;
            }
            if COMPLEMENTIZERS.contains(&w) {
                return true;
            }
            if w.starts_with('و') && !["وزير", "وزيره", "وكيل", "والي", "وسيط"].iter().any(|t| w.starts_with(t)) {
                return false;
            }
        }
        false
    }
    fn is_participle(&self, i: usize) -> bool {
        self.toks[i].kind == TokenKind::Word && PARTICIPLES.contains(&strip_conj(self.n(i)))
    }
    fn is_terminal(&self, i: usize) -> bool {
        let n = self.n(i);
        self.toks[i].kind == TokenKind::Punct
            && n.chars().any(|c| matches!(c, '.' | '!' | '?' | '؟' | '…'))
    }
    fn is_comma(&self, i: usize) -> bool {
        matches!(self.n(i), "،" | "," | "؛" | ";")
    }
    fn cue_text(&self, i: usize) -> String {
        let s = self.doc.slice(self.toks[i].span);
        let n = self.n(i);
        if strip_conj(n) != n {
            let mut cs = s.chars();
            cs.next();
            return cs.as_str().to_string();
        }
        s.to_string()
    }
    fn span(&self, a: usize, b: usize) -> Span {
        Span {
            start: self.toks[a].span.start,
            end: self.toks[b - 1].span.end,
        }
    }
    /// Whether the pair is a name (not speech), given whether a cue governs it.
    fn is_name(&self, (o, c): (usize, usize), governed: bool) -> bool {
        let words = (o + 1..c)
            .filter(|&k| self.toks[k].kind != TokenKind::Punct)
            .count();
        if words == 0 {
            return true;
        }
        // Glued to a one-letter clitic (ل»فرانس 24») or after a name head (قناة «الجزيرة»).
        if o > 0 {
            let p = self.n(o - 1);
            let pc = strip_conj(p);
            let single = self.toks[o - 1].kind == TokenKind::Word
                && p.chars().count() == 1
                && self.toks[o].glued_prev;
            let head = NAME_HEADS.iter().any(|h| {
                pc == *h
                    || pc.strip_prefix('ل').or_else(|| pc.strip_prefix('ب')) == Some(h)
                    || pc.strip_prefix("ال") == Some(h)
            });
            if single || head && words <= 4 {
                return true;
            }
        }
        words <= 3 && !governed
    }

    /// The entities ending before `at`, nearest first, at most [`LOOK_BACK`] bytes back:
    /// the entities are in text order (the linker sorts them), so this is a binary search
    /// and a bounded walk, and a long document's quotes stay linear.
    fn entities_before(&self, at: u32) -> impl Iterator<Item = &Entity> + '_ {
        let es = &self.doc.entities;
        let k = es.partition_point(|e| e.span.start < at);
        es[..k].iter().rev().filter(move |e| e.span.end <= at).take_while(move |e| e.span.start + LOOK_BACK >= at)
    }

    /// The last person named before `at`, in its sentence or the sentence before.
    fn person_before(&self, at: u32) -> Option<&Entity> {
        let ss = &self.doc.sentences;
        let si = ss.partition_point(|s| s.end <= at);
        let from = ss.get(si.saturating_sub(1)).map_or(0, |s| s.start);
        self.entities_before(at).take_while(|e| e.span.start >= from).find(|e| e.kind == EntityType::Pers && !self.is_object(e))
    }

    /// Whether an entity stands where a subject cannot: after a preposition or a noun it
    /// complements (`وتطرق إلى قضية رائف بدوي، وقال`، `مع قامة كبيرة مثل الصالح`). Not
    /// `على`: normalized it is the name `علي`.
    fn is_object(&self, e: &Entity) -> bool {
        let i = self.toks.partition_point(|t| t.span.start < e.span.start);
        i > 0 && matches!(strip_conj(self.n(i - 1)), "في" | "من" | "الي" | "عن" | "مع" | "مثل" | "ضد" | "لدي" | "عند" | "حول" | "قضيه" | "بين" | "لصالح" | "بحق" | "نحو")
    }

    /// Whether a speaker phrase is a definite document noun, alone or with adjectives and
    /// a possessive (`البيان`، `الدراسة الألمانية`، `التقرير الشهري`), not an indefinite one
    /// (`ذكرت دراسة حديثة`: a new source) nor a document of someone named (`تقرير البنك`).
    fn is_document_noun(&self, sp: Span) -> bool {
        let (a, b) = self.token_range(sp);
        let words: Vec<&str> = (a..b).filter(|&i| self.toks[i].kind == TokenKind::Word).map(|i| self.n(i)).collect();
        let Some(first) = words.first() else { return false };
        let head = strip_conj(first);
        DOCUMENT_NOUNS.iter().any(|d| head.strip_prefix("ال") == Some(d))
            && words[1..].iter().all(|w| w.starts_with("ال"))
            && words.len() <= 3
    }

    /// The person an honorific at token `i` refers to: the last one named before it right
    /// after a title of that rank (up to three words before the name).
    fn honored_person(&self, i: usize) -> Option<&Entity> {
        let titles: &[&str] = match self.n(i).trim_end_matches('ه').trim_end_matches("ها") {
            "سمو" => &["الامير", "الاميره", "سمو", "امير", "ولي"],
            "معالي" => &["معالي", "الوزير", "وزير", "الوزيره", "وزيره"],
            "فضيلت" | "سماحت" => &["الشيخ", "فضيله", "سماحه", "المفتي", "مفتي", "السيد"],
            "سعادت" | "سيادت" => &["سعاده", "سياده", "السفير", "الدكتور", "اللواء", "العميد"],
            "جلالت" => &["الملك", "جلاله"],
            "فخامت" => &["الرييس", "فخامه"],
            _ => return None,
        };
        self.entities_before(self.toks[i].span.start).filter(|e| e.kind == EntityType::Pers).find(|e| {
            let j = self.toks.partition_point(|t| t.span.start < e.span.start);
            (j.saturating_sub(3)..j).any(|k| titles.contains(&strip_conj(self.n(k))))
        })
    }

    /// Whether a pair of marks holds exactly one entity the tagger found, and nothing else
    /// (`«هيا بنت صلاح العبداللطيف»`، `بنك "إتش.إس.بي.سي" أكبر مصرف`): a name set off.
    fn holds_one_entity(&self, (o, c): (usize, usize)) -> bool {
        if o + 1 >= c {
            return false;
        }
        let content = self.span(o + 1, c);
        self.entities_inside(content).iter().any(|e| e.span == content)
    }

    /// The tokens lying inside `span`, as `[a, b)`: tokens are in text order (starts and
    /// ends increasing), so two binary searches.
    fn token_range(&self, span: Span) -> (usize, usize) {
        (self.toks.partition_point(|t| t.span.start < span.start), self.toks.partition_point(|t| t.span.end <= span.end))
    }

    /// The number of words in `span`.
    fn words_in(&self, span: Span) -> usize {
        let (a, b) = self.token_range(span);
        (a..b).filter(|&i| self.toks[i].kind == TokenKind::Word).count()
    }

    /// The owner in a speaker phrase headed by an indefinite document noun with a definite
    /// owner (`تقرير البنك`، `بيان وزارة الداخلية`): the span of the owner's words.
    fn document_owner(&self, sp: Span) -> Option<Span> {
        let (a, b) = self.token_range(sp);
        let words: Vec<usize> = (a..b).filter(|&i| self.toks[i].kind == TokenKind::Word).collect();
        let (&first, rest) = words.split_first()?;
        let &second = rest.first()?;
        let head = strip_conj(self.n(first));
        (DOCUMENT_NOUNS.contains(&head) && rest.len() <= 5).then(|| self.span(second, *rest.last().unwrap_or(&second) + 1))
    }

    /// The entity a speaker phrase without a name refers back to, the most recent before it:
    /// a person whose name the same title phrase preceded (`الرئيس الأمريكي دونالد ترامب` …
    /// `قال الرئيس الأمريكي`), or, for one definite noun, a person whose title or an
    /// organization whose name began with that noun (`وزير الخارجية مايك بومبيو` … `الوزير`,
    /// `شركة أوبر` … `الشركة`).
    fn antecedent(&self, sp: Span) -> Option<&Entity> {
        let (a, b) = self.token_range(sp);
        // The phrase up to a preposition (`البنك في تقريره الشهري`: `البنك`).
        let words: Vec<&str> = (a..b)
            .filter(|&i| self.toks[i].kind == TokenKind::Word)
            .map(|i| self.n(i))
            .take_while(|w| !matches!(*w, "في" | "خلال" | "عبر" | "امام" | "الي" | "علي" | "من" | "عن" | "مع"))
            .collect();
        let (Some(&first), true) = (words.first(), (1..=10).contains(&words.len())) else { return None };
        // A title written after the person's name when the story introduced them
        // (`فهد الشهابي أمين عام الملتقى` … `أوضح أمين عام الملتقى الخليجي`): its first
        // three words (two for a two-word title) right after a person's name.
        let lead = &words[..words.len().min(3)];
        if lead.len() >= 2 {
            for e in self.entities_before(sp.start).filter(|e| e.kind == EntityType::Pers) {
                let j = self.toks.partition_point(|t| t.span.start < e.span.end);
                if j + lead.len() <= self.toks.len() && (j..j + lead.len()).zip(lead).all(|(k, w)| same_word(self.n(k), w)) {
                    return Some(e);
                }
            }
        }
        if words.len() > 3 {
            return None;
        }
        let mut phrase: Vec<&str> = words.clone();
        phrase[0] = strip_conj(first);
        // The noun a one-word definite phrase is headed by (`الوزير` → `وزير`).
        let head = (phrase.len() == 1).then(|| phrase[0].strip_prefix("ال")).flatten().filter(|h| h.chars().count() >= 3);
        // A phrase of several words is a title when it is definite (`الرئيس الأمريكي`) or a
        // chain of nouns in construct ending on a definite one (`وزير الخارجية الإيطالي`،
        // `مدير مطار الجوف`); not `مصدر أمني`.
        if phrase.len() > 1 && head.is_none() && !phrase.iter().any(|w| w.starts_with("ال")) {
            return None;
        }
        // One word that ends the name of a person the story named (`عبدالمحسن المضيان` …
        // `وأضاف المضيان`): that person, whom the tagger missed here.
        if let [w] = phrase[..] {
            let surname = |e: &&Entity| e.kind == EntityType::Pers && self.doc.slice(e.span).split_whitespace().count() >= 2 && self.doc.slice(e.span).split_whitespace().last().is_some_and(|l| same_word(&normalize(l, Profile::Search), w));
            if let Some(e) = self.entities_before(sp.start).find(surname) {
                return Some(e);
            }
        }
        // Whether a word is the head noun, with or without a leading و/ف (`وزير` begins with
        // و) and with or without the article.
        let is_head = |raw: &str| head.is_some_and(|h| [raw, strip_conj(raw)].iter().any(|x| *x == h || x.strip_prefix("ال") == Some(h)));
        for e in self.entities_before(sp.start) {
            let i = self.toks.partition_point(|t| t.span.start < e.span.start);
            match e.kind {
                EntityType::Pers => {
                    // The title phrase right before the name.
                    if i >= words.len() && (i - words.len()..i).zip(&words).all(|(k, w)| same_word(self.n(k), w)) {
                        return Some(e);
                    }
                    // A title beginning with the head noun, up to four words before the name,
                    // with no verb, complementizer or preposition between (`ذكرت صحيفة هآرتس
                    // أن نتانياهو` does not make `الصحيفة` the man).
                    if head.is_some() {
                        let mut k = i;
                        while k > 0 && i - k < 4 && self.toks[k - 1].kind == TokenKind::Word {
                            k -= 1;
                            let w = strip_conj(self.n(k));
                            if self.is_verb(k) || COMPLEMENTIZERS.contains(&w) || matches!(w, "عن" | "علي" | "في" | "من" | "الي" | "ان" | "مع") {
                                break;
                            }
                            if is_head(self.n(k)) {
                                return Some(e);
                            }
                        }
                    }
                }
                EntityType::Org => {
                    let first_word = self.doc.slice(e.span).split_whitespace().next().map(|w| normalize(w, Profile::Search));
                    if first_word.is_some_and(|w| is_head(&w)) {
                        return Some(e);
                    }
                    // Or the noun right before the name, outside it (`منظمة «أنقذوا الأطفال»`
                    // … `تقول المنظمة`), past an opening mark.
                    let mut k = i;
                    while k > 0 && self.toks[k - 1].kind == TokenKind::Punct && i - k < 2 {
                        k -= 1;
                    }
                    if k > 0 && self.toks[k - 1].kind == TokenKind::Word && is_head(self.n(k - 1)) {
                        return Some(e);
                    }
                    // A shortened name: the phrase's words in order among the name's, from its
                    // first (`الشرطة الجنائية الدولية (انتربول)` … `قالت الشرطة الدولية`).
                    if phrase.len() >= 2 {
                        let name: Vec<String> = self.doc.slice(e.span).split_whitespace().map(|w| normalize(w, Profile::Search)).collect();
                        let mut rest = name.iter().map(|w| strip_conj(w));
                        if name.len() > phrase.len() && name.first().map(|w| strip_conj(w)) == Some(phrase[0]) && phrase.iter().all(|p| rest.any(|w| w == *p)) {
                            return Some(e);
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Whether a pair of marks right after a reporting verb holds the speaker's name rather
    /// than speech: at most four words, and a complementizer follows within the next few
    /// words before any other mark, verb or sentence end (`قالت "رويترز" إن …`, `ذكرت "وول
    /// ستريت جورنال" أن …`).
    fn names_the_speaker(&self, (o, c): (usize, usize), sb: usize, all_pairs: &[(usize, usize)]) -> bool {
        let inside = &self.toks[o + 1..c];
        let words = inside.iter().filter(|t| t.kind != TokenKind::Punct).count();
        let marks_inside = inside.iter().any(|t| t.kind == TokenKind::Punct && !matches!(t.n.as_str(), "-" | "." | "&"));
        if words == 0 || words > 4 || marks_inside {
            return false;
        }
        for m in c + 1..(c + 8).min(sb) {
            if COMPLEMENTIZERS.contains(&self.n(m)) {
                return true;
            }
            if pair_opened_at(all_pairs, m).is_some() || self.is_terminal(m) || self.is_verb(m) {
                return false;
            }
        }
        false
    }

    fn run(&self) -> Vec<Quote> {
        let doc = self.doc;
        let all_pairs = pairs(self.toks);
        let mut found = FoundSet::default();
        let mut used_pairs: Vec<bool> = vec![false; all_pairs.len()];
        let sentences: Vec<(usize, usize)> = doc
            .sentences
            .iter()
            .filter_map(|s| {
                let (a, b) = self.token_range(*s);
                (a < self.toks.len() && b > 0 && a < b).then_some((a, b))
            })
            .collect();
        // Sentences may cut a quote in two (a «…» spanning several sentences): treat a quote
        // pair as part of the sentence where it opens.
        for &(sa, sb) in &sentences {
            let mut k = sa;
            while k < sb {
                let is_v = self.is_verb(k);
                let is_p = !is_v && self.is_participle(k);
                if !(is_v || is_p) {
                    k += 1;
                    continue;
                }
                // Inside a quote pair: not a cue of this level.
                if inside_pair(&all_pairs, k) {
                    k += 1;
                    continue;
                }
                if let Some((fnd, next)) =
                    self.after_cue(k, sb, is_p, sa, &all_pairs, &mut used_pairs, &found)
                {
                    found.push(fnd);
                    k = next.max(k + 1);
                } else {
                    k += 1;
                }
            }
            self.attributions(sa, sb, &mut found);
        }
        // Direct quotes no cue claimed: a cue after them (`«…»، قال الوزير`), else the previous speaker.
        for (pi, &(o, c)) in all_pairs.iter().enumerate() {
            if used_pairs[pi] || self.is_name((o, c), false) || o + 1 >= c {
                continue;
            }
            let content = self.span(o + 1, c);
            // Marks around a name the tagger found, and nothing else (`«هيا بنت صلاح
            // العبداللطيف»`), set a name off; no cue governs them.
            if self.holds_one_entity((o, c)) {
                continue;
            }
            if found.overlaps(content) {
                continue;
            }
            let mut k = c + 1;
            if k < self.toks.len() && self.is_comma(k) {
                k += 1;
            }
            if k < self.toks.len() && self.is_verb(k) {
                let end = self.toks[k..]
                    .iter()
                    .position(|t| t.kind == TokenKind::Punct)
                    .map(|p| p + k)
                    .unwrap_or(self.toks.len());
                let (sp, id) = self.speaker_in(k + 1, end);
                found.push(Found {
                    content,
                    cue: Some(self.cue_text(k)),
                    speaker: id,
                    speaker_span: sp,
                    continues: sp.is_none(),
                });
            } else {
                found.push(Found {
                    content,
                    cue: None,
                    speaker: None,
                    speaker_span: None,
                    continues: true,
                });
            }
        }
        let mut found = found.list;
        found.sort_by_key(|f| (f.content.start, f.content.end));
        // Continuations take the previous speaker within the same story.
        let mut out: Vec<Quote> = Vec::with_capacity(found.len());
        let mut prev: Option<(Option<String>, u32)> = None;
        for f in found {
            // Stories are in text order and disjoint: the first one ending at or after `p`
            // is the only candidate (binary search; a scan per quote was quadratic).
            let story = |p: u32| {
                let k = doc.articles.partition_point(|a| a.span.end < p);
                doc.articles.get(k).filter(|a| a.span.start <= p).map(|_| k)
            };
            let mut speaker = f.speaker;
            if speaker.is_none() {
                // A speaker named by a title or a definite noun (`قال الرئيس الأمريكي`,
                // `وأضافت الشركة`): the entity the story introduced with it.
                if let Some(sp) = f.speaker_span {
                    speaker = self.antecedent(sp).filter(|e| story(e.span.start) == story(f.content.start)).map(|e| e.id.clone());
                }
            }
            // A document for its author (`وأضاف البيان`، `وأشارت الدراسة`، `أوضح التقرير`):
            // whoever spoke last in the story issued it.
            if speaker.is_none() {
                // A document of someone named (`وبحسب تقرير البنك`): its owner.
                if let Some(owner) = f.speaker_span.and_then(|sp| self.document_owner(sp)) {
                    let inside = self.entities_inside(owner);
                    // The owner's first word may carry a clitic the entity leaves out (`تقرير
                    // لكابيتال إيكونوميكس`).
                    let first_word_end = self.toks[self.toks.partition_point(|t| t.span.start < owner.start)].span.end;
                    speaker = inside
                        .first()
                        .filter(|e| e.span.start < first_word_end)
                        .copied()
                        .or_else(|| self.antecedent(owner).filter(|e| story(e.span.start) == story(f.content.start)))
                        .map(|e| e.id.clone());
                }
            }
            let document_subject = speaker.is_none() && f.speaker_span.is_some_and(|sp| self.is_document_noun(sp));
            if document_subject {
                if let Some((ps, pend)) = &prev {
                    if story(*pend) == story(f.content.start) {
                        speaker = ps.clone();
                    }
                }
            }
            if f.continues && speaker.is_none() {
                match &prev {
                    // The previous quote of the story has a speaker: it goes on. One with none
                    // (a report with no named source) passes nothing on.
                    Some((ps @ Some(_), pend)) if story(*pend) == story(f.content.start) => speaker = ps.clone(),
                    // Else, as for the story's first quote with no subject (`استنكر الشيخ X التفجير. وقال
                    // "…"`): the person named last, in its sentence or the one before.
                    _ => speaker = self.person_before(f.content.start).filter(|e| story(e.span.start) == story(f.content.start)).map(|e| e.id.clone()),
                }
            }
            prev = Some((speaker.clone(), f.content.end));
            out.push(Quote {
                span: f.content,
                cue: f.cue,
                speaker,
                speaker_span: f.speaker_span,
            });
        }
        out
    }

    /// The quote a cue at `k` introduces: (quote, token to resume at).
    #[allow(clippy::too_many_arguments)]
    fn after_cue(
        &self,
        k: usize,
        sb: usize,
        participle: bool,
        sa: usize,
        all_pairs: &[(usize, usize)],
        used: &mut [bool],
        found: &FoundSet,
    ) -> Option<(Found, usize)> {
        let limit = (k + 45).min(self.toks.len());
        let mut j = k + 1;
        let mut comp: Option<usize> = None;
        let mut direct: Option<usize> = None; // index into all_pairs
        // The marks holding the speaker's name ([`Finder::names_the_speaker`]).
        let mut named: Option<(usize, usize)> = None;
        while j < limit {
            if let Some(pi) = pair_opened_at(all_pairs, j) {
                // `وأشارت "فيتش" في بيانها إلى أن …`: a short name in marks right after the
                // verb is who spoke; the speech follows the complementizer.
                // So is one after a name head (`ذكرت صحيفة "صنداي تايمز" أن …`).
                let after_head = j == k + 2 && NAME_HEADS.contains(&strip_conj(self.n(k + 1)));
                if (j == k + 1 || after_head) && self.names_the_speaker(all_pairs[pi], sb, all_pairs) {
                    named = Some(all_pairs[pi]);
                    used[pi] = true;
                    j = all_pairs[pi].1 + 1;
                    continue;
                }
                let governed = comp.is_some()
                    || j == k + 1
                    || (j > 0 && matches!(self.n(j - 1), ":" | "،" | ","));
                if !self.is_name(all_pairs[pi], governed) && !self.holds_one_entity(all_pairs[pi]) {
                    direct = Some(pi);
                    break;
                }
                j = all_pairs[pi].1 + 1;
                continue;
            }
            if j >= sb || self.is_terminal(j) {
                break;
            }
            let n = self.n(j);
            if COMPLEMENTIZERS.contains(&n) {
                comp = Some(j);
                // A direct quote right after the complementizer (بأنه «…») is the content.
                if let Some(pi) = pair_opened_at(all_pairs, j + 1)
                    .or_else(|| pair_opened_at(all_pairs, j + 2).filter(|_| self.is_comma(j + 1)))
                {
                    if !self.is_name(all_pairs[pi], true) {
                        direct = Some(pi);
                    }
                }
                break;
            }
            if n == ":" {
                if let Some(pi) = pair_opened_at(all_pairs, j + 1) {
                    direct = Some(pi);
                    break;
                }
                comp = Some(j);
                break;
            }
            if self.is_verb(j) && j > k + 1 {
                return None;
            }
            j += 1;
        }
        let region_end = match (direct, comp) {
            (Some(pi), _) => comp.unwrap_or(all_pairs[pi].0).min(all_pairs[pi].0),
            (None, Some(c)) => c,
            (None, None) => return None,
        };
        // Content.
        let (content, resume) = if let Some(pi) = direct {
            let (o, c) = all_pairs[pi];
            if o + 1 >= c {
                return None;
            }
            used[pi] = true;
            (self.span(o + 1, c), c + 1)
        } else {
            let c = comp?;
            let start = c + 1;
            let mut end = start;
            let mut e = start;
            while e < sb.max(start) && e < self.toks.len() {
                let linker = matches!(self.n(e + 1), "بينما" | "فيما" | "كما" | "حين" | "في_حين" | "اذ" | "حيث" | "لكن" | "ولكن");
                // A participle with its own complementizer opens a new quote, comma or not
                // (`… على مدى 18 شهرا مضيفا أن …`).
                if e > start && self.is_participle(e) && (COMPLEMENTIZERS.contains(&self.n(e + 1)) || self.n(e + 1) == "الي" && COMPLEMENTIZERS.contains(&self.n(e + 2))) {
                    break;
                }
                if self.is_comma(e)
                    && e + 1 < sb
                    && (self.is_participle(e + 1)
                        || self.is_verb(e + 1)
                        || linker && e + 2 < sb && self.is_verb(e + 2))
                {
                    break;
                }
                if let Some(pi) = pair_opened_at(all_pairs, e).filter(|_| e > start + 1) {
                    // Words in marks inside the reported clause (`إنه على استعداد للقيام "بكل ما
                    // في وسعه"`) are part of it, when they close within the sentence.
                    let c = all_pairs[pi].1;
                    if c >= sb {
                        break;
                    }
                    used[pi] = true;
                    e = c + 1;
                    end = e;
                    continue;
                }
                e += 1;
                if !self.is_terminal(e - 1) {
                    end = e;
                }
            }
            while end > start
                && self.toks[end - 1].kind == TokenKind::Punct
                && !matches!(self.n(end - 1), "»" | "\"" | ")")
            {
                end -= 1;
            }
            if end <= start {
                return None;
            }
            (self.span(start, end), end)
        };
        if found.overlaps(content) {
            return None;
        }
        // `وصف X بأنها إيجابية`: one word after "described as" is a label, not speech; a
        // phrase is (`بأنها "ليست خطيرة"`).
        if matches!(strip_conj(self.n(k)), "وصف" | "وصفت" | "وصفوا") && self.words_in(content) < 2 {
            return None;
        }
        // Speaker.
        let cue = Some(self.cue_text(k));
        if participle {
            if let Some(prev) = found.last_within(self.toks[sa].span.start, self.toks[k].span.start) {
                return Some((
                    Found {
                        content,
                        cue,
                        speaker: prev.speaker.clone(),
                        speaker_span: prev.speaker_span,
                        continues: true,
                    },
                    resume,
                ));
            }
            // No quote before it in its sentence: the entity that opens the sentence, else the
            // previous speaker (`«…». مبينًا أن …`), unless a reporting verb of the sentence
            // gave the participle a subject of its own (`وانتقد نواب القرار، معتبرين أنه …`).
            let e = self.entity_near_start(sa, k);
            let own_subject = (sa..k).any(|i| self.is_verb(i));
            return Some((
                Found {
                    content,
                    cue,
                    speaker: e.map(|e| e.id.clone()),
                    speaker_span: e.map(|e| e.span),
                    continues: e.is_none() && !own_subject,
                },
                resume,
            ));
        }
        let (mut sp, mut id) = match named {
            Some((o, c)) => self.speaker_in(o + 1, c),
            None => self.speaker_in(k + 1, region_end),
        };
        if sp.is_none() && matches!(self.n(k), "قوله" | "قولها" | "قولهم") {
            // نقلت الوكالة عن X قوله إن …: the speaker follows عن.
            if let Some(an) = (sa..k).rev().find(|&i| self.n(i) == "عن") {
                let r = self.speaker_in(an + 1, k);
                return Some((
                    Found {
                        content,
                        cue,
                        speaker: r.1,
                        speaker_span: r.0,
                        continues: false,
                    },
                    resume,
                ));
            }
        }
        if sp.is_none() {
            // Subject before the verb: `كان القائد العام … خليفة حفتر قال`.
            // The word before may be the closing mark of a name (`وكانت قناة "العربية" ذكرت`).
            let closes_name = k > sa + 1 && matches!(self.n(k - 1), "\"" | "»" | "”") && self.toks[k - 1].glued_prev;
            // `أما X فقال`: the subject fronted by أما, the verb taking ف.
            let amma = self.n(k).starts_with('ف') && (sa..k).rev().take(10).any(|i| self.n(i) == "اما");
            if k > sa
                && (self.toks[k - 1].kind == TokenKind::Word || closes_name)
                && (strip_conj(self.n(k)) == self.n(k) || amma)
            {
                let mut a = k;
                while a > sa
                    && !self.is_comma(a - 1)
                    && !self.is_terminal(a - 1)
                    && !matches!(self.n(a - 1), "»" | ":")
                {
                    a -= 1;
                }
                while a < k
                    && matches!(
                        self.n(a),
                        "كان"
                            | "اما"
                            | "وكان"
                            | "كانت"
                            | "وكانت"
                            | "قد"
                            | "وقد"
                            | "ثم"
                            | "كما"
                            | "وكما"
                            | "فيما"
                            | "بينما"
                            | "لكن"
                            | "ولكن"
                    )
                {
                    a += 1;
                }
                let rel = matches!(
                    strip_conj(self.n(a)),
                    "التي" | "الذي" | "الذين" | "اللذين" | "اللتين" | "اللواتي"
                );
                if a < k && !rel && k - a <= 10 {
                    let r = self.speaker_in(a, k);
                    sp = r.0;
                    id = r.1;
                }
            }
        }
        if sp.is_none() && strip_conj(self.n(k)) != self.n(k) && k > sa {
            // `أوضح ذلك المدير العام محمد المرشد وبيّن أن …`: the subject of a reporting verb
            // before, right before this one, is this one's subject too.
            let before = self.toks[k - 1].span.end;
            let subject = self
                .entities_before(before)
                .next()
                .filter(|e| e.span.end == before && matches!(e.kind, EntityType::Pers | EntityType::Org));
            if let Some(e) = subject {
                let ei = self.toks.partition_point(|t| t.span.start < e.span.start);
                let governed = (sa..ei)
                    .rev()
                    .take_while(|&i| !self.is_comma(i) && !COMPLEMENTIZERS.contains(&self.n(i)))
                    .any(|i| self.is_verb(i));
                if governed {
                    sp = Some(e.span);
                    id = Some(e.id.clone());
                }
            }
        }
        let mut is_cont = sp.is_none();
        // An imperfect verb right after a noun describes it (`مع عنوان يقول "…"`، `شعارا
        // يقول`): no one speaks on.
        let w = self.n(k);
        if is_cont
            && k > sa
            && strip_conj(w) == w
            && (w.starts_with('ي') || w.starts_with('ت'))
            && self.toks[k - 1].kind == TokenKind::Word
            && !matches!(self.n(k - 1), "ثم" | "كما" | "حيث" | "فيما" | "بينما" | "وقد" | "قد" | "لقد" | "فقد" | "كان" | "وكان" | "كانت" | "وكانت" | "اذ" | "واذ" | "و" | "لا" | "ولا" | "لم" | "بل" | "عندما" | "حين" | "حينما" | "وهو" | "وهي" | "هو" | "هي" | "اخذ" | "وبات" | "بات" | "ظل" | "مازال" | "لايزال" | "يزال" | "تزال")
        {
            is_cont = false;
        }
        // `يتوقع X أن` reports X's forecast; with no subject it is impersonal (`ويتوقع أن
        // يصل …`, "it is expected"), no one's speech.
        if is_cont && EXPECT_VERBS.contains(&strip_conj(self.n(k))) {
            return None;
        }
        let _ = CONTINUE;
        Some((
            Found {
                content,
                cue,
                speaker: id,
                speaker_span: sp,
                continues: is_cont,
            },
            resume,
        ))
    }

    /// The speaker phrase within tokens `[a, b)`: its span and entity id. A person set off
    /// by commas after a phrase that names nobody is its apposition (`ويقول مراسل بي بي سي
    /// في بكين، روبن برانت، إن`), a rank before the name and more set off after it included
    /// (`قال رئيس القيادة المركزية، الجنرال جوزيف فوتيل، الخميس، إن`).
    fn speaker_in(&self, a: usize, b: usize) -> (Option<Span>, Option<String>) {
        let (sp, id) = self.speaker_phrase(a, b);
        let has_person = sp.is_some_and(|s| self.entities_inside(s).iter().any(|e| e.kind == EntityType::Pers));
        if let (Some(s), false) = (sp, has_person) {
            let c = self.toks.partition_point(|t| t.span.start < s.end);
            if c < b && self.is_comma(c) && b >= 2 && self.is_comma(b - 1) && c + 1 < b - 1 {
                // The apposition ends at the next comma; what follows up to the comma before
                // the complementizer says when or where (no verb: a verb would be a clause).
                let d = (c + 1..b).find(|&i| self.is_comma(i)).unwrap_or(b - 1);
                let appos = self.span(c + 1, d.max(c + 2));
                let after_is_adjunct = d > c + 1 && (d + 1..b - 1).all(|i| !self.is_verb(i));
                let person = self.entities_inside(appos).into_iter().find(|e| {
                    // The name's first token (it may begin before the name, at a clitic).
                    let first = self.toks.partition_point(|t| t.span.end <= e.span.start);
                    // Up to two ranks or honorifics before the name (`الجنرال`، `الشيخ`).
                    let ranks = (c + 1..first).all(|i| crate::ner::is_person_title(self.n(i)));
                    e.kind == EntityType::Pers && e.span.end == appos.end && first - (c + 1) <= 2 && ranks
                });
                if let Some(p) = person.filter(|_| after_is_adjunct) {
                    return (Some(p.span), Some(p.id.clone()));
                }
            }
        }
        (sp, id)
    }

    fn speaker_phrase(&self, a: usize, b: usize) -> (Option<Span>, Option<String>) {
        let mut a = a;
        while a < b {
            if SPEAKER_ADVERBS.contains(&self.n(a)) {
                a += 1;
            } else if self.n(a) == "من" && ["جهته", "جانبه", "ناحيته", "جهتها", "جانبها", "ناحيتها", "جهتهم", "جانبهم"].contains(&self.n(a + 1)) {
                a += 2;
            } else {
                break;
            }
        }
        let mut e = a;
        while e < b {
            let n = self.n(e);
            let part_of_day = matches!(n, "صباح" | "مساء" | "ظهر" | "فجر")
                && SPEAKER_STOPS.contains(&self.n(e + 1));
            // Marks around a short name inside the phrase (`معهد "إنفو" في ميونيخ`) are part
            // of it; any other mark ends it (an unclosed one may open the speech).
            if matches!(n, "\"" | "«" | "“") {
                if let Some(c) = (e + 1..(e + 6).min(b)).find(|&i| matches!(self.n(i), "\"" | "»" | "”")) {
                    e = c + 1;
                    continue;
                }
            }
            if self.is_comma(e)
                || self.toks[e].kind == TokenKind::Punct && !matches!(n, "." | "-")
                || SPEAKER_STOPS.contains(&n)
                || part_of_day
            {
                break;
            }
            if n == "في"
                && self.toks.get(e + 1).is_some_and(|t| {
                    t.n.starts_with("خطاب")
                        || t.n.starts_with("تصريح")
                        || t.n.starts_with("حديث")
                        || t.n.starts_with("مقابل")
                        || t.n.starts_with("كلم")
                        || t.n.starts_with("موتمر")
                        || t.n.starts_with("بيان")
                        || t.n.starts_with("لقاء")
                })
            {
                break;
            }
            e += 1;
        }
        // An addressee in marks before the speaker (`وكشف لـ"الوطن" مدير الإدارة … أن`):
        // the speaker follows it.
        if e > a + 2 && matches!(self.n(a), "ل" | "لـ") && matches!(self.n(a + 1), "\"" | "«" | "“") {
            if let Some(c) = (a + 2..e).find(|&i| matches!(self.n(i), "\"" | "»" | "”")) {
                if c + 1 < e {
                    a = c + 1;
                }
            }
        }
        // An addressee, not a speaker: ل / لـ / لوكالة… at the front.
        if e > a {
            let f = self.n(a);
            if f == "ل"
                || f == "لـ"
                || f.strip_prefix('ل').is_some_and(|rest| NAME_HEADS.iter().any(|h| rest.starts_with(h)))
            {
                return (None, None);
            }
        }
        while e > a
            && matches!(
                self.doc.slice(self.toks[e - 1].span),
                "إلى" | "الى" | "على" | "في" | "له" | "لها" | "ل" | "من" | "عن"
            )
        {
            e -= 1;
        }
        if e <= a {
            return (None, None);
        }
        // An honorific standing for a pronoun (`وبيّن معاليه أن`، `وأكد سموه`): no subject of
        // its own, the previous speaker goes on.
        if e == a + 1 && HONORIFIC_PRONOUNS.contains(&self.n(a)) {
            // The person last introduced with the title the honorific belongs to (`الأمير
            // سعود بن نايف` … `وأكد سموه`), else the previous speaker.
            return match self.honored_person(a) {
                Some(p) => (Some(self.toks[a].span), Some(p.id.clone())),
                None => (None, None),
            };
        }
        if e == a + 1 && PRONOUN_SUBJECTS.contains(&self.n(a)) {
            return (None, None);
        }
        // A phrase that opens with a preposition is no subject (`قد قال في وقت سابق "…"`):
        // the subject, if any, stands before the verb.
        if matches!(self.n(a), "في" | "من" | "الي" | "عن" | "مع" | "منذ" | "لدي" | "عند") {
            return (None, None);
        }
        let span = self.span(a, e);
        let inside = self.entities_inside(span);
        let people: Vec<&str> = inside
            .iter()
            .filter(|x| x.kind == EntityType::Pers)
            .map(|x| x.id.as_str())
            .collect();
        if people.iter().any(|p| *p != people[0]) {
            // Two people speak together (`الوزير X والوزير Y`): no single speaker. A person
            // named in the first one's title (`أمير الكناني المستشار القانوني للرئيس العراقي
            // فؤاد معصوم`) is not a second speaker.
            // Joined when the word after the first name begins with the conjunction (`ووزير
            // الدفاع`, `والوزير`, `و`), not when it is a title that begins with و (`وزير`).
            let first_end = inside.iter().find(|x| x.kind == EntityType::Pers).map_or(span.start, |x| x.span.end);
            let next = (a..e).find(|&i| self.toks[i].span.start >= first_end && self.toks[i].kind == TokenKind::Word).map(|i| self.n(i));
            let title_with_waw = |w: &str| ["وزير", "وكيل", "والي", "وسيط"].iter().any(|t| w.starts_with(t));
            let joined = next.is_some_and(|w| w.starts_with('و') && !title_with_waw(w));
            if joined {
                return (Some(span), None);
            }
        }
        let id = inside
            .iter()
            .find(|x| x.kind == EntityType::Pers)
            .or_else(|| {
                inside
                    .iter()
                    .find(|x| x.span.start <= self.toks[a].span.end && x.span.start >= span.start)
            })
            .or_else(|| {
                // A medium or service named after its head noun, which the tagger leaves out
                // (`وقالت خدمة [الإسعاف الإسرائيلية]`، `ذكرت صحيفة [ميرور البريطانية]`).
                let head = strip_conj(self.n(a));
                let second = self.toks.get(a + 1).filter(|_| a + 1 < e)?.span.start;
                (NAME_HEADS.contains(&head) || matches!(head, "خدمه" | "دايره" | "مصرف"))
                    .then(|| inside.iter().find(|x| x.kind == EntityType::Org && x.span.start == second))
                    .flatten()
            })
            .map(|x| x.id.clone());
        (Some(span), id)
    }

    /// An entity among the first tokens of a sentence (the subject of its verb).
    fn entity_near_start(&self, sa: usize, k: usize) -> Option<&Entity> {
        let lim = self.toks[(sa + 5).min(k)].span.start;
        let from = self.toks[sa].span.start;
        self.starting_in(from, lim)
            .filter(|&i| self.doc.entities[i].kind != EntityType::Misc)
            .min()
            .map(|i| &self.doc.entities[i])
    }

    /// Indices of the entities starting in `[from, to]`, in no particular order.
    fn starting_in(&self, from: u32, to: u32) -> impl Iterator<Item = usize> + '_ {
        let es = &self.doc.entities;
        let lo = self.by_start.partition_point(|&i| es[i].span.start < from);
        self.by_start[lo..].iter().copied().take_while(move |&i| es[i].span.start <= to)
    }

    /// The entities lying inside `span`, in the document's order.
    fn entities_inside(&self, span: Span) -> Vec<&Entity> {
        let es = &self.doc.entities;
        let mut idx: Vec<usize> = self.starting_in(span.start, span.end).filter(|&i| es[i].span.end <= span.end).collect();
        idx.sort_unstable();
        idx.into_iter().map(|i| &es[i]).collect()
    }

    /// `…، وفقا لـ X.` / `حسب ما نقلت Y عن X` / `نقلا عن X` / sentence-initial `ووفقا لـ X، …`.
    fn attributions(&self, sa: usize, sb: usize, found: &mut FoundSet) {
        let mut k = sa;
        while k < sb {
            let n_full = self.n(k);
            let n = if matches!(n_full, "وفقا" | "طبقا") {
                n_full
            } else {
                strip_conj(n_full)
            };
            let (is_attr, skip) = match n {
                "وفقا" | "طبقا" | "تبعا" => (true, 1),
                "حسب" | "حسبما" => (true, 1),
                "نقلا" if self.n(k + 1) == "عن" => (true, 2),
                _ if n == "بحسب" => (true, 1),
                _ => (false, 0),
            };
            if !is_attr {
                k += 1;
                continue;
            }
            let surface = self.doc.slice(self.toks[k].span);
            let cue = Some(
                if n_full != n || n_full.starts_with("وب") || n_full.starts_with("وو") {
                    surface.chars().skip(1).collect::<String>()
                } else {
                    surface.to_string()
                },
            );
            let mut src = k + skip;
            if matches!(self.n(src), "ما" | "لما") {
                src += 1;
            }
            // حسب ما نقلت وكالة Y عن X: the speaker follows عن.
            // The source ends at a comma or at the فإن that opens the content (`ووفقا لمركز
            // الإحصاءات فإن نسبة البطالة …`).
            let mut src_end = src;
            while src_end < sb
                && !self.is_comma(src_end)
                && !self.is_terminal(src_end)
                && !matches!(self.n(src_end), "فان" | "فانه" | "فانها")
            {
                src_end += 1;
            }
            if let Some(an) = (src..src_end).find(|&i| self.n(i) == "عن") {
                src = an + 1;
            }
            let at_start = k == sa || (k == sa + 1 && self.toks[sa].kind == TokenKind::Punct);
            let content = if at_start {
                // Content after the comma that closes the source.
                let mut a = src_end + 1;
                if matches!(self.n(a), "فان" | "فانه" | "فانها" | "فقد") {
                    a += 1;
                }
                let mut b = sb;
                while b > a && self.toks[b - 1].kind == TokenKind::Punct {
                    b -= 1;
                }
                (a < b).then(|| self.span(a, b))
            } else if k > sa + 1 && self.is_comma(k - 1) {
                let a = sa;
                (a < k - 1).then(|| self.span(a, k - 1))
            } else {
                None
            };
            let Some(content) = content else {
                k += 1;
                continue;
            };
            // Only attributions of speech or reporting (a source word or an entity).
            let src_span = if src < src_end {
                Some(self.span(src, src_end))
            } else {
                None
            };
            let has_source = (src..src_end).any(|i| {
                let w = self.n(i);
                let w = w.strip_prefix('ل').unwrap_or(w);
                SOURCES.contains(&w) || SOURCES.contains(&w.strip_prefix("ال").unwrap_or(w))
            }) || src_span.is_some_and(|s| !self.entities_inside(s).is_empty());
            if !has_source || found.overlaps(content) {
                k += 1;
                continue;
            }
            let (sp, id) = if src < src_end {
                self.speaker_attr(src, src_end)
            } else {
                (None, None)
            };
            found.push(Found {
                content,
                cue,
                speaker: id,
                speaker_span: sp,
                continues: false,
            });
            k = src_end;
        }
    }

    /// A source phrase after وفقا لـ: like [`Self::speaker_in`], allowing the ل glued to it.
    fn speaker_attr(&self, a: usize, b: usize) -> (Option<Span>, Option<String>) {
        let span = self.span(a, b);
        let inside = self.entities_inside(span);
        let id = inside
            .iter()
            .find(|x| x.kind == EntityType::Pers)
            .or_else(|| inside.first())
            .map(|x| x.id.clone());
        (Some(span), id)
    }
}

/// The top-level quote pairs are disjoint and in text order: the pair opened at token `j`,
/// by binary search.
fn pair_opened_at(pairs: &[(usize, usize)], j: usize) -> Option<usize> {
    pairs.binary_search_by_key(&j, |&(o, _)| o).ok()
}

/// Whether token `k` lies strictly inside a quote pair: only the last pair opened before
/// `k` can hold it, the pairs being disjoint and in order.
fn inside_pair(pairs: &[(usize, usize)], k: usize) -> bool {
    let n = pairs.partition_point(|&(o, _)| o < k);
    n > 0 && k < pairs[n - 1].1
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// One annotated quote of the real-news quote fixture (`crates/khabar/tests/data/quotes/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldQuote {
    /// `snn:N` or `ant:N`: line N of the SaudiNewsNet or ANT file.
    pub article: String,
    /// First code point of the content in the article's `text`.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// The speaker's name as the article writes it; `None` when it names no speaker.
    pub speaker: Option<String>,
}

/// Parses a quote fixture (`article<TAB>start<TAB>end<TAB>speaker`, `-` for no named speaker,
/// `#` comments).
///
/// # Errors
/// A malformed line, named by its number.
pub fn parse_fixture(text: &str) -> std::result::Result<Vec<GoldQuote>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what: &str| format!("line {}: {what}", n + 1);
        let [article, start, end, speaker] = line.split('\t').collect::<Vec<_>>()[..] else {
            return Err(bad("expected article<TAB>start<TAB>end<TAB>speaker"));
        };
        let num = |s: &str| s.parse::<usize>().map_err(|_| bad(&format!("`{s}` is not an offset")));
        let (start, end) = (num(start)?, num(end)?);
        if end <= start {
            return Err(bad("empty span"));
        }
        let speaker = (speaker != "-").then(|| speaker.to_string());
        out.push(GoldQuote { article: article.to_string(), start, end, speaker });
    }
    Ok(out)
}

/// Quote figures over a fixture: content found (IoU ≥ 0.8), and found with the right speaker.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct QuoteScore {
    /// Annotated quotes.
    pub gold: usize,
    /// Quotes the pipeline found in the annotated articles.
    pub system: usize,
    /// Gold quotes matched one to one by a found quote's content.
    pub content: usize,
    /// Of those, with the right speaker (the gold's name among the speaker record's forms,
    /// or no speaker on both sides).
    pub correct: usize,
}

impl QuoteScore {
    /// Precision, recall and F1 of content with the right speaker.
    pub fn with_speaker(&self) -> (f64, f64, f64) {
        crate::ner::score::fractions(self.correct, self.system, self.gold)
    }
    /// Precision, recall and F1 of content alone.
    pub fn content_only(&self) -> (f64, f64, f64) {
        crate::ner::score::fractions(self.content, self.system, self.gold)
    }
    /// Adds another score.
    pub fn add(&mut self, o: &QuoteScore) {
        self.gold += o.gold;
        self.system += o.system;
        self.content += o.content;
        self.correct += o.correct;
    }
}

/// Whether two names are one speaker's: equal once normalized, or every word of the shorter
/// is one of the longer's (`ترامب` / `دونالد ترامب`, `كيليجدار` / `كمال كيليجدار أوغلو`,
/// `وزارة الداخلية` / `وزارة الداخلية السعودية`).
fn same_speaker(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        let n = normalize(s, Profile::Search);
        // Marks dropped: `وكالة الأنباء السعودية (واس)` is also `واس`.
        n.split_whitespace()
            .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
            .map(|w| strip_conj(&w).to_string())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    !short.is_empty() && short.iter().all(|w| long.contains(w))
}

/// Scores the gold quotes of one analyzed article (`article`, its fixture name), adding to
/// `score`; returns one line per missed, spurious or wrongly attributed quote (for the
/// tuning half only).
pub fn score_article(article: &str, doc: &Document, golds: &[&GoldQuote], score: &mut QuoteScore) -> Vec<String> {
    let text = doc.text();
    let cp = crate::CodepointIndex::new(text);
    let found: Vec<(usize, usize)> = doc.quotes.iter().map(|q| (cp.cp(q.span.start) as usize, cp.cp(q.span.end) as usize)).collect();
    let chars: Vec<char> = text.chars().collect();
    let snippet = |s: usize, e: usize| -> String { chars.get(s..e.min(s + 40)).map(|c| c.iter().collect()).unwrap_or_default() };
    let mut used = vec![false; found.len()];
    let mut errors = Vec::new();
    score.gold += golds.len();
    score.system += found.len();
    for g in golds {
        let iou = |&(s, e): &(usize, usize)| {
            let inter = e.min(g.end).saturating_sub(s.max(g.start));
            let union = e.max(g.end) - s.min(g.start);
            inter as f64 / union.max(1) as f64
        };
        let best = (0..found.len()).filter(|&k| !used[k]).max_by(|&x, &y| iou(&found[x]).total_cmp(&iou(&found[y])));
        let Some(k) = best.filter(|&k| iou(&found[k]) >= 0.8) else {
            errors.push(format!("{} missed: {}… (speaker {})", g.article, snippet(g.start, g.end), g.speaker.as_deref().unwrap_or("-")));
            continue;
        };
        used[k] = true;
        score.content += 1;
        let q = &doc.quotes[k];
        let record = q.speaker.as_ref().and_then(|id| doc.entity_index.iter().find(|r| &r.id == id));
        let right = match (&g.speaker, record) {
            (None, None) => true,
            (Some(name), Some(r)) => std::iter::once(&r.name).chain(&r.variants).any(|v| same_speaker(name, v)),
            _ => false,
        };
        if right {
            score.correct += 1;
        } else {
            errors.push(format!(
                "{} speaker: {}… gold {} got {}",
                g.article,
                snippet(g.start, g.end),
                g.speaker.as_deref().unwrap_or("-"),
                record.map_or("-", |r| r.name.as_str())
            ));
        }
    }
    for (k, &(s, e)) in found.iter().enumerate() {
        if !used[k] {
            errors.push(format!("{article} spurious: {}…", snippet(s, e)));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntityType::*;

    #[test]
    fn pair_lookups_agree_with_scanning_every_pair() {
        // Disjoint pairs in order, as `pairs` makes them: (1,3) (5,6) (8,12).
        let pairs = [(1, 3), (5, 6), (8, 12)];
        for k in 0..14 {
            assert_eq!(inside_pair(&pairs, k), pairs.iter().any(|&(o, c)| o < k && k < c), "token {k}");
            assert_eq!(pair_opened_at(&pairs, k), pairs.iter().position(|&(o, _)| o == k), "token {k}");
        }
    }

    #[test]
    fn found_quotes_answer_overlap_and_last_within_as_a_scan_would() {
        let f = |a: u32, b: u32| Found { content: Span { start: a, end: b }, cue: None, speaker: Some(format!("{a}")), speaker_span: None, continues: false };
        let mut set = FoundSet::default();
        // Pushed out of text order, as the unclaimed-quote pass does.
        let spans = [(10, 20), (40, 50), (25, 30), (60, 61)];
        for &(a, b) in &spans {
            set.push(f(a, b));
        }
        for a in 0..70 {
            for b in a + 1..72 {
                let q = Span { start: a, end: b };
                assert_eq!(set.overlaps(q), spans.iter().any(|&(x, y)| overlaps(Span { start: x, end: y }, q)), "{a}..{b}");
                let scan = set.list.iter().rev().find(|x| x.content.end <= b && x.content.start >= a).map(|x| x.content);
                assert_eq!(set.last_within(a, b).map(|x| x.content), scan, "{a}..{b}");
            }
        }
    }

    fn doc_with(text: &str, mentions: &[(&str, EntityType, &str)]) -> Document {
        let mut d = crate::document::bare_document(text, None);
        let mut from = 0;
        for (m, k, id) in mentions {
            let s = text[from..].find(m).unwrap() + from;
            d.entities.push(Entity {
                span: Span::new(s, s + m.len()),
                kind: *k,
                id: id.to_string(),
            });
            from = s + m.len();
        }
        d
    }

    fn q(d: &Document) -> Vec<(String, Option<String>, Option<String>)> {
        find_quotes(d)
            .into_iter()
            .map(|x| (d.slice(x.span).to_string(), x.cue, x.speaker))
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn indirect_with_title_and_name() {
        let d = doc_with(
            "أكد وزير الخارجية التونسي خميس الجهيناوي أن التعاون الأمني قائم ولم ينقطع.",
            &[("خميس الجهيناوي", Pers, "E1")],
        );
        assert_eq!(
            q(&d),
            vec![("التعاون الأمني قائم ولم ينقطع".into(), s("أكد"), s("E1"))]
        );
    }

    #[test]
    fn mismatched_marks_and_subject_before_verb() {
        let d = doc_with(
            "كان القائد العام للجيش الليبي خليفة حفتر قال ل»فرانس 24»، «إنه لا يوجد تعاون أمني بين تونس وليبيا».",
            &[("خليفة حفتر", Pers, "E2"), ("فرانس 24", Org, "E3"), ("تونس", Loc, "E4"), ("ليبيا", Loc, "E5")],
        );
        assert_eq!(
            q(&d),
            vec![(
                "إنه لا يوجد تعاون أمني بين تونس وليبيا".into(),
                s("قال"),
                s("E2")
            )]
        );
    }

    #[test]
    fn direct_after_complementizer_and_null_speaker() {
        let d = doc_with("أكد بيان صحفي نشر عبر الموقع الرسمي للسفارة الأمريكية، أمس الأول، بأنه «لا تزال الولايات المتحدة ملتزمة بالعمل مع ليبيا».", &[("الولايات المتحدة", Loc, "E1")]);
        let v = q(&d);
        assert_eq!(
            v,
            vec![(
                "لا تزال الولايات المتحدة ملتزمة بالعمل مع ليبيا".into(),
                s("أكد"),
                None
            )]
        );
    }

    #[test]
    fn continuation_parenthetical_and_participle() {
        let d = doc_with(
            "قال الجهيناوي، في تصريحات له، إن الزيارة تندرج في سياق التعاون. وأضاف أن البلدين يعملان معا، مشيرا إلى أن الحدود آمنة.",
            &[("الجهيناوي", Pers, "E1")],
        );
        assert_eq!(
            q(&d),
            vec![
                ("الزيارة تندرج في سياق التعاون".into(), s("قال"), s("E1")),
                ("البلدين يعملان معا".into(), s("أضاف"), s("E1")),
                ("الحدود آمنة".into(), s("مشيرا"), s("E1")),
            ]
        );
    }

    #[test]
    fn attributions_and_straight_quotes() {
        let d = doc_with(
            "قتل ثلاثة أشخاص في الهجوم، وفقا لوكالة الأنباء الليبية. وقالت الوزيرة ليلى بن علي: \"سنواصل العمل حتى النهاية\".",
            &[("وكالة الأنباء الليبية", Org, "E1"), ("ليلى بن علي", Pers, "E2")],
        );
        assert_eq!(
            q(&d),
            vec![
                ("قتل ثلاثة أشخاص في الهجوم".into(), s("وفقا"), s("E1")),
                ("سنواصل العمل حتى النهاية".into(), s("قالت"), s("E2"))
            ]
        );
    }

    #[test]
    fn names_in_marks_are_not_quotes() {
        let d = doc_with("نشرت صحيفة «الشروق» تقريرا عن حركة «النهضة» أمس.", &[]);
        assert!(q(&d).is_empty());
    }

    #[test]
    fn a_participle_opening_a_sentence_continues_the_previous_speaker() {
        let d = doc_with(
            "وقال فهد الشهابي: «التحديات كبيرة». مبينا أن الأمانة حددت المحاور. وانتقد نواب القرار، معتبرين أنه يثقل كاهل المواطنين.",
            &[("فهد الشهابي", EntityType::Pers, "E1")],
        );
        let got = q(&d);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!((got[1].2.clone(), got[2].2.clone()), (s("E1"), None));
    }

    #[test]
    fn a_title_written_after_the_name_refers_back_to_the_person() {
        let d = doc_with(
            "وافتتح فهد الشهابي أمين عام الملتقى الجلسة. وأوضح أمين عام الملتقى الخليجي أن الجلسات ست.",
            &[("فهد الشهابي", EntityType::Pers, "E1")],
        );
        assert_eq!(q(&d), vec![("الجلسات ست".to_string(), s("أوضح"), s("E1"))]);
    }

    #[test]
    fn words_in_marks_inside_reported_speech_belong_to_it() {
        let d = doc_with("وقال الوزير إنه على استعداد للقيام \"بكل ما في وسعه\" من أجل القضية.", &[]);
        assert_eq!(q(&d).len(), 1);
        assert_eq!(q(&d)[0].0, "على استعداد للقيام \"بكل ما في وسعه\" من أجل القضية");
    }

    #[test]
    fn a_person_in_the_speakers_title_is_not_a_second_speaker() {
        let d = doc_with(
            "قال أمير الكناني المستشار القانوني للرئيس العراقي فؤاد معصوم إن الرئيس رفض الميزانية.",
            &[("أمير الكناني", EntityType::Pers, "E1"), ("فؤاد معصوم", EntityType::Pers, "E2")],
        );
        assert_eq!(q(&d)[0].2, s("E1"));
        let d = doc_with(
            "أكد الوزير هشام الفوراتي ووزير الدفاع عبد الكريم الزبيدي أن الوضع مستقر.",
            &[("هشام الفوراتي", EntityType::Pers, "E1"), ("عبد الكريم الزبيدي", EntityType::Pers, "E2")],
        );
        assert_eq!(q(&d)[0].2, None);
    }

    #[test]
    fn a_title_or_definite_noun_names_the_entity_the_story_introduced_with_it() {
        let d = doc_with(
            "التقى الرئيس الأمريكي دونالد ترامب بالوفد. وقال الرئيس الأمريكي إن المحادثات مثمرة.",
            &[("دونالد ترامب", EntityType::Pers, "E1")],
        );
        assert_eq!(q(&d), vec![("المحادثات مثمرة".to_string(), s("قال"), s("E1"))]);
        // A title in construct, introduced with a conjunction: `ووزير` is و + `وزير`, and the
        // later `وزير` has no conjunction, though it begins with و.
        let d = doc_with(
            "عقد وزير الخارجية عادل الجبير، ووزير الخارجية الإيطالي باولو جينتيلوني مؤتمرا. من جانبه أبان وزير الخارجية الإيطالي أن المباحثات وجدت تطابقا.",
            &[("عادل الجبير", EntityType::Pers, "E1"), ("باولو جينتيلوني", EntityType::Pers, "E2")],
        );
        assert_eq!(q(&d).last().map(|x| x.2.clone()), Some(s("E2")), "{:?}", q(&d));
        // An indefinite phrase is no title (`مصدر أمني`).
        let d = doc_with(
            "التقى مصدر أمني علي حسن. وقال مصدر أمني إن الوضع هادئ.",
            &[("علي حسن", EntityType::Pers, "E1")],
        );
        assert_eq!(q(&d).last().map(|x| x.2.clone()), Some(None), "{:?}", q(&d));
        let d = doc_with(
            "وقعت شركة أوبر عقدا جديدا. وأضافت الشركة أن الخدمة ستتوسع.",
            &[("شركة أوبر", EntityType::Org, "E1")],
        );
        assert_eq!(q(&d), vec![("الخدمة ستتوسع".to_string(), s("أضافت"), s("E1"))]);
        // The noun may stand before the name, outside it, and before its marks.
        let d = doc_with(
            "حذرت منظمة «أنقذوا الأطفال» من المجاعة. وتقول المنظمة إن الأطفال سيموتون.",
            &[("أنقذوا الأطفال", EntityType::Org, "E1")],
        );
        assert_eq!(q(&d).last().map(|x| x.2.clone()), Some(s("E1")));
        let d = doc_with(
            "التقى وزير الخارجية مايك بومبيو نظيره. وقال الوزير إن اللقاء كان جيدا.",
            &[("مايك بومبيو", EntityType::Pers, "E1")],
        );
        assert_eq!(q(&d)[0].2, s("E1"));
        // A noun that only precedes the name across a verb or a complementizer is not its title.
        let d = doc_with(
            "ذكرت صحيفة هآرتس أن نتانياهو سافر. وقالت الصحيفة إن الزيارة سرية.",
            &[("نتانياهو", EntityType::Pers, "E1")],
        );
        assert_eq!(q(&d).last().map(|x| x.2.clone()), Some(None));
    }

    #[test]
    fn the_fixture_scores_content_by_overlap_and_speakers_by_name() {
        let text = "وقال دونالد ترامب إن المحادثات مثمرة جدا. وقالت مصادر إن الوفد غادر.";
        let mut d = doc_with(text, &[("دونالد ترامب", EntityType::Pers, "")]);
        crate::link::link(&mut d);
        d.quotes = find_quotes(&d);
        let cp = |s: &str| text[..text.find(s).unwrap()].chars().count();
        let at = |s: &str| (cp(s), cp(s) + s.chars().count());
        let fixture = format!(
            "# snn:1\nsnn:1\t{}\t{}\tترامب\nsnn:1\t{}\t{}\t-\n",
            at("المحادثات مثمرة جدا").0,
            at("المحادثات مثمرة جدا").1,
            at("الوفد غادر").0,
            at("الوفد").1, // a shorter gold span: IoU 5/10 < 0.8, so missed
        );
        let golds = parse_fixture(&fixture).unwrap();
        let refs: Vec<&GoldQuote> = golds.iter().collect();
        let mut score = QuoteScore::default();
        let errors = score_article("snn:1", &d, &refs, &mut score);
        assert_eq!((score.gold, score.system, score.content, score.correct), (2, 2, 1, 1));
        assert_eq!(errors.len(), 2, "{errors:?}"); // the missed gold and the unmatched find
        assert!(same_speaker("ترامب", "دونالد ترامب") && same_speaker("وزارة الداخلية", "وزارة الداخلية السعودية"));
        assert!(same_speaker("وكالة الأنباء السعودية (واس)", "واس"));
        assert!(same_speaker("كمال كيليجدار أوغلو", "كيليجدار"));
        assert!(!same_speaker("أحمد", "محمد") && !same_speaker("محمد بن سلمان", "محمد بن نايف"));
        assert!(parse_fixture("snn:1\t5\t2\t-").is_err());
    }

    #[test]
    fn a_name_in_marks_after_the_verb_is_the_speaker() {
        let d = doc_with("وقالت \"رويترز\" إن المفاوضات توقفت أمس.", &[("رويترز", EntityType::Org, "E1")]);
        assert_eq!(q(&d), vec![("المفاوضات توقفت أمس".to_string(), s("قالت"), s("E1"))]);
        let d = doc_with(
            "وأشارت «فيتش» في بيانها إلى أن «الاقتصاد يواجه مخاطر».",
            &[("فيتش", EntityType::Org, "E1")],
        );
        assert_eq!(q(&d), vec![("الاقتصاد يواجه مخاطر".to_string(), s("أشارت"), s("E1"))]);
        // After a name head too.
        let d = doc_with("وذكرت صحيفة «ذا صن» أن الصور نسخت.", &[("ذا صن", EntityType::Org, "E1")]);
        assert_eq!(q(&d), vec![("الصور نسخت".to_string(), s("ذكرت"), s("E1"))]);
        // Speech in marks right after the verb stays speech.
        let d = doc_with("وقال الوزير: «سنواصل العمل» ثم غادر.", &[]);
        assert_eq!(q(&d).len(), 1);
        assert_eq!(q(&d)[0].0, "سنواصل العمل");
    }

    #[test]
    fn a_document_speaks_for_whoever_spoke_last_and_its_owner_for_itself() {
        let d = doc_with(
            "وقالت وزارة الداخلية إن الشرطة ضبطت العصابة. وأضاف البيان أن المتهمين اعترفوا. وبحسب تقرير البنك المركزي، فإن النمو تباطأ.",
            &[("وزارة الداخلية", Org, "E1"), ("البنك المركزي", Org, "E2")],
        );
        let v = q(&d);
        assert_eq!(v[1], ("المتهمين اعترفوا".to_string(), s("أضاف"), s("E1")));
        assert_eq!(v[2], ("النمو تباطأ".to_string(), s("بحسب"), s("E2")));
        // An indefinite document is a new source, nobody's continuation.
        let d = doc_with("وقال الوزير خالد إن العمل مستمر. وذكرت دراسة حديثة أن الأسعار سترتفع.", &[("خالد", Pers, "E1")]);
        assert_eq!(q(&d)[1].2, None);
    }

    #[test]
    fn bayyana_is_a_verb_only_with_a_complementizer_not_across_a_pair() {
        let d = doc_with("وبيّن معاليه أن المشروع اكتمل.", &[]);
        assert_eq!(q(&d), vec![("المشروع اكتمل".to_string(), s("بيّن"), None)]);
        let d = doc_with("اتفق الطرفان على أن تكون الحلول مناصفة بين الأمانة والمنتج بأن تمدد العروض.", &[]);
        assert!(q(&d).iter().all(|x| x.1.as_deref() != Some("بين")), "{:?}", q(&d));
        // An honorific is the person last introduced with its rank, not the last speaker.
        let d = doc_with(
            "زار الأمير سعود بن نايف المصابين. ونقل تمنيات الملك سلمان بن عبدالعزيز لهم، وقال الملك إن الدولة معهم. وأكد سموه أن العدالة ستأخذ مجراها.",
            &[("سعود بن نايف", Pers, "E1"), ("سلمان بن عبدالعزيز", Pers, "E2")],
        );
        assert_eq!(q(&d).last().map(|x| x.2.clone()), Some(s("E1")), "{:?}", q(&d));
        // An honorific standing for a pronoun continues the previous speaker.
        let d = doc_with(
            "وقال الأمير فيصل إن الموسم ناجح. وأكد سموه أن الدعم مستمر.",
            &[("فيصل", Pers, "E1")],
        );
        assert_eq!(q(&d)[1], ("الدعم مستمر".to_string(), s("أكد"), s("E1")));
    }

    #[test]
    fn a_subject_fronted_by_amma_speaks_through_its_verb_with_fa() {
        // `أما X فقال`: X is the subject, not the previous speaker going on.
        let d = doc_with(
            "وأعرب وزير الخارجية الألماني فرانك شتاينماير عن أمله في أن ينجح الاتفاق. أما وزير الخارجية البريطاني فيليب هاموند فقال إن الوزراء يركزون على الحل.",
            &[("فرانك شتاينماير", EntityType::Pers, "E1"), ("فيليب هاموند", EntityType::Pers, "E2")],
        );
        assert_eq!(q(&d).last().map(|x| x.2.clone()), Some(s("E2")), "{:?}", q(&d));
    }

    #[test]
    fn a_subject_before_two_joined_verbs_speaks_through_both() {
        let d = doc_with(
            "وقال الوزير سعد إن العام الدراسي بدأ. أوضح ذلك المدير العام محمد المرشد وبين أن الكتب وصلت.",
            &[("سعد", Pers, "E1"), ("محمد المرشد", Pers, "E2")],
        );
        assert_eq!(q(&d)[1], ("الكتب وصلت".to_string(), s("بين"), s("E2")));
    }

    #[test]
    fn forecasts_need_a_subject_and_labels_are_not_speech() {
        let d = doc_with("وقال الوزير سعد إن العمل مستمر. ويتوقع أن يكتمل المشروع العام المقبل.", &[("سعد", Pers, "E1")]);
        assert_eq!(q(&d).len(), 1, "{:?}", q(&d));
        let d = doc_with("وتتوقع شركة أرامكو أن ترتفع الأسعار.", &[("شركة أرامكو", Org, "E1")]);
        assert_eq!(q(&d), vec![("ترتفع الأسعار".to_string(), s("تتوقع"), s("E1"))]);
        // Described as one word: a label; as a phrase: quoted.
        let d = doc_with("ووصف بيدرسن الاجتماعات بأنها إيجابية.", &[("بيدرسن", Pers, "E1")]);
        assert!(q(&d).is_empty(), "{:?}", q(&d));
        let d = doc_with("ووصف الأطباء حالته بأنها \"ليست خطيرة\".", &[]);
        assert_eq!(q(&d), vec![("ليست خطيرة".to_string(), s("وصف"), None)]);
    }

    #[test]
    fn marks_around_a_name_and_a_title_that_says_carry_no_speaker() {
        // A name in marks is no quote, and the speech after it is the person's.
        let d = doc_with(
            "فازت الطالبة «هيا بنت صلاح العبداللطيف» بالجائزة، وقالت إن الفكرة جاءت من حادث.",
            &[("هيا بنت صلاح العبداللطيف", Pers, "E1")],
        );
        assert_eq!(q(&d), vec![("الفكرة جاءت من حادث".to_string(), s("قالت"), s("E1"))]);
        // `عنوان يقول`: a title says it, nobody speaks on.
        let d = doc_with(
            "وقال ماكرون إن الصحافة حرة. ورفع المحتجون شعارا يقول \"الشعب يريد التغيير الآن\".",
            &[("ماكرون", Pers, "E1")],
        );
        assert_eq!(q(&d)[1].2, None, "{:?}", q(&d));
        // An addressee in marks before the speaker.
        let d = doc_with(
            "وكشف لـ\"الوطن\" مدير الأوقاف علي الشمراني أن الوزارة شرعت في العمل.",
            &[("الوطن", Org, "E1"), ("علي الشمراني", Pers, "E2")],
        );
        assert_eq!(q(&d)[0].2, s("E2"));
    }

    #[test]
    fn appositions_shortened_names_and_media_heads_name_the_speaker() {
        // A person set off by commas after a phrase that names nobody.
        let d = doc_with("ويقول مراسل القناة في بكين، روبن برانت، إن الاختفاء غير مألوف.", &[("روبن برانت", Pers, "E1")]);
        assert_eq!(q(&d)[0].2, s("E1"));
        // With a rank before the name, and when or where set off after it.
        let d = doc_with("قال رئيس القيادة المركزية، الجنرال جوزيف فوتيل، الخميس، إن إيران تطيل الأزمة.", &[("جوزيف فوتيل", Pers, "E1")]);
        assert_eq!(q(&d)[0].2, s("E1"), "{:?}", q(&d));
        // A clause between them is no apposition: the person there is its object.
        let d = doc_with("قال رئيس الوفد، الذي التقى سيرغي لافروف، أمس، إن المحادثات مثمرة.", &[("سيرغي لافروف", Pers, "E1")]);
        assert_eq!(q(&d)[0].2, None, "{:?}", q(&d));
        // A shortened name refers back to the full one.
        let d = doc_with(
            "أعلنت الشرطة الجنائية الدولية (انتربول) أن رئيسها استقال. وقالت الشرطة الدولية في بيان إنها على علم بالتقارير.",
            &[("الشرطة الجنائية الدولية (انتربول)", Org, "E1")],
        );
        assert_eq!(q(&d)[1].2, s("E1"), "{:?}", q(&d));
        // A name in marks after a head noun is the speaker, not the speech; a clause after
        // `، إذ تقول` is a new quote.
        let d = doc_with(
            "قال بنك \"إتش إس بي سي\" أكبر مصرف في بريطانيا إن أرباحه تخطت التوقعات، إذ تقول الإدارة إن الأداء قوي.",
            &[("إتش إس بي سي", Org, "E1")],
        );
        let v = q(&d);
        assert_eq!(v[0], ("أرباحه تخطت التوقعات".to_string(), s("قال"), s("E1")), "{v:?}");
        assert_eq!(v.len(), 2, "{v:?}");
        // The head noun of a service the tagger left out of its name.
        let d = doc_with("وقالت خدمة الإسعاف الإسرائيلية إن ثلاثة أصيبوا.", &[("الإسعاف الإسرائيلية", Org, "E1")]);
        assert_eq!(q(&d)[0].2, s("E1"));
        // An adverb after the verb leaves the subject before it (`لكن مينغ قال حينها إنه`),
        // or is skipped before the subject after it.
        let d = doc_with("لكن مينغ قال حينها إنه مستعد للعمل.", &[("مينغ", Pers, "E1")]);
        assert_eq!(q(&d)[0].2, s("E1"), "{:?}", q(&d));
        let d = doc_with("وقال من جهته الوزير سعد إن الخطة جاهزة.", &[("سعد", Pers, "E1")]);
        assert_eq!(q(&d)[0].2, s("E1"), "{:?}", q(&d));
        // A pronoun subject, or a phrase opening with a preposition, continues or looks
        // before the verb.
        let d = doc_with(
            "وقالت منظمة إنقاذ الطفولة إن الأطفال يموتون جوعا. لكنها أشارت أيضا إلى أن التمويل ناقص. وكان منصور العتيبي قد قال في وقت سابق \"ندين ما حدث هناك\".",
            &[("منظمة إنقاذ الطفولة", Org, "E1"), ("منصور العتيبي", Pers, "E2")],
        );
        let v = q(&d);
        assert_eq!((v[1].2.clone(), v[2].2.clone()), (s("E1"), s("E2")), "{v:?}");
    }
}
