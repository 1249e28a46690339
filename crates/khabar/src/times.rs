//! Temporal expressions resolved against the document date.
//!
//! A rule-based matcher over tokens (normalized with the `search` profile, so Arabic-Indic
//! digits, hamza and ta marbuta variants all match). It recognizes
//!
//! | expression | value (document date 2017-08-01, a Tuesday) |
//! |---|---|
//! | اليوم، أمس، أمس الأول / أول أمس، غدا، بعد غد (with صباح/مساء…) | `2017-08-01`, `2017-07-31`, `2017-07-30`, `2017-08-02`, `2017-08-03` |
//! | الأحد الماضي، الخميس المقبل، bare يوم الأحد | the nearest such day before / after (bare: before, unless the clause speaks of the future) |
//! | الأسبوع / الشهر / العام (السنة) الماضي، المقبل، الجاري، هذا الأسبوع | `2017-W30`, `2017-09`, `2017` … |
//! | مطلع / منتصف / أواخر / نهاية + a period | the period (`مطلع العام المقبل` → `2018`) |
//! | 15 مارس 2018، 15 آذار، مارس/آذار 2018، 15/3/2018، الثلاثاء 1 أغسطس | `2018-03-15`, the nearest 15 March, `2018-03` … |
//! | عام 2018، في 2018، منذ 2011 | `2018`, `2011` |
//! | 15 رمضان 1438 هـ | converted with [`crate::hijri`] (the arithmetical calendar) |
//! | من 10 إلى 15 مارس، بين عامي 2015 و2017، 2015-2017 | ISO 8601 intervals: `2018-03-10/2018-03-15`, `2015/2017` |
//!
//! Without a document date, anything relative gets `null`; a Hijri month or year without
//! a day has no Gregorian equivalent at any precision and gets `null` too. Nothing is guessed.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use khabar_text::{normalize, Profile, Span, TokenKind};

use crate::{hijri, Annotator, Document, Result, Time, TimeMod};

/// The `times` stage.
#[derive(Debug, Default)]
pub struct TimeResolver {}

impl Annotator for TimeResolver {
    fn name(&self) -> &'static str {
        "times"
    }
    fn annotate(&self, doc: &mut Document) -> Result<()> {
        let times = find_times(doc);
        doc.times = times;
        Ok(())
    }
}

/// A resolved value at some precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Val {
    Day(NaiveDate),
    Week(NaiveDate),
    Month(i32, u32),
    Year(i32),
    /// `2016-Q1`.
    Quarter(i32, u32),
    /// `2020-H1`.
    Half(i32, u32),
    /// `2017-WI` (0 WI, 1 SP, 2 SU, 3 FA; the winter of a year is the one its January is in).
    Season(i32, u32),
    /// `H1441-09`: a Hijri month without a day.
    HijriMonth(i64, u32),
}

impl Val {
    fn iso(self) -> String {
        match self {
            Val::Day(d) => d.format("%Y-%m-%d").to_string(),
            Val::Week(d) => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Val::Month(y, m) => format!("{y:04}-{m:02}"),
            Val::Year(y) => format!("{y:04}"),
            Val::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Val::Half(y, h) => format!("{y:04}-H{h}"),
            Val::Season(y, s) => format!("{y:04}-{}", ["WI", "SP", "SU", "FA"][s as usize % 4]),
            Val::HijriMonth(y, m) => format!("H{y:04}-{m:02}"),
        }
    }
}

/// A partial explicit date (fields the text gives).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Partial {
    day: Option<u32>,
    month: Option<u32>,
    year: Option<i32>,
    hijri: bool,
}

/// A word as the rules read it. Its surface is `text[span]` (see [`Ctx::surface`]), and
/// its normalized form borrows the token's own `norm` when that is the same string: a
/// copy of both per token made this stage the peak of a long document's memory.
struct W<'a> {
    span: Span,
    n: std::borrow::Cow<'a, str>,
    kind: TokenKind,
    /// Where the word is read behind proclitics ([`Ctx::is`]), found once per token: the
    /// rules ask it of every token some dozen times (three bytes, in `W`'s padding).
    forms: CliticForms,
    /// Whether an expression may begin at this word ([`may_begin`]).
    trigger: bool,
}

/// The forms of a normalized word behind its proclitics, as byte offsets into it.
#[derive(Default)]
struct CliticForms {
    /// After a first clitic letter (و ف ب ل ك); 0 when the word does not start with one.
    rest1: u8,
    /// After و/ف and a second clitic letter (`وبالامس`); 0 when none.
    rest2: u8,
    /// Whether the word is ل + ال written `لل` (`للعام`), to be read with the article:
    /// `ا` + what follows the first clitic (`العام`).
    lil: bool,
}

impl<'a> W<'a> {
    fn new(span: Span, n: std::borrow::Cow<'a, str>, kind: TokenKind) -> W<'a> {
        let forms = clitic_forms(&n);
        let trigger = may_begin(&n, kind, &forms);
        W { span, n, kind, forms, trigger }
    }
}

/// Every Arabic word written as a string literal in this module's rules, and each such word
/// without its leading `ا` (to read `للعام` as `ل` + `العام`).
struct Triggers {
    words: rustc_hash::FxHashSet<&'static str>,
    after_alef: rustc_hash::FxHashSet<&'static str>,
}

/// The rules compare words only against string literals of this file (word lists, `match`
/// arms, [`Ctx::is`] calls), numbers and punctuation, and every expression begins at a word
/// one rule compares: so a word that is none of them behind any of its proclitics cannot
/// begin one, and the matchers (a dozen list scans each) are not run there. The literals are
/// read from this file's own source, so a word a rule gains is a trigger without a second
/// list to keep in step; a literal that is not a first word only makes the gate looser.
static TRIGGERS: std::sync::LazyLock<Triggers> = std::sync::LazyLock::new(|| {
    let source = include_str!("times.rs");
    // The tests' literals are sentences, not rule words (the marker is built so that this
    // line does not hold it).
    let rules = source.split(concat!("#[cfg", "(test)]")).next().unwrap_or(source);
    let mut words = rustc_hash::FxHashSet::default();
    // Every line of this file holds an even number of double quotes (none in a comment or a
    // char literal: a test checks), so the odd pieces between them are the literals.
    for line in rules.lines() {
        for literal in line.split('\u{22}').skip(1).step_by(2) {
            for w in literal.split_whitespace() {
                if w.chars().any(khabar_text::chars::is_arabic_letter) {
                    words.insert(w);
                }
            }
        }
    }
    let after_alef = words.iter().filter_map(|w| w.strip_prefix('ا')).collect();
    Triggers { words, after_alef }
});

/// Whether an expression may begin at a word ([`TRIGGERS`]): always at a number,
/// punctuation or anything not an Arabic word, else where the word or what follows one or
/// two of its proclitics is a rule's word.
fn may_begin(n: &str, kind: TokenKind, f: &CliticForms) -> bool {
    if kind != TokenKind::Word || n.is_empty() {
        return true;
    }
    let t = &*TRIGGERS;
    if t.words.contains(n) {
        return true;
    }
    if f.rest1 == 0 {
        return false;
    }
    let rest1 = &n[usize::from(f.rest1)..];
    t.words.contains(rest1) || (f.lil && t.after_alef.contains(rest1)) || (f.rest2 > 0 && t.words.contains(&n[usize::from(f.rest2)..]))
}

fn clitic_forms(n: &str) -> CliticForms {
    let mut out = CliticForms::default();
    let mut cs = n.chars();
    let Some(first) = cs.next().filter(|c| CLITICS.contains(c)) else {
        return out;
    };
    let rest = cs.as_str();
    // The clitic letters are two bytes each: the offsets are 2 and 4.
    out.rest1 = first.len_utf8() as u8;
    out.lil = first == 'ل' && rest.starts_with('ل');
    let mut cs2 = rest.chars();
    if let Some(second) = cs2.next() {
        if matches!(first, 'و' | 'ف') && CLITICS.contains(&second) {
            out.rest2 = (first.len_utf8() + second.len_utf8()) as u8;
        }
    }
    out
}

struct Ctx<'a> {
    w: Vec<W<'a>>,
    date: Option<NaiveDate>,
    text: &'a str,
    sentences: &'a [Span],
}

const CLITICS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// `words.contains(&w)`, comparing lengths and last bytes before whole strings: the rules
/// ask of every token whether it is one of some dozen short lists, and the string
/// comparisons of equal-length words were a third of this stage's time.
pub(crate) fn is_one_of(words: &[&str], w: &str) -> bool {
    let Some(&last) = w.as_bytes().last() else {
        return words.contains(&"");
    };
    words.iter().any(|x| x.len() == w.len() && x.as_bytes().last() == Some(&last) && *x == w)
}

/// Whether `ا` + `rest` is one of `words`, without building it.
fn is_one_of_after_alef(words: &[&str], rest: &str) -> bool {
    words.iter().any(|x| x.len() == rest.len() + 'ا'.len_utf8() && x.strip_prefix('ا') == Some(rest))
}

impl Ctx<'_> {
    fn n(&self, i: usize) -> &str {
        self.w.get(i).map(|w| w.n.as_ref()).unwrap_or("")
    }
    /// Whether token `i` is one of `words`, possibly behind one proclitic; returns the clitic's char count.
    fn is(&self, i: usize, words: &[&str]) -> Option<usize> {
        let w = self.w.get(i)?;
        let n = w.n.as_ref();
        if n.is_empty() {
            return None;
        }
        if is_one_of(words, n) {
            return Some(0);
        }
        let f = &w.forms;
        if f.rest1 > 0 {
            if is_one_of(words, &n[usize::from(f.rest1)..]) {
                return Some(1);
            }
            // ب+ال, ل+ال written لل: بالأمس, للعام (`ل` + `العام`).
            if f.lil && is_one_of_after_alef(words, &n[usize::from(f.rest1)..]) {
                return Some(1);
            }
            if f.rest2 > 0 && is_one_of(words, &n[usize::from(f.rest2)..]) {
                return Some(2);
            }
        }
        None
    }
    fn num(&self, i: usize) -> Option<u32> {
        let w = self.w.get(i)?;
        if w.kind != TokenKind::Number || w.n.len() > 4 {
            return None;
        }
        w.n.parse().ok()
    }
    /// A number possibly written with a glued و (`و2016` is two tokens: `و` `2016`).
    fn is_punct(&self, i: usize, p: &[&str]) -> bool {
        self.w
            .get(i)
            .is_some_and(|w| w.kind == TokenKind::Punct && p.contains(&w.n.as_ref()))
    }
    /// Start byte of token `i` after skipping `clitic` chars.
    fn start_after(&self, i: usize, clitic: usize) -> u32 {
        let w = &self.w[i];
        if clitic == 0 {
            return w.span.start;
        }
        // Skip `clitic` letters (and any marks glued to them) of the surface.
        let mut letters = 0;
        for (b, c) in self.surface(w).char_indices() {
            if khabar_text::chars::is_arabic_letter(c) {
                if letters == clitic {
                    return w.span.start + b as u32;
                }
                letters += 1;
            }
        }
        w.span.start
    }
    /// The word as written.
    fn surface(&self, w: &W<'_>) -> &str {
        self.text.get(w.span.range()).unwrap_or("")
    }
    fn sentence_before(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.w[i].span.start;
        // Sentences and words are in text order and disjoint: binary searches, where a
        // scan of the document per call made long documents quadratic. The sentence
        // holding `start` is the first one that ends after it, if it begins at or before it.
        let k = self.sentences.partition_point(|s| s.end.max(s.start + 1) <= start);
        let s = self.sentences.get(k).filter(|s| s.start <= start);
        let lo = s.map(|s| s.start).unwrap_or(0);
        let first = self.w.partition_point(|w| w.span.start < lo);
        let first = if first < self.w.len() { first } else { i };
        first..i
    }
}

const PAST: [&str; 9] = [
    "الماضي",
    "الماضيه",
    "المنصرم",
    "المنصرمه",
    "الفايت",
    "الفايته",
    "السابق",
    "الفارط",
    "المنقضي",
];
const NEXT: [&str; 6] = ["المقبل", "المقبله", "القادم", "القادمه", "الاتي", "التالي"];
const CURRENT: [&str; 5] = ["الجاري", "الجاريه", "الحالي", "الحاليه", "ذاته"];
const PART_OF_DAY: [&str; 9] = [
    "صباح",
    "مساء",
    "ظهر",
    "عصر",
    "ليله",
    "فجر",
    "ظهيره",
    "ليل",
    "صبيحه",
];
const PART_OF_PERIOD: [&str; 14] = [
    "مطلع",
    "بدايه",
    "اوايل",
    "مستهل",
    "منتصف",
    "اواسط",
    "اواخر",
    "نهايه",
    "اخر",
    "اول",
    "اوسط",
    "خواتيم",
    "غره",
    "مطالع",
];
const YEAR_WORDS: [&str; 8] = [
    "عام",
    "العام",
    "سنه",
    "السنه",
    "عامي",
    "العامين",
    "سنتي",
    "عامَي",
];
const YEAR_PREPS: [&str; 9] = [
    "في",
    "منذ",
    "حتي",
    "بحلول",
    "خلال",
    "قبل",
    "بعد",
    "مطلع",
    "اواخر",
];

fn weekday(n: &str) -> Option<Weekday> {
    Some(match n {
        "الاحد" => Weekday::Sun,
        "الاثنين" | "الاتنين" | "الإثنين" => Weekday::Mon,
        "الثلاثاء" => Weekday::Tue,
        "الاربعاء" => Weekday::Wed,
        "الخميس" => Weekday::Thu,
        "الجمعه" => Weekday::Fri,
        "السبت" => Weekday::Sat,
        _ => return None,
    })
}

/// Whether a `search`-normalized word is a one-word month name that is nothing else
/// (`نيسان`, `ابريل`, `حزيران`; not `اب`, father, nor `ماي`).
pub(crate) fn is_month_name(n: &str) -> bool {
    month1(n).is_some_and(|(_, ambiguous)| !ambiguous)
}

/// Western, Maghrebi and Levantine month names (one word); `اب` is ambiguous (father).
fn month1(n: &str) -> Option<(u32, bool)> {
    Some(match n {
        "يناير" | "جانفي" => (1, false),
        "فبراير" | "فيفري" | "شباط" => (2, false),
        "مارس" | "اذار" => (3, false),
        "ابريل" | "افريل" | "نيسان" => (4, false),
        "مايو" | "ايار" => (5, false),
        "ماي" => (5, true),
        "يونيو" | "يونيه" | "جوان" | "حزيران" => (6, false),
        "يوليو" | "يوليه" | "جويليه" | "تموز" => (7, false),
        "اغسطس" | "اوت" => (8, false),
        "اب" => (8, true),
        "سبتمبر" | "ايلول" => (9, false),
        "اكتوبر" => (10, false),
        "نوفمبر" => (11, false),
        "ديسمبر" => (12, false),
        _ => return None,
    })
}

fn hijri_month(a: &str, b: &str) -> Option<(u32, usize, bool)> {
    let two = |m| Some((m, 2, false));
    match (a, b) {
        ("ربيع", "الاول") => two(3),
        ("ربيع", "الثاني" | "الاخر") => two(4),
        ("جمادي", "الاولي" | "الاول") => two(5),
        ("جمادي", "الاخره" | "الثانيه" | "الاخر" | "الثاني") => two(6),
        ("ذو" | "ذي", "القعده") => two(11),
        ("ذو" | "ذي", "الحجه") => two(12),
        _ => match a {
            "محرم" | "المحرم" => Some((1, 1, false)),
            "صفر" => Some((2, 1, true)),
            "رجب" => Some((7, 1, false)),
            "شعبان" => Some((8, 1, false)),
            "رمضان" => Some((9, 1, false)),
            "شوال" => Some((10, 1, false)),
            _ => None,
        },
    }
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    d.checked_add_signed(Duration::days(n))
}

fn shift_month(y: i32, m: u32, by: i32) -> (i32, u32) {
    let k = y * 12 + m as i32 - 1 + by;
    (k.div_euclid(12), (k.rem_euclid(12) + 1) as u32)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Finds and resolves the temporal expressions of `doc`.
pub fn find_times(doc: &Document) -> Vec<Time> {
    find_times_gated(doc, true)
}

/// [`find_times`], trying the matchers at every word when `gate` is off (the tests compare
/// both).
fn find_times_gated(doc: &Document, gate: bool) -> Vec<Time> {
    let text = doc.text();
    let mut w: Vec<W> = Vec::with_capacity(doc.tokens.len());
    for t in &doc.tokens {
        let surface = doc.slice(t.span);
        // A Hijri year with its marker glued (`1436ه`): the number and the marker.
        if t.kind == TokenKind::Number {
            if let Some(p) = surface.find(['ه', 'ھ']).filter(|&p| p > 0 && surface[..p].chars().all(|c| khabar_text::chars::is_digit(c))) {
                let s0 = t.span.start as usize;
                let (a, b) = surface.split_at(p);
                w.push(W::new(Span::new(s0, s0 + p), normalize(a, Profile::Search).into(), TokenKind::Number));
                w.push(W::new(Span::new(s0 + p, t.span.end as usize), normalize(b, Profile::Search).into(), TokenKind::Word));
                continue;
            }
        }
        // A number with a glued conjunction or preposition (`و2017`, `ب2018`): two words.
        if t.kind == TokenKind::Number {
            if let Some(p) = surface
                .find(|c: char| khabar_text::chars::is_digit(c))
                .filter(|&p| p > 0)
            {
                let (a, b) = surface.split_at(p);
                let s0 = t.span.start as usize;
                w.push(W::new(Span::new(s0, s0 + p), normalize(a, Profile::Search).into(), TokenKind::Word));
                w.push(W::new(Span::new(s0 + p, t.span.end as usize), normalize(b, Profile::Search).into(), t.kind));
                continue;
            }
        }
        let n = normalize(surface, Profile::Search);
        let n = if n == t.norm { std::borrow::Cow::Borrowed(t.norm.as_str()) } else { n.into() };
        w.push(W::new(t.span, n, t.kind));
    }
    let cx = Ctx {
        w,
        date: doc.date,
        text,
        sentences: &doc.sentences,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < cx.w.len() {
        if !cx.w[i].trigger && gate {
            i += 1;
            continue;
        }
        if let Some((end, start, value)) = match_at(&cx, i) {
            let span = Span {
                start,
                end: cx.w[end - 1].span.end,
            };
            let modifier = cx.is(i, &PART_OF_PERIOD).and_then(|c| {
                let core: String = cx.n(i).chars().skip(c).collect();
                part_mod(&core)
            });
            // `غرة` + a month is a day: no part of it.
            let modifier = modifier.filter(|_| value.as_deref().is_some_and(|v| v.len() != 10));
            out.push(Time { span, value, modifier });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The part of a period a cue word names.
fn part_mod(core: &str) -> Option<TimeMod> {
    Some(match core {
        "مطلع" | "بدايه" | "اوايل" | "مستهل" | "اول" | "مطالع" | "غره" | "ابتداء" => TimeMod::Start,
        "منتصف" | "اواسط" | "اوسط" => TimeMod::Mid,
        "اواخر" | "نهايه" | "اخر" | "خواتيم" | "ختام" => TimeMod::End,
        _ => return None,
    })
}

/// The year a quarter, half or season belongs to: `من عام 2016`, `2016`, `العام الجاري`,
/// `العام الماضي`, `هذا العام`, or `العام` alone (the document's year). (end, year).
fn year_spec_at(cx: &Ctx<'_>, k: usize) -> Option<(usize, Option<i32>)> {
    let k = if cx.n(k) == "من" { k + 1 } else { k };
    let doc_year = cx.date.map(|d| d.year());
    if let Some(y) = year_num(cx, k) {
        return Some((k + 1, Some(y)));
    }
    if cx.is(k, &["هذا", "هذه"]).is_some() && matches!(cx.n(k + 1), "العام" | "السنه") {
        return Some((k + 2, doc_year));
    }
    if cx.is(k, &YEAR_WORDS).is_some() {
        if let Some(y) = year_num(cx, k + 1) {
            return Some((k + 2, Some(y)));
        }
        if matches!(cx.n(k), "العام" | "السنه") {
            let m = cx.n(k + 1);
            let by = if PAST.contains(&m) {
                Some(-1)
            } else if NEXT.contains(&m) {
                Some(1)
            } else if CURRENT.contains(&m) {
                Some(0)
            } else {
                None
            };
            return match by {
                Some(by) => {
                    // `العام الجاري 2018`: the year written after it.
                    let end = if year_num(cx, k + 2).is_some() { k + 3 } else { k + 2 };
                    Some((end, doc_year.map(|y| y + by)))
                }
                None => Some((k + 1, doc_year)),
            };
        }
    }
    None
}

/// `الربع الأول من عام 2016` → `2016-Q1`, `النصف الأول من 2020` → `2020-H1`, and
/// `النصف الثاني من أغسطس` → the month (with `mod` from the half). A quarter without a
/// year is of the document's year; a half needs `من` and a year or month after it.
fn quarter_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, Option<Val>, usize)> {
    let c = cx.is(i, &["الربع", "النصف"])?;
    let core: String = cx.n(i).chars().skip(c).collect();
    let quarter = core == "الربع";
    let which = match cx.n(i + 1) {
        "الاول" => 1,
        "الثاني" => 2,
        "الثالث" if quarter => 3,
        "الرابع" if quarter => 4,
        "الاخير" => {
            if quarter {
                4
            } else {
                2
            }
        }
        _ => return None,
    };
    if let Some((end, y)) = year_spec_at(cx, i + 2) {
        let v = y.map(|y| if quarter { Val::Quarter(y, which) } else { Val::Half(y, which) });
        return Some((end, v, c));
    }
    if !quarter {
        // `النصف الثاني من أغسطس الجاري`: the month, its half as `mod`.
        if cx.n(i + 2) == "من" {
            if let Some((end, p, 0)) = explicit_at(cx, i + 3) {
                if p.day.is_none() && p.month.is_some() {
                    return Some((end, resolve(cx, p), c));
                }
            }
        }
        return None;
    }
    Some((i + 2, cx.date.map(|d| Val::Quarter(d.year(), which)), c))
}

/// The season of a date, as an index `year * 4 + season` (winter 0 … autumn 3; December
/// belongs to the next year's winter).
fn season_index(d: NaiveDate) -> i64 {
    let (y, m) = (i64::from(d.year()), d.month());
    match m {
        12 => (y + 1) * 4,
        1 | 2 => y * 4,
        3..=5 => y * 4 + 1,
        6..=8 => y * 4 + 2,
        _ => y * 4 + 3,
    }
}

fn season_of(n: i64) -> Val {
    Val::Season(n.div_euclid(4) as i32, n.rem_euclid(4) as u32)
}

/// `صيف 2016`, `شتاء عام 2017`, `الصيف الماضي`, `الشتاء المقبل`, `فصل الصيف`, `صيفا`.
fn season_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, Option<Val>, usize)> {
    let (i, c0) = match cx.is(i, &["فصل", "موسم"]) {
        Some(c) if season_word(cx.n(i + 1)).is_some_and(|(_, def)| def) => (i + 1, Some(c)),
        _ => (i, None),
    };
    let c = c0.map_or_else(|| cx.is(i, &["صيف", "شتاء", "خريف", "ربيع", "الصيف", "الشتاء", "الخريف", "الربيع", "صيفا", "شتاء"]), Some)?;
    let core: String = if c0.is_some() { cx.n(i).to_string() } else { cx.n(i).chars().skip(c).collect() };
    let (s, definite) = season_word(&core)?;
    if core == "صيفا" {
        return Some((i + 1, cx.date.map(|d| nearest_season(d, s)), c));
    }
    if !definite {
        // A year must follow: `ربيع 2020`, `صيف عام 2016` (not `ربيع الأول`).
        let (k, y) = match year_num(cx, i + 1) {
            Some(y) => (i + 2, y),
            None if cx.is(i + 1, &YEAR_WORDS).is_some() => (i + 3, year_num(cx, i + 2)?),
            None => return None,
        };
        return Some((k, Some(Val::Season(y, s)), c));
    }
    let m = cx.n(i + 1);
    let d = cx.date;
    if PAST.contains(&m) {
        return Some((i + 2, d.map(|d| {
            let now = season_index(d);
            season_of((now - 1) - (now - 1 - i64::from(s)).rem_euclid(4))
        }), c));
    }
    if NEXT.contains(&m) {
        return Some((i + 2, d.map(|d| {
            let now = season_index(d);
            season_of((now + 1) + (i64::from(s) - now - 1).rem_euclid(4))
        }), c));
    }
    if CURRENT.contains(&m) || c0.is_some() {
        let end = if CURRENT.contains(&m) { i + 2 } else { i + 1 };
        return Some((end, d.map(|d| nearest_season(d, s)), c));
    }
    None
}

fn nearest_season(d: NaiveDate, s: u32) -> Val {
    let now = season_index(d);
    let s = i64::from(s);
    let back = now - (now - s).rem_euclid(4);
    let fwd = now + (s - now).rem_euclid(4);
    season_of(if fwd - now <= now - back { fwd } else { back })
}

/// A season word: (season, has the article).
fn season_word(n: &str) -> Option<(u32, bool)> {
    Some(match n {
        "شتاء" => (0, false),
        "ربيع" => (1, false),
        "صيف" | "صيفا" => (2, false),
        "خريف" => (3, false),
        "الشتاء" => (0, true),
        "الربيع" => (1, true),
        "الصيف" => (2, true),
        "الخريف" => (3, true),
        _ => return None,
    })
}

/// A Hijri month without a day or year: `شهر رمضان`, `رمضان المقبل`, `محرم الماضي`,
/// `شهر ذي الحجة`, `رمضان المبارك` → `H1436-09`, the year from the document date (the
/// last such month for الماضي, the next for المقبل, else the nearest). A bare month name
/// that is also a person's name (`رجب`, `رمضان`, `شعبان`) needs `شهر` or one of those words.
fn hijri_month_only_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, Option<Val>, usize)> {
    let (k, c, has_month_word) = match cx.is(i, &["شهر"]) {
        Some(c) => (i + 1, c, true),
        None => (i, 0, false),
    };
    let (m, len, _) = hijri_month(cx.n(k), cx.n(k + 1))?;
    let mut end = k + len;
    // A day or year after it is an explicit date (`explicit_at`).
    if cx.num(end).is_some() {
        return None;
    }
    let blessed = matches!(cx.n(end), "المبارك" | "الكريم" | "المعظم" | "الفضيل" | "الحرام");
    if blessed {
        end += 1;
    }
    let rel = cx.n(end);
    let dir = if PAST.contains(&rel) {
        Some(-1)
    } else if NEXT.contains(&rel) {
        Some(1)
    } else if CURRENT.contains(&rel) {
        Some(0)
    } else {
        None
    };
    if dir.is_some() {
        end += 1;
    } else if !has_month_word && !(blessed && m == 9) {
        return None;
    }
    let v = cx.date.and_then(|d| hijri::from_gregorian(d)).map(|(hy, hm, _)| {
        let y = match dir {
            Some(-1) => {
                if m < hm {
                    hy
                } else {
                    hy - 1
                }
            }
            Some(1) => {
                if m > hm {
                    hy
                } else {
                    hy + 1
                }
            }
            _ => {
                let here = hy * 12 + i64::from(hm);
                (hy - 1..=hy + 1).min_by_key(|y| ((y * 12 + i64::from(m)) - here).abs()).unwrap_or(hy)
            }
        };
        Val::HijriMonth(y, m)
    });
    Some((end, v, c))
}

/// One expression starting at token `i`: (end token exclusive, start byte, value).
fn match_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, u32, Option<String>)> {
    // Ranges first (they contain simpler expressions).
    if let Some(r) = range_at(cx, i) {
        return Some(r);
    }
    // A part of the day or يوم before a relative day word is part of the expression.
    let mut j = i;
    let mut clitic = 0;
    if let Some(c) = cx.is(i, &PART_OF_DAY).or_else(|| cx.is(i, &["يوم"])) {
        if day_word_at(cx, i + 1).is_some() || weekday_at(cx, i + 1).is_some() {
            j = i + 1;
            clitic = c;
        }
    }
    if let Some((end, off)) = day_word_at(cx, j) {
        let start = if j == i {
            cx.start_after(i, day_word_clitic(cx, j))
        } else {
            cx.start_after(i, clitic)
        };
        let value = cx
            .date
            .and_then(|d| add_days(d, off))
            .map(|d| Val::Day(d).iso());
        // `أمس السبت`, `غدا الخميس`: the weekday names the same day (the day word wins).
        let end = if weekday(cx.n(end)).is_some() && cx.is(end + 1, &PAST).is_none() && cx.is(end + 1, &NEXT).is_none() {
            end + 1
        } else {
            end
        };
        return Some((end, start, value));
    }
    if let Some((end, val, c)) = weekday_at(cx, j) {
        let start = if j == i {
            cx.start_after(i, c)
        } else {
            cx.start_after(i, clitic)
        };
        return Some((end, start, val.map(Val::iso)));
    }
    if let Some((end, val, c)) = duration_at(cx, i) {
        return Some((end, cx.start_after(i, c), val.map(Val::iso)));
    }
    if let Some((end, val, c)) = part_of_period_at(cx, i) {
        return Some((end, cx.start_after(i, c), val.map(Val::iso)));
    }
    if let Some((end, val, c)) = quarter_at(cx, i).or_else(|| season_at(cx, i)).or_else(|| hijri_month_only_at(cx, i)) {
        return Some((end, cx.start_after(i, c), val.map(Val::iso)));
    }
    if let Some((end, val, c)) = period_at(cx, i) {
        return Some((end, cx.start_after(i, c), val.map(Val::iso)));
    }
    if let Some((end, p, c)) = explicit_at(cx, i) {
        return Some((end, cx.start_after(i, c), resolve(cx, p).map(Val::iso)));
    }
    if let Some((end, p, start)) = year_at(cx, i) {
        return Some((end, start, resolve(cx, p).map(Val::iso)));
    }
    None
}

fn day_word_clitic(cx: &Ctx<'_>, i: usize) -> usize {
    cx.is(
        i,
        &[
            "امس",
            "الامس",
            "غدا",
            "اليوم",
            "اول",
            "البارحه",
            "بعد",
            "الغد",
        ],
    )
    .unwrap_or(0)
}

/// اليوم، أمس، أمس الأول، أول أمس، أول من أمس، غدا، بعد غد: (end, offset in days).
fn day_word_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, i64)> {
    if cx.is(i, &["امس", "الامس"]).is_some() {
        if cx.n(i + 1) == "الاول" {
            return Some((i + 2, -2));
        }
        return Some((i + 1, -1));
    }
    if cx.is(i, &["اول"]).is_some() {
        if cx.n(i + 1) == "امس" {
            return Some((i + 2, -2));
        }
        if cx.n(i + 1) == "من" && cx.n(i + 2) == "امس" {
            return Some((i + 3, -2));
        }
        return None;
    }
    if cx.is(i, &["البارحه"]).is_some() {
        return Some((i + 1, -1));
    }
    if cx.is(i, &["اليوم"]).is_some() {
        // Not "اليوم التالي" / "اليوم الأول" (relative to another event), not "يوم" counts.
        if matches!(
            cx.n(i + 1),
            "التالي"
                | "الاول"
                | "الثاني"
                | "الاخير"
                | "نفسه"
                | "ذاته"
                | "الوطني"
                | "العالمي"
        ) {
            return None;
        }
        return Some((i + 1, 0));
    }
    if cx.is(i, &["غدا"]).is_some() {
        return Some((i + 1, 1));
    }
    if cx.is(i, &["الغد"]).is_some() && i > 0 && cx.is(i - 1, &PART_OF_DAY).is_some() {
        return Some((i + 1, 1));
    }
    // `غد` alone: `غد السبت`, `يوم غدٍ`, `مساء غد`, `من غد`.
    if cx.n(i) == "غد"
        && (weekday(cx.n(i + 1)).is_some()
            || (i > 0 && (cx.is(i - 1, &PART_OF_DAY).is_some() || matches!(cx.n(i - 1), "يوم" | "من" | "بدءا" | "اعتبارا"))))
    {
        return Some((i + 1, 1));
    }
    if cx.is(i, &["بعد"]).is_some() && cx.n(i + 1) == "غد" {
        return Some((i + 2, 2));
    }
    None
}

/// [يوم] weekday [الماضي|المقبل] — and not followed by an explicit date (then the date wins).
fn weekday_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, Option<Val>, usize)> {
    let (i0, c) = match cx.is(i, &["يوم"]) {
        Some(c) if weekday(cx.n(i + 1)).is_some() => (i + 1, c),
        _ => (i, 0),
    };
    // `صلاة الجمعة`, `خطبة الجمعة`: the prayer, not a date.
    if i0 == i && i > 0 && matches!(cx.n(i - 1), "صلاه" | "خطبه" | "صلوات") {
        return None;
    }
    let (wd, c) = if i0 == i {
        let c = cx.is(
            i,
            &[
                "الاحد",
                "الاثنين",
                "الاتنين",
                "الثلاثاء",
                "الاربعاء",
                "الخميس",
                "الجمعه",
                "السبت",
            ],
        )?;
        let core: String = cx.n(i).chars().skip(c).collect();
        (weekday(&core)?, c)
    } else {
        (weekday(cx.n(i0))?, c)
    };
    let after = i0 + 1;
    // Weekday then an explicit date: the date gives the value.
    let mut k = after;
    if cx.is_punct(k, &["،", ","]) {
        k += 1;
    }
    if let Some((end, p, _)) = explicit_at(cx, k) {
        if p.day.is_some() {
            return Some((end, resolve(cx, p), c));
        }
    }
    let Some(d) = cx.date else {
        let end = if cx.is(after, &PAST).is_some() || cx.is(after, &NEXT).is_some() {
            after + 1
        } else {
            after
        };
        return Some((end, None, c));
    };
    let back = |d: NaiveDate| {
        (1..=7)
            .filter_map(|k| add_days(d, -k))
            .find(|x| x.weekday() == wd)
    };
    let fwd = |d: NaiveDate| {
        (1..=7)
            .filter_map(|k| add_days(d, k))
            .find(|x| x.weekday() == wd)
    };
    if cx.n(after) != "" && PAST.contains(&cx.n(after)) {
        return Some((after + 1, back(d).map(Val::Day), c));
    }
    if NEXT.contains(&cx.n(after)) {
        return Some((after + 1, fwd(d).map(Val::Day), c));
    }
    if d.weekday() == wd {
        return Some((after, Some(Val::Day(d)), c));
    }
    let v = if future_context(cx, i) {
        fwd(d)
    } else {
        back(d)
    };
    Some((after, v.map(Val::Day), c))
}

/// Whether the clause before token `i` speaks of the future (سوف, سيـ/ستـ verbs, المقرر…).
fn future_context(cx: &Ctx<'_>, i: usize) -> bool {
    cx.sentence_before(i).rev().take(12).any(|k| {
        let n = cx.n(k);
        let n = n.strip_prefix('و').unwrap_or(n);
        matches!(
            n,
            "سوف"
                | "المقرر"
                | "المرتقب"
                | "المنتظر"
                | "المزمع"
                | "يعتزم"
                | "تعتزم"
                | "يرتقب"
        ) || ((n.starts_with("سي") || n.starts_with("ست") || n.starts_with("سن"))
            && n.chars().count() >= 5
            && !n.starts_with("سيا")
            && !n.starts_with("ستا"))
    })
}

/// الأسبوع/الشهر/العام (السنة) + الماضي/المقبل/الجاري, and هذا/هذه + period.
fn period_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, Option<Val>, usize)> {
    let (c, k, this) = match cx.is(i, &["هذا", "هذه"]) {
        Some(c) => (c, i + 1, true),
        None => (0, i, false),
    };
    let unit = match cx.n(k) {
        "الاسبوع" => 'w',
        "الشهر" => 'm',
        "العام" | "السنه" => 'y',
        _ => {
            if this {
                return None;
            }
            let c2 = cx.is(i, &["الاسبوع", "الشهر", "العام", "السنه"])?;
            let core: String = cx.n(i).chars().skip(c2).collect();
            return period_tail(cx, i, &core, c2);
        }
    };
    if this {
        let v = cx.date.map(|d| period_val(d, unit, 0));
        return Some((k + 1, v, c));
    }
    let _ = unit;
    period_tail(cx, i, cx.n(i), 0)
}

fn period_tail(
    cx: &Ctx<'_>,
    i: usize,
    core: &str,
    c: usize,
) -> Option<(usize, Option<Val>, usize)> {
    let unit = match core {
        "الاسبوع" => 'w',
        "الشهر" => 'm',
        "العام" | "السنه" => 'y',
        _ => return None,
    };
    let m = cx.n(i + 1);
    let by = if PAST.contains(&m) {
        -1
    } else if NEXT.contains(&m) {
        1
    } else if CURRENT.contains(&m) {
        0
    } else {
        return None;
    };
    Some((i + 2, cx.date.map(|d| period_val(d, unit, by)), c))
}

fn period_val(d: NaiveDate, unit: char, by: i32) -> Val {
    match unit {
        'w' => Val::Week(add_days(d, 7 * i64::from(by)).unwrap_or(d)),
        'm' => {
            let (y, m) = shift_month(d.year(), d.month(), by);
            Val::Month(y, m)
        }
        _ => Val::Year(d.year() + by),
    }
}

/// A number written as a word (3–10, both genders) or in digits of either script.
fn count_at(cx: &Ctx<'_>, i: usize) -> Option<u32> {
    if let Some(n) = cx.num(i) {
        return Some(n);
    }
    Some(match cx.n(i) {
        "ثلاثه" | "ثلاث" => 3,
        "اربعه" | "اربع" => 4,
        "خمسه" | "خمس" => 5,
        "سته" | "ست" => 6,
        "سبعه" | "سبع" => 7,
        "ثمانيه" | "ثماني" | "ثمان" => 8,
        "تسعه" | "تسع" => 9,
        "عشره" | "عشر" => 10,
        _ => return None,
    })
}

/// The unit and count of a duration word: `يومين` (2 days), `أسبوع` (1 week), or after a
/// number `أيام`/`يوما`, `أسابيع`, `أشهر`/`شهور`, `أعوام`/`سنوات`/`عاما`.
fn unit_word(n: &str, counted: bool) -> Option<(char, u32)> {
    let single = |n: &str| match n {
        "يوم" => Some(('d', 1)),
        "اسبوع" => Some(('w', 1)),
        "شهر" => Some(('m', 1)),
        "عام" | "سنه" => Some(('y', 1)),
        "يومين" | "يومان" => Some(('d', 2)),
        "اسبوعين" | "اسبوعان" => Some(('w', 2)),
        "شهرين" | "شهران" => Some(('m', 2)),
        "عامين" | "عامان" | "سنتين" | "سنتان" => Some(('y', 2)),
        _ => None,
    };
    if counted {
        match n {
            "ايام" | "يوما" | "يوم" => Some(('d', 1)),
            "اسابيع" | "اسبوعا" | "اسبوع" => Some(('w', 1)),
            "اشهر" | "شهور" | "شهرا" | "شهر" => Some(('m', 1)),
            "اعوام" | "سنوات" | "عاما" | "سنه" | "عام" => Some(('y', 1)),
            _ => None,
        }
    } else {
        single(n)
    }
}

/// قبل/منذ/بعد + a duration (`قبل يومين`, `منذ ثلاثة أسابيع`, `بعد ٣ أيام`): the document
/// date moved by it, at the duration's precision. Relative to an event (`بعد يومين من
/// الحادث`) the value is unknown, so null.
fn duration_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, Option<Val>, usize)> {
    let c = cx.is(i, &["قبل", "منذ", "بعد"])?;
    let dir: i64 = if cx.n(i).ends_with("بعد") { 1 } else { -1 };
    let (unit, count, end) = if let Some(n) = count_at(cx, i + 1) {
        let (unit, _) = unit_word(cx.n(i + 2), true)?;
        (unit, n, i + 3)
    } else {
        let (unit, n) = unit_word(cx.n(i + 1), false)?;
        (unit, n, i + 2)
    };
    // `منذ عام 1438 هـ`, `قبل شهر مارس`: a named year or month, not a duration.
    if count == 0 || count > 1000 || cx.num(end).is_some() || month1(cx.n(end)).is_some() {
        return None;
    }
    if matches!(cx.n(end), "من" | "علي") {
        return Some((end, None, c));
    }
    let by = dir * i64::from(count);
    let v = cx.date.and_then(|d| match unit {
        'd' => add_days(d, by).map(Val::Day),
        'w' => add_days(d, 7 * by).map(Val::Week),
        'm' => i32::try_from(by).ok().map(|b| period_val(d, 'm', b)),
        _ => i32::try_from(by).ok().map(|b| Val::Year(d.year() + b)),
    });
    Some((end, v, c))
}

/// مطلع/منتصف/أواخر/نهاية + a period, a month or a year: the value of the period.
fn part_of_period_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, Option<Val>, usize)> {
    let c = cx.is(i, &PART_OF_PERIOD)?;
    let core: String = cx.n(i).chars().skip(c).collect();
    let k = i + 1;
    if let Some((end, v, _)) = quarter_at(cx, k).or_else(|| season_at(cx, k)) {
        return Some((end, v, c));
    }
    if let Some((end, v, _)) = hijri_month_only_at(cx, k) {
        // `غرة رمضان`: its first day.
        if core == "غره" {
            let day = v.and_then(|v| match v {
                Val::HijriMonth(y, m) => hijri::to_gregorian(y, m, 1).map(Val::Day),
                _ => None,
            });
            return Some((end, day, c));
        }
        return Some((end, v, c));
    }
    // `نهاية 2025`, `نهاية عام 2016`, `بداية العام2015`.
    if let Some(y) = year_num(cx, k) {
        return Some((k + 1, Some(Val::Year(y)), c));
    }
    if cx.is(k, &YEAR_WORDS).is_some() {
        if let Some(y) = year_num(cx, k + 1) {
            return Some((k + 2, Some(Val::Year(y)), c));
        }
    }
    if let Some((end, v, _)) = period_at(cx, k) {
        return Some((end, v, c));
    }
    // "أواخر الشهر" / "نهاية العام" alone: the current period.
    if let Some(unit) = match cx.n(k) {
        "الشهر" => Some('m'),
        "العام" | "السنه" => Some('y'),
        "الاسبوع" => Some('w'),
        _ => None,
    } {
        return Some((k + 1, cx.date.map(|d| period_val(d, unit, 0)), c));
    }
    if let Some((end, p, _)) = explicit_at(cx, k) {
        if p.day.is_none() {
            return Some((end, resolve(cx, p), c));
        }
    }
    None
}

/// The month at token `i`: (month, end, ambiguous), with the double forms مارس/آذار and مارس (آذار).
fn month_at(cx: &Ctx<'_>, i: usize) -> Option<(u32, usize, bool)> {
    let n = cx.n(i);
    let (m, mut end, amb) = if let Some((m, amb)) = month1(n) {
        (m, i + 1, amb)
    } else if n == "كانون" && matches!(cx.n(i + 1), "الثاني" | "الاول") {
        (if cx.n(i + 1) == "الثاني" { 1 } else { 12 }, i + 2, false)
    } else if n == "تشرين" && matches!(cx.n(i + 1), "الثاني" | "الاول") {
        (
            if cx.n(i + 1) == "الثاني" {
                11
            } else {
                10
            },
            i + 2,
            false,
        )
    } else {
        return None;
    };
    // Double form.
    let mut amb = amb;
    let sep = cx.is_punct(end, &["/", "(", "-", "،"]);
    if sep {
        let close = cx.n(end) == "(";
        if let Some((m2, e2, _)) = month_at_single(cx, end + 1) {
            if m2 == m {
                end = e2;
                amb = false;
                if close && cx.is_punct(end, &[")"]) {
                    end += 1;
                }
            }
        }
    }
    Some((m, end, amb))
}

fn month_at_single(cx: &Ctx<'_>, i: usize) -> Option<(u32, usize, bool)> {
    let n = cx.n(i);
    if let Some((m, amb)) = month1(n) {
        return Some((m, i + 1, amb));
    }
    match (n, cx.n(i + 1)) {
        ("كانون", "الثاني") => Some((1, i + 2, false)),
        ("كانون", "الاول") => Some((12, i + 2, false)),
        ("تشرين", "الثاني") => Some((11, i + 2, false)),
        ("تشرين", "الاول") => Some((10, i + 2, false)),
        _ => None,
    }
}

fn year_num(cx: &Ctx<'_>, i: usize) -> Option<i32> {
    let y = cx.num(i)?;
    (1000..=2200).contains(&y).then_some(y as i32)
}

fn hijri_marker(cx: &Ctx<'_>, i: usize) -> bool {
    matches!(cx.n(i), "ه" | "هجري" | "هجريه" | "للهجره")
}

/// After a marker `هـ` the tokenizer may leave the tatweel as a token of its own: take it.
fn after_marker(cx: &Ctx<'_>, end: usize) -> usize {
    match (cx.w.get(end - 1), cx.w.get(end)) {
        (Some(a), Some(b))
            if a.span.end == b.span.start
                && !cx.surface(b).is_empty()
                && cx.surface(b).chars().all(|c| c == '\u{0640}') =>
        {
            end + 1
        }
        _ => end,
    }
}

/// An explicit date at `i`: (end, fields, clitic chars before it).
fn explicit_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, Partial, usize)> {
    // Numeric d/m/yyyy or yyyy-mm-dd.
    if let (Some(a), Some(b), Some(c)) = (cx.num(i), cx.num(i + 2), cx.num(i + 4)) {
        let seps = cx.is_punct(i + 1, &["/", "-", "."])
            && cx.n(i + 1) == cx.n(i + 3)
            && cx.is_punct(i + 3, &["/", "-", "."]);
        if seps {
            // Written together (at most a space between parts; bytes, so Arabic-Indic
            // digits of two bytes each count the same as ASCII ones).
            let adjacent = (i..i + 4).all(|k| cx.w[k + 1].span.start.saturating_sub(cx.w[k].span.end) <= 1);
            if adjacent
                && (1..=31).contains(&a)
                && (1..=12).contains(&b)
                && (1000..=2200).contains(&c)
            {
                // `١٢/١٠/١٤٣٦ه`: a Hijri year (no Gregorian date in news is 1300–1500).
                let hijri = (1300..=1500).contains(&c);
                let end = if hijri && hijri_marker(cx, i + 5) { after_marker(cx, i + 6) } else { i + 5 };
                return Some((
                    end,
                    Partial {
                        day: Some(a),
                        month: Some(b),
                        year: Some(c as i32),
                        hijri,
                    },
                    0,
                ));
            }
            if adjacent
                && (1000..=2200).contains(&a)
                && (1..=12).contains(&b)
                && (1..=31).contains(&c)
            {
                return Some((
                    i + 5,
                    Partial {
                        day: Some(c),
                        month: Some(b),
                        year: Some(a as i32),
                        hijri: false,
                    },
                    0,
                ));
            }
        }
    }
    // Day number, then a month.
    let (day, k) = match cx.num(i) {
        Some(d) if (1..=31).contains(&d) && cx.w[i].n.len() <= 2 => {
            let mut k = if cx.n(i + 1) == "من" { i + 2 } else { i + 1 };
            // `12 من شهر مارس`, `الـ12 من شهر ذي القعدة`: the word for month before its name.
            if cx.n(k) == "شهر" && (hijri_month(cx.n(k + 1), cx.n(k + 2)).is_some() || month_at(cx, k + 1).is_some()) {
                k += 1;
            }
            (Some(d), k)
        }
        _ => (None, i),
    };
    // Hijri month.
    if let Some((m, len, amb)) = hijri_month(cx.n(k), cx.n(k + 1)) {
        let after = k + len;
        let year = year_num(cx, after);
        let mut end = after + usize::from(year.is_some());
        let mut has_marker = false;
        if year.is_some() && hijri_marker(cx, end) {
            end = after_marker(cx, end + 1);
            has_marker = true;
        }
        if (day.is_some() || year.is_some()) && !(amb && day.is_none() && !has_marker) {
            let mut p = Partial {
                day,
                month: Some(m),
                year,
                hijri: true,
            };
            if day.is_none() && year.is_none() {
                p.month = None;
            }
            return Some((end, p, 0));
        }
        return None;
    }
    // Gregorian month (possibly behind a clitic: "ومارس", "لمارس" are rare; only bare names).
    let (m, after, amb) = match month_at(cx, k) {
        Some(x) => x,
        None if day.is_none() => {
            let c = cx.is(
                k,
                &[
                    "يناير",
                    "فبراير",
                    "مارس",
                    "ابريل",
                    "مايو",
                    "يونيو",
                    "يوليو",
                    "اغسطس",
                    "سبتمبر",
                    "اكتوبر",
                    "نوفمبر",
                    "ديسمبر",
                    "شباط",
                    "اذار",
                    "نيسان",
                    "ايار",
                    "حزيران",
                    "تموز",
                    "ايلول",
                ],
            )?;
            let core: String = cx.n(k).chars().skip(c).collect();
            let (m, _) = month1(&core)?;
            let year = year_num(cx, k + 1);
            let end = k + 1 + usize::from(year.is_some());
            return month_only(
                cx,
                k,
                end,
                Partial {
                    day: None,
                    month: Some(m),
                    year,
                    hijri: false,
                },
                c,
            );
        }
        None => return None,
    };
    let year = year_num(cx, after);
    let end = after + usize::from(year.is_some());
    if amb
        && day.is_none()
        && year.is_none()
        && !(PAST.contains(&cx.n(end)) || NEXT.contains(&cx.n(end)) || CURRENT.contains(&cx.n(end)))
    {
        return None;
    }
    let p = Partial {
        day,
        month: Some(m),
        year,
        hijri: false,
    };
    if day.is_none() {
        return month_only(cx, k, end, p, 0);
    }
    Some((end, p, 0))
}

/// A month without a day: with الماضي/المقبل it is relative; "شهر" before it is included.
fn month_only(
    cx: &Ctx<'_>,
    _k: usize,
    end: usize,
    p: Partial,
    c: usize,
) -> Option<(usize, Partial, usize)> {
    if p.year.is_none() {
        let m = cx.n(end);
        if PAST.contains(&m) || NEXT.contains(&m) || CURRENT.contains(&m) {
            let mut q = p;
            // Encode direction in the day field's absence: resolve below.
            if let (Some(d), Some(month)) = (cx.date, p.month) {
                let dir = if PAST.contains(&m) {
                    -1
                } else if NEXT.contains(&m) {
                    1
                } else {
                    0
                };
                let mut y = d.year();
                match dir {
                    -1 if month >= d.month() => y -= 1,
                    1 if month <= d.month() => y += 1,
                    _ => {}
                }
                q.year = Some(y);
            } else {
                q.month = None;
            }
            return Some((end + 1, q, c));
        }
    }
    Some((end, p, c))
}

/// `عام 2018`, `في 2018`, and Hijri years `1438 هـ`.
fn year_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, Partial, u32)> {
    if let Some(c) = cx.is(i, &YEAR_WORDS) {
        if let Some(y) = year_num(cx, i + 1) {
            let mut end = i + 2;
            let hijri = hijri_marker(cx, end);
            if hijri {
                end = after_marker(cx, end + 1);
            }
            return Some((
                end,
                Partial {
                    year: Some(y),
                    hijri,
                    ..Default::default()
                },
                cx.start_after(i, c),
            ));
        }
    }
    if let Some(y) = year_num(cx, i) {
        if hijri_marker(cx, i + 1) {
            return Some((
                after_marker(cx, i + 2),
                Partial {
                    year: Some(y),
                    hijri: true,
                    ..Default::default()
                },
                cx.w[i].span.start,
            ));
        }
        let prev_ok = i > 0 && cx.is(i - 1, &YEAR_PREPS).is_some();
        let next_word = cx.w.get(i + 1).is_some_and(|w| {
            w.kind == TokenKind::Word && !matches!(w.n.as_ref(), "و" | "الي" | "حتي")
        });
        if prev_ok && !next_word {
            return Some((
                i + 1,
                Partial {
                    year: Some(y),
                    ..Default::default()
                },
                cx.w[i].span.start,
            ));
        }
    }
    None
}

/// Resolves a partial date: missing year from the document date (the nearest occurrence).
fn resolve(cx: &Ctx<'_>, p: Partial) -> Option<Val> {
    if p.hijri {
        let (Some(m), Some(d)) = (p.month, p.day) else {
            return None;
        };
        let y = match p.year {
            Some(y) => i64::from(y),
            None => {
                let doc = cx.date?;
                let (hy, _, _) = hijri::from_gregorian(doc)?;
                // The nearest of last, this and next Hijri year.
                (hy - 1..=hy + 1)
                    .filter_map(|y| {
                        hijri::to_gregorian(y, m, d).map(|g| (y, (g - doc).num_days().abs()))
                    })
                    .min_by_key(|x| x.1)?
                    .0
            }
        };
        return hijri::to_gregorian(y, m, d).map(Val::Day);
    }
    let m = p.month;
    match (p.day, m, p.year) {
        (Some(d), Some(m), Some(y)) => ymd(y, m, d).map(Val::Day),
        (None, Some(m), Some(y)) => (1..=12).contains(&m).then_some(Val::Month(y, m)),
        (None, None, Some(y)) => Some(Val::Year(y)),
        (Some(d), Some(m), None) => {
            let doc = cx.date?;
            (doc.year() - 1..=doc.year() + 1)
                .filter_map(|y| ymd(y, m, d))
                .min_by_key(|g| (*g - doc).num_days().abs())
                .map(Val::Day)
        }
        (None, Some(m), None) => {
            let doc = cx.date?;
            let here = doc.year() * 12 + doc.month() as i32;
            (doc.year() - 1..=doc.year() + 1)
                .map(|y| (y, (y * 12 + m as i32 - here).abs()))
                .min_by_key(|x| x.1)
                .map(|(y, _)| Val::Month(y, m))
        }
        _ => None,
    }
}

/// One side of a range: an explicit date, a year, or a bare day number.
fn range_side(cx: &Ctx<'_>, i: usize) -> Option<(usize, Partial)> {
    if let Some((end, p, _)) = year_at(cx, i) {
        return Some((end, p));
    }
    if let Some((end, p, c)) = explicit_at(cx, i) {
        if c == 0 {
            return Some((end, p));
        }
    }
    if let Some(y) = year_num(cx, i) {
        return Some((
            i + 1,
            Partial {
                year: Some(y),
                ..Default::default()
            },
        ));
    }
    let d = cx.num(i)?;
    (1..=31).contains(&d).then_some((
        i + 1,
        Partial {
            day: Some(d),
            ..Default::default()
        },
    ))
}

/// من X إلى/حتى Y, بين X و Y, X-Y, بين عامي X و Y.
fn range_at(cx: &Ctx<'_>, i: usize) -> Option<(usize, u32, Option<String>)> {
    let opener = cx.is(i, &["من", "بين", "منذ"]);
    let (a0, start_tok) = match opener {
        Some(_) => (i + 1, i + 1),
        None => (i, i),
    };
    // بين عامي 2015 و2017
    let (a0, years_word) = match cx.is(a0, &["عامي", "العامين", "سنتي", "عام", "العام"])
    {
        Some(_) if opener.is_some() => (a0 + 1, true),
        _ => (a0, false),
    };
    let (a_end, mut a) = range_side(cx, a0)?;
    let sep_ok = |k: usize| {
        if cx.is_punct(k, &["-", "–", "/"]) {
            Some(k + 1)
        } else if opener.is_some() && matches!(cx.n(k), "الي" | "حتي" | "و" | "لغايه") {
            Some(k + 1)
        } else {
            None
        }
    };
    let b0 = sep_ok(a_end)?;
    let (b_end, b) = range_side(cx, b0)?;
    // Only dates: a bare number pair needs a month or year somewhere, or a years word.
    if a.month.is_none() && b.month.is_none() && a.year.is_none() && b.year.is_none() {
        return None;
    }
    if opener.is_none()
        && !(cx.is_punct(a_end, &["-", "–"])
            && (a.day.is_some() && b.month.is_some()
                || a.year.is_some() && b.year.is_some() && a.month.is_none()))
    {
        return None;
    }
    if a.year.is_some() && a.month.is_none() && b.year.is_none() && !years_word {
        return None;
    }
    // Fill the first side from the second.
    if a.day.is_some() && a.month.is_none() {
        a.month = b.month;
        a.hijri = b.hijri;
    }
    if a.month.is_some() && a.year.is_none() {
        a.year = b.year;
    }
    if a.day.is_some() && b.day.is_none()
        || a.month.is_none() && b.month.is_some() && a.year.is_none()
    {
        return None;
    }
    let (va, vb) = (resolve(cx, a), resolve(cx, b));
    let value = match (va, vb) {
        (Some(x), Some(y)) => Some(format!("{}/{}", x.iso(), y.iso())),
        _ => None,
    };
    // The span starts at the first side (or at عامي), never at the preposition.
    let start = cx.w[start_tok].span.start;
    let _ = cx.text;
    Some((b_end, start, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_read_behind_its_proclitics() {
        let f = clitic_forms("وبالامس");
        assert_eq!((f.rest1, f.rest2, f.lil), (2, 4, false));
        assert!(clitic_forms("للعام").lil);
        assert_eq!(clitic_forms("امس").rest1, 0);
        assert!(is_one_of_after_alef(&["العام"], "لعام"));
        assert!(!is_one_of_after_alef(&["العام"], "عام"));
        // The forms live in the padding of a word: a long document's memory is unchanged.
        assert_eq!(std::mem::size_of::<W<'_>>(), std::mem::size_of::<(Span, std::borrow::Cow<'_, str>, TokenKind)>());
    }

    #[test]
    fn the_trigger_gate_skips_only_words_where_nothing_begins() {
        // Every labeled sentence of the amounts/times sets and the 42 documents, with their
        // dates: the gated matcher finds exactly what trying every word finds.
        let sets = [
            include_str!("../tests/amounts/tune.jsonl"),
            include_str!("../tests/amounts/dev.jsonl"),
            include_str!("../tests/amounts/dev2.jsonl"),
            include_str!("../tests/amounts/sealed.jsonl"),
            include_str!("../tests/docs/gold.jsonl"),
        ];
        let (mut checked, mut found, mut words, mut triggers) = (0, 0, 0, 0);
        for line in sets.iter().flat_map(|s| s.lines()).filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let (Some(text), date) = (v["text"].as_str(), v["date"].as_str()) else { continue };
            let d = doc(text, date);
            let gated = find_times_gated(&d, true);
            assert_eq!(gated, find_times_gated(&d, false), "{text}");
            checked += 1;
            found += gated.len();
            for t in d.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
                let n = normalize(d.slice(t.span), Profile::Search);
                words += 1;
                triggers += usize::from(may_begin(&n, t.kind, &clitic_forms(&n)));
            }
        }
        // The gate is worth having: most words of news are no rule's words.
        eprintln!("{triggers} of {words} words may begin a time");
        assert!(triggers * 4 < words, "{triggers} of {words} words may begin a time");
        let seed = doc(include_str!("../../../examples/seed-article.txt"), Some("2017-08-01"));
        assert_eq!(find_times_gated(&seed, true), find_times_gated(&seed, false));
        assert!(checked > 400 && found > 200, "{checked} texts, {found} times");
        // A word no rule names is skipped; one behind proclitics, a number or a mark is not.
        let t = |n: &str, kind| may_begin(n, kind, &clitic_forms(n));
        assert!(!t("الحكومه", TokenKind::Word));
        assert!(t("وبالامس", TokenKind::Word) && t("للعام", TokenKind::Word) && t("الخميس", TokenKind::Word));
        assert!(t("2015", TokenKind::Number) && t("(", TokenKind::Punct));
    }

    #[test]
    fn every_line_of_the_rules_holds_an_even_number_of_quotes() {
        // What [`TRIGGERS`] relies on to find the literals.
        for (k, line) in include_str!("times.rs").lines().enumerate() {
            assert!(line.matches('\u{22}').count() % 2 == 0, "line {}: {line}", k + 1);
        }
    }

    fn doc(text: &str, date: Option<&str>) -> Document {
        let d = crate::document::bare_document(text, date.map(|s| crate::parse_date(s).unwrap()));
        d
    }

    fn times(text: &str, date: Option<&str>) -> Vec<(String, Option<String>)> {
        let d = doc(text, date);
        find_times(&d)
            .into_iter()
            .map(|t| (d.slice(t.span).to_string(), t.value))
            .collect()
    }

    fn one(text: &str, date: &str) -> (String, Option<String>) {
        let v = times(text, Some(date));
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        v[0].clone()
    }

    fn t(s: &str, v: &str) -> (String, Option<String>) {
        (s.to_string(), Some(v.to_string()))
    }

    #[test]
    fn relative_days() {
        let d = "2017-08-01";
        assert_eq!(one("نشر أمس الأول بيانا", d), t("أمس الأول", "2017-07-30"));
        assert_eq!(one("وصل أمس إلى تونس", d), t("أمس", "2017-07-31"));
        assert_eq!(one("وصل مساء أمس", d), t("مساء أمس", "2017-07-31"));
        assert_eq!(one("ويعقد الاجتماع غداً", d), t("غداً", "2017-08-02"));
        assert_eq!(one("يعقد بعد غد", d), t("بعد غد", "2017-08-03"));
        assert_eq!(one("قال اليوم", d), t("اليوم", "2017-08-01"));
        assert_eq!(one("جرى أول من أمس", d), t("أول من أمس", "2017-07-30"));
        assert_eq!(one("وصل بالأمس", d), t("الأمس", "2017-07-31"));
    }

    #[test]
    fn durations_before_and_after_the_document_date() {
        let d = "2017-08-01";
        assert_eq!(one("قال الوزير قبل يومين إن", d), t("قبل يومين", "2017-07-30"));
        assert_eq!(one("سيعقد بعد ثلاثة أيام", d), t("بعد ثلاثة أيام", "2017-08-04"));
        assert_eq!(one("ستسافر بعد ٣ أيام", d), t("بعد ٣ أيام", "2017-08-04"));
        assert_eq!(one("زار المدينة منذ أسبوعين", d), t("منذ أسبوعين", "2017-W29"));
        assert_eq!(one("وصل قبل عامين", d), t("قبل عامين", "2015"));
        assert_eq!(one("وقبل خمسة أشهر", d), t("قبل خمسة أشهر", "2017-03"));
        assert_eq!(one("بعد 10 سنوات", d), t("بعد 10 سنوات", "2027"));
        assert_eq!(one("قبل شهر", d), t("قبل شهر", "2017-07"));
        assert_eq!(one("منذ عام 2010", d), t("عام 2010", "2010"));
        // Relative to an event, not to the document date: found, value unknown.
        assert_eq!(times("وبعد شهرين من الحادث", Some(d)), vec![("بعد شهرين".to_string(), None)]);
        // No date: unresolved.
        assert_eq!(times("قبل يومين", None), vec![("قبل يومين".to_string(), None)]);
        // Not durations.
        assert!(times("قبل نهاية الاجتماع وبعد الظهر", Some(d)).is_empty());
    }

    #[test]
    fn weekdays_and_periods() {
        let d = "2017-08-01"; // a Tuesday
        assert_eq!(
            one("التقى يوم الأحد الماضي", d),
            t("يوم الأحد الماضي", "2017-07-30")
        );
        assert_eq!(
            one("يلتقي الخميس المقبل", d),
            t("الخميس المقبل", "2017-08-03")
        );
        assert_eq!(one("التقى الوزير يوم الأحد", d), t("يوم الأحد", "2017-07-30"));
        assert_eq!(
            one("سيلتقي الوزير يوم الأحد", d),
            t("يوم الأحد", "2017-08-06")
        );
        assert_eq!(one("جرى الأسبوع الماضي", d), t("الأسبوع الماضي", "2017-W30"));
        assert_eq!(one("في الشهر المقبل", d), t("الشهر المقبل", "2017-09"));
        assert_eq!(one("خلال العام الجاري", d), t("العام الجاري", "2017"));
        assert_eq!(one("في السنة الماضية", d), t("السنة الماضية", "2016"));
        assert_eq!(
            one("منذ مطلع العام المقبل", d),
            t("مطلع العام المقبل", "2018")
        );
        assert_eq!(
            one("حتى أواخر الشهر الجاري", d),
            t("أواخر الشهر الجاري", "2017-08")
        );
        assert_eq!(one("خلال هذا الأسبوع", d), t("هذا الأسبوع", "2017-W31"));
    }

    #[test]
    fn explicit_dates_in_both_month_systems() {
        let d = "2017-08-01";
        assert_eq!(one("في مارس 2018.", d), t("مارس 2018", "2018-03"));
        assert_eq!(one("في 15 آذار 2018", d), t("15 آذار 2018", "2018-03-15"));
        assert_eq!(
            one("في 15 مارس/آذار 2018", d),
            t("15 مارس/آذار 2018", "2018-03-15")
        );
        assert_eq!(
            one("في ١٥ تشرين الأول ٢٠١٨", d),
            t("١٥ تشرين الأول ٢٠١٨", "2018-10-15")
        );
        assert_eq!(one("يوم 20 يوليو", d), t("20 يوليو", "2017-07-20"));
        assert_eq!(
            one("الثلاثاء 1 أغسطس 2017", d),
            t("الثلاثاء 1 أغسطس 2017", "2017-08-01")
        );
        assert_eq!(one("في عام 2011", d), t("عام 2011", "2011"));
        assert_eq!(one("في يناير المقبل", d), t("يناير المقبل", "2018-01"));
        assert_eq!(one("بتاريخ 15/3/2018", d), t("15/3/2018", "2018-03-15"));
        assert_eq!(one("في 2 جوان 2017", d), t("2 جوان 2017", "2017-06-02"));
        assert!(times("قال أب الضحية", Some(d)).is_empty());
        assert!(times("قتل 2018 شخصا", Some(d)).is_empty());
    }

    #[test]
    fn hijri_dates_are_converted() {
        let d = "2017-08-01";
        assert_eq!(
            one("في 1 محرم 1439 هـ", d),
            t("1 محرم 1439 هـ", "2017-09-21")
        );
        assert_eq!(
            one("في 10 ذي الحجة 1438هـ", d),
            t("10 ذي الحجة 1438هـ", "2017-09-01")
        );
        assert_eq!(one("منذ عام 1438 هـ", d), ("عام 1438 هـ".to_string(), None));
    }

    #[test]
    fn a_day_of_the_month_named_with_the_word_for_month() {
        let d = "2015-08-01";
        assert_eq!(one("وصل الوفد في 12 من شهر مارس 2015", d), t("12 من شهر مارس 2015", "2015-03-12"));
        assert_eq!(one("يستمر المعسكر حتى 12 من شهر ذي القعدة 1436", d), t("12 من شهر ذي القعدة 1436", "2015-08-27"));
        // Without a day, `شهر` + month stays a month.
        assert_eq!(one("في شهر مارس 2015", d).1, Some("2015-03".to_string()));
    }

    #[test]
    fn ranges() {
        let d = "2017-08-01";
        assert_eq!(
            one("من 10 إلى 15 مارس 2018", d),
            t("10 إلى 15 مارس 2018", "2018-03-10/2018-03-15")
        );
        assert_eq!(
            one("بين عامي 2015 و2017", d),
            t("عامي 2015 و2017", "2015/2017")
        );
        assert_eq!(one("خلال الفترة 2015-2017", d), t("2015-2017", "2015/2017"));
    }

    fn with_mod(text: &str, date: &str) -> Vec<(String, Option<String>, Option<&'static str>)> {
        let d = doc(text, Some(date));
        find_times(&d).into_iter().map(|t| (d.slice(t.span).to_string(), t.value, t.modifier.map(TimeMod::as_str))).collect()
    }

    #[test]
    fn hijri_days_follow_the_umm_al_qura_calendar() {
        let d = "2019-01-01";
        assert_eq!(one("يبدأ الصوم في 1 رمضان 1440 هـ", d), t("1 رمضان 1440 هـ", "2019-05-06"));
        assert_eq!(one("وكان العيد في 1 شوال 1441هـ", d), t("1 شوال 1441هـ", "2020-05-24"));
        // The tabular calendar would say 2017-05-26.
        assert_eq!(one("في 1 رمضان 1438 هـ", d), t("1 رمضان 1438 هـ", "2017-05-27"));
        assert_eq!(one("مساء الأربعاء ١٢/١٠/١٤٣٦ه", "2015-08-02"), t("مساء الأربعاء ١٢/١٠/١٤٣٦ه", "2015-07-28"));
    }

    #[test]
    fn hijri_months_without_a_day() {
        // 2020-05-01 is 8 رمضان 1441.
        let d = "2020-05-01";
        assert_eq!(one("منذ محرم الماضي", d), t("محرم الماضي", "H1441-01"));
        assert_eq!(one("يؤدون الحج في شهر ذي الحجة", d), t("شهر ذي الحجة", "H1441-12"));
        assert_eq!(one("يعرض المسلسل في رمضان المقبل", d), t("رمضان المقبل", "H1442-09"));
        assert_eq!(one("خلال شهر رمضان الحالي", d), t("شهر رمضان الحالي", "H1441-09"));
        assert_eq!(one("قبل حلول شهر رمضان المبارك", "2018-04-01"), t("شهر رمضان المبارك", "H1439-09"));
        // A person's name is not a month.
        assert!(times("قال رجب طيب أردوغان", Some(d)).is_empty());
        assert!(times("التقى رمضان عبد الله", Some(d)).is_empty());
    }

    #[test]
    fn quarters_halves_and_seasons() {
        let d = "2017-08-01";
        assert_eq!(one("في الربع الأول من عام 2016", d), t("الربع الأول من عام 2016", "2016-Q1"));
        assert_eq!(one("خلال الربع الثالث من العام الجاري", d), t("الربع الثالث من العام الجاري", "2017-Q3"));
        assert_eq!(one("نتائج الربع الثاني", d), t("الربع الثاني", "2017-Q2"));
        assert_eq!(one("في النصف الأول من 2020", d), t("النصف الأول من 2020", "2020-H1"));
        assert_eq!(one("خلال النصف الثاني من العام الماضي", d), t("النصف الثاني من العام الماضي", "2016-H2"));
        assert_eq!(one("في شتاء 2017", d), t("شتاء 2017", "2017-WI"));
        assert_eq!(one("في ربيع عام 2020", d), t("ربيع عام 2020", "2020-SP"));
        // August 2017: the last summer is 2016's, the next winter the one of January 2018.
        assert_eq!(one("انتقل في الصيف الماضي", d), t("الصيف الماضي", "2016-SU"));
        assert_eq!(one("يعود الشتاء المقبل", d), t("الشتاء المقبل", "2018-WI"));
        assert!(times("اندلع الربيع العربي", Some(d)).is_empty());
    }

    #[test]
    fn parts_of_periods_carry_a_mod() {
        let d = "2017-08-01";
        let m = |s: &str, v: &str, md: &'static str| (s.to_string(), Some(v.to_string()), Some(md));
        assert_eq!(with_mod("حتى نهاية 2025", d), vec![m("نهاية 2025", "2025", "END")]);
        assert_eq!(with_mod("في مطلع العام المقبل", d), vec![m("مطلع العام المقبل", "2018", "START")]);
        assert_eq!(with_mod("منذ منتصف تموز", d), vec![m("منتصف تموز", "2017-07", "MID")]);
        assert_eq!(with_mod("في أواخر عام 2010", d), vec![m("أواخر عام 2010", "2010", "END")]);
        assert_eq!(with_mod("بنهاية النصف الأول من عام 2015", d), vec![m("نهاية النصف الأول من عام 2015", "2015-H1", "END")]);
        assert_eq!(with_mod("في أوائل عام 2019", d), vec![m("أوائل عام 2019", "2019", "START")]);
        assert_eq!(with_mod("نهاية شهر رمضان الماضي", d), vec![m("نهاية شهر رمضان الماضي", "H1438-09", "END")]);
        // `غرة` + a month is its first day, a date without a mod.
        assert_eq!(with_mod("في غرة شهر رمضان المقبل", "2018-04-01"), vec![("غرة شهر رمضان المقبل".to_string(), Some("2018-05-16".to_string()), None)]);
        assert_eq!(with_mod("الأسبوع الماضي", d), vec![("الأسبوع الماضي".to_string(), Some("2017-W30".to_string()), None)]);
    }

    #[test]
    fn a_bare_weekday_follows_the_tense() {
        let d = "2017-08-01"; // a Tuesday
        assert_eq!(one("سيزور الوزير الرياض الخميس", d), t("الخميس", "2017-08-03"));
        assert_eq!(one("سوف يلتقي الوفد الأحد", d), t("الأحد", "2017-08-06"));
        assert_eq!(one("زار الوزير الرياض الخميس", d), t("الخميس", "2017-07-27"));
        // No cue: the past (news reports what happened).
        assert_eq!(one("الوزير في الرياض الخميس", d), t("الخميس", "2017-07-27"));
        // The document's own weekday is the document's day.
        assert_eq!(one("قال الوزير الثلاثاء", d), t("الثلاثاء", "2017-08-01"));
        // A day word and the weekday after it are one expression.
        assert_eq!(one("وصل أمس الاثنين", d), t("أمس الاثنين", "2017-07-31"));
        assert_eq!(one("يصل مساء غد الأربعاء", d), t("مساء غد الأربعاء", "2017-08-02"));
        assert!(times("بعد صلاة الجمعة", Some(d)).is_empty());
    }

    #[test]
    fn durations_stay_unanchored() {
        let d = "2017-08-01";
        // A bare duration is no time; قبل/بعد/منذ + a duration keeps today's reading.
        assert!(times("استمر العمل لمدة ثلاث سنوات", Some(d)).is_empty());
        assert_eq!(one("منذ ثلاث سنوات", d), t("منذ ثلاث سنوات", "2014"));
    }

    #[test]
    fn no_date_means_null_for_relative_values() {
        assert_eq!(times("وصل أمس", None), vec![("أمس".to_string(), None)]);
        assert_eq!(times("في مارس 2018", None), vec![t("مارس 2018", "2018-03")]);
    }
}
