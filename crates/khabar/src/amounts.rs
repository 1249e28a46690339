//! Amounts: money, percentages, counts and other quantities, with their values.
//!
//! A rule-based reader over tokens (normalized with the `search` profile, so Arabic-Indic
//! digits, `٫` `٬`, hamza and ta marbuta variants all match). A number is
//!
//! * digits in either script (`1,500,000`, `٣٬٥٠٠`, `2.5`, `١٢٫٥`; `1,5` is 1.5 and
//!   `1,500` is 1500: a comma before exactly three digits groups thousands), or words
//!   (`ثلاثة`، `خمسة وعشرون`، `مئتان`، `ثلاثمائة`، `أحد عشر`، `ألفين`),
//! * times scale words (`ألف/آلاف`، `مليون/ملايين`، `مليار/مليارات`، `بليون`،
//!   `تريليون`, their duals `ملياري` = 2 × 10⁹), chained by `و` with smaller scales
//!   (`مليون و500 ألف`، `مليون ونصف`).
//!
//! What follows it gives the kind: a currency ([`Kind::Money`], unit an ISO 4217 code), a
//! percent sign or `في المئة`/`بالمائة` ([`Kind::Percent`], unit `%`), a counted noun
//! ([`Kind::Count`], unit the noun as written without its clitics), or nothing
//! ([`Kind::Number`]). `بين 3 و5 في المئة` is two amounts, the first taking the unit (and
//! scale) of the second. `نحو`، `حوالي`، `قرابة`، `زهاء`، `أكثر من`، `أقل من`، `ما يقارب`
//! before the number set `approx`; they stay outside the span.
//!
//! Not amounts: numbers inside a date or year of the `times` layer (a duration's count
//! `ثلاثة أيام` still is one), clock times (`10:30`, `الساعة 10`), fractions and dates
//! with `/`, a bare four-digit year (1900–2100 with nothing counted after it), numbers that
//! follow a numbering noun (`الدورة 35`، `المادة 5`) or a name (`فرانس 24`), and digit
//! strings of ten or more digits (telephone numbers).
//!
//! Currencies come from the knowledge base (CLDR's Arabic names): the head word in any of
//! its forms (`دولار`، `دولارا`، `دولارات`، `دولارين`) with the adjective after it (`ريال
//! سعودي`، `دولارات أمريكية`) is looked up as the singular name. A head shared by several
//! currencies (`ريال`، `دينار`، `درهم`، `جنيه`، `ليرة`) takes the currency of the country
//! the story's places point to (the most mentioned country among its LOC entities); with
//! no such country the unit is the word as written. A bare `دولار` is the US dollar.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use khabar_text::{normalize, Profile, Span, TokenKind};
use rustc_hash::FxHashMap;

use crate::{Amount, AmountKind, Annotator, Document, EntityType, Result};

/// The `amounts` stage.
#[derive(Default)]
pub struct AmountFinder {
    kb: Option<Arc<khabar_kb::Kb>>,
}

impl std::fmt::Debug for AmountFinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmountFinder").field("kb", &self.kb.is_some()).finish()
    }
}

impl AmountFinder {
    /// An amount finder that names currencies with this knowledge base (without one,
    /// money is still found by its head words, and its unit is the word as written
    /// unless it is `دولار`/`يورو`).
    pub fn new(kb: Option<Arc<khabar_kb::Kb>>) -> AmountFinder {
        AmountFinder { kb }
    }
}

impl Annotator for AmountFinder {
    fn name(&self) -> &'static str {
        "amounts"
    }
    fn annotate(&self, doc: &mut Document) -> Result<()> {
        doc.amounts = find_amounts(doc, self.kb.as_deref());
        Ok(())
    }
}

/// What a word means to the reader.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Lex {
    /// 1–10 (`ثلاثة`), `exact` false for words that are other words too (`ست`، `خمس`).
    Unit(u32),
    /// `أحد`/`إحدى`/`اثنا`: only before `عشر`.
    TeenHead(u32),
    /// `عشر`/`عشرة` (after a unit: a teen).
    Ten,
    /// 20–90.
    Tens(u32),
    /// 100–900 in one word.
    Hundreds(u32),
    /// `مئة`/`مائة` (after a unit: times it).
    Hundred,
    /// A scale word: value, and how many of it the word itself says (dual: 2; plural: 0,
    /// it needs a number before it; singular: 1).
    Scale(f64, u32),
    /// `نصف`، `ربع`، `ثلث`.
    Fraction(f64),
    /// A dual noun that is a count by itself (`يومين`).
    Dual,
}

fn lexicon() -> &'static FxHashMap<String, Lex> {
    static LEX: OnceLock<FxHashMap<String, Lex>> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut m = FxHashMap::default();
        let mut add = |words: &[&str], l: Lex| {
            for w in words {
                m.insert(normalize(w, Profile::Search), l);
            }
        };
        add(&["واحد", "واحدة"], Lex::Unit(1));
        add(&["اثنان", "اثنين", "اثنتان", "اثنتين"], Lex::Unit(2));
        add(&["ثلاث", "ثلاثة"], Lex::Unit(3));
        add(&["أربع", "أربعة"], Lex::Unit(4));
        add(&["خمس", "خمسة"], Lex::Unit(5));
        add(&["ست", "ستة"], Lex::Unit(6));
        add(&["سبع", "سبعة"], Lex::Unit(7));
        add(&["ثماني", "ثمانية", "ثمان"], Lex::Unit(8));
        add(&["تسع", "تسعة"], Lex::Unit(9));
        add(&["أحد", "إحدى", "احدى"], Lex::TeenHead(1));
        add(&["اثنا", "اثني", "اثنتا", "اثنتي"], Lex::TeenHead(2));
        add(&["عشر", "عشرة"], Lex::Ten);
        for (v, ws) in [
            (20, ["عشرون", "عشرين"]),
            (30, ["ثلاثون", "ثلاثين"]),
            (40, ["أربعون", "أربعين"]),
            (50, ["خمسون", "خمسين"]),
            (60, ["ستون", "ستين"]),
            (70, ["سبعون", "سبعين"]),
            (80, ["ثمانون", "ثمانين"]),
            (90, ["تسعون", "تسعين"]),
        ] {
            add(&ws, Lex::Tens(v));
        }
        add(&["مئة", "مائة", "مئه", "ماية"], Lex::Hundred);
        add(&["مئتان", "مئتين", "مائتان", "مائتين", "مئتا", "مائتا", "مئتي", "مائتي"], Lex::Hundreds(200));
        for (v, stem) in [(3, "ثلاث"), (4, "أربع"), (5, "خمس"), (6, "ست"), (7, "سبع"), (8, "ثمان"), (9, "تسع")] {
            add(&[&format!("{stem}مئة"), &format!("{stem}مائة")], Lex::Hundreds(v * 100));
        }
        add(&["ثمانمئة", "ثمانمائة", "ثمانيمائة", "ثمانيمئة"], Lex::Hundreds(800));
        add(&["ألف", "ألفا"], Lex::Scale(1e3, 1));
        add(&["ألفان", "ألفين", "ألفي"], Lex::Scale(1e3, 2));
        add(&["آلاف", "ألوف"], Lex::Scale(1e3, 0));
        add(&["مليون", "مليونا"], Lex::Scale(1e6, 1));
        add(&["مليونان", "مليونين", "مليوني"], Lex::Scale(1e6, 2));
        add(&["ملايين"], Lex::Scale(1e6, 0));
        add(&["مليار", "مليارا", "بليون", "بليونا"], Lex::Scale(1e9, 1));
        add(&["ملياران", "مليارين", "ملياري", "بليونين", "بليوني"], Lex::Scale(1e9, 2));
        add(&["مليارات", "بلايين"], Lex::Scale(1e9, 0));
        add(&["تريليون", "ترليون", "تريليونا", "ترليونا"], Lex::Scale(1e12, 1));
        add(&["تريليونين", "تريليوني", "ترليونين"], Lex::Scale(1e12, 2));
        add(&["تريليونات", "ترليونات"], Lex::Scale(1e12, 0));
        add(&["نصف"], Lex::Fraction(0.5));
        add(&["ربع"], Lex::Fraction(0.25));
        add(&["ثلث"], Lex::Fraction(1.0 / 3.0));
        add(
            &[
                "يومين", "يومان", "شهرين", "شهران", "عامين", "عامان", "سنتين", "سنتان", "أسبوعين",
                "ساعتين", "دقيقتين", "هدفين", "مرتين", "شخصين", "طفلين", "جنديين", "قتيلين", "ليلتين",
                "قسمين", "موسمين", "مرحلتين", "دولتين", "بلدين", "نقطتين", "مباراتين", "جزأين",
            ],
            Lex::Dual,
        );
        m
    })
}

/// Currency head words: every form (singular, accusative, plural, dual) → the singular.
fn currency_heads() -> &'static FxHashMap<String, &'static str> {
    static HEADS: OnceLock<FxHashMap<String, &'static str>> = OnceLock::new();
    HEADS.get_or_init(|| {
        let mut m = FxHashMap::default();
        let forms: &[(&'static str, &[&str])] = &[
            ("دولار", &["دولار", "دولارا", "دولارات", "دولاران", "دولارين"]),
            ("يورو", &["يورو"]),
            ("ريال", &["ريال", "ريالا", "ريالات", "ريالان", "ريالين"]),
            ("جنيه", &["جنيه", "جنيها", "جنيهات", "جنيهان", "جنيهين"]),
            ("درهم", &["درهم", "درهما", "دراهم", "درهمان", "درهمين"]),
            ("دينار", &["دينار", "دينارا", "دنانير", "ديناران", "دينارين"]),
            ("ليرة", &["ليرة", "ليرات", "ليرتان", "ليرتين"]),
            ("ين", &["ين"]),
            ("يوان", &["يوان"]),
            ("روبل", &["روبل", "روبلا", "روبلات"]),
            ("روبية", &["روبية", "روبيات"]),
            ("فرنك", &["فرنك", "فرنكا", "فرنكات"]),
            ("شيكل", &["شيكل", "شيكلا", "شيكلات", "شواكل"]),
            ("أوقية", &["أوقية"]),
            ("بيزو", &["بيزو"]),
        ];
        for (head, fs) in forms {
            for f in *fs {
                m.insert(normalize(f, Profile::Search), *head);
            }
        }
        m
    })
}

/// Currencies that share a head word, by the country whose currency each is. ISO 4217
/// codes begin with the country's ISO 3166 code, so the story's country picks among them.
const SHARED_HEADS: &[(&str, &[&str])] = &[
    ("ريال", &["SAR", "QAR", "OMR", "YER", "IRR"]),
    ("دينار", &["KWD", "BHD", "JOD", "IQD", "LYD", "TND", "DZD"]),
    ("درهم", &["AED", "MAD"]),
    ("جنيه", &["EGP", "SDG", "SSP", "GBP"]),
    ("ليرة", &["LBP", "SYP", "TRY"]),
    ("دولار", &["USD", "CAD", "AUD", "HKD", "SGD", "NZD"]),
    ("فرنك", &["CHF"]),
    ("ين", &["JPY"]),
    ("يوان", &["CNY"]),
    ("روبل", &["RUB"]),
    ("روبية", &["INR", "PKR"]),
    ("شيكل", &["ILS"]),
    ("أوقية", &["MRU"]),
];

/// The word before a number that makes it approximate.
const APPROX_ONE: &[&str] = &["نحو", "حوالي", "حوالى", "قرابة", "زهاء", "تقريبا", "قرابه", "ازيد", "حوالى"];

/// Numbering nouns: a number after them is a label, not a quantity (`الدورة 35`).
const NUMBERING: &[&str] = &[
    "الاصدار", "الفيه", "الرمز", "بالرمز",
    "الدوره", "الماده", "الفقره", "البند", "الفصل", "الجوله", "الحلقه", "الطبعه", "النسخه", "رقم",
    "الرقم", "المرتبه", "المركز", "القرار", "الموسم", "الدقيقه", "الشوط", "الطريق", "الشارع", "الرحله",
    "الغرفه", "الجزء", "المجلد", "الصفحه", "الايه", "السوره", "القانون", "المرسوم", "اللواء", "الفرقه",
    "الكتيبه", "الساعه", "العدد", "المجموعه", "الكيلو", "كيلو", "المخرج", "البوابه", "الملعب", "القناه",
];

/// Words that never follow a number as its counted noun.
const NOT_COUNTED: &[&str] = &[
    "صباحا", "مساء", "ظهرا", "فجرا", "ليلا", "عصرا", "بتوقيت",
    "عبر", "امام", "عندما", "خلف", "فوق", "تحت", "ضد", "دون", "حول", "لدي", "بعدما", "حين", "حينما", "كي", "لكن",
    "اما", "الذين",
    "في", "من", "الي", "علي", "عن", "مع", "او", "ثم", "قد", "لا", "ما", "التي", "الذي", "الذين", "ان",
    "هو", "هي", "منذ", "بعد", "قبل", "خلال", "حتي", "عند", "بين", "كما", "اي", "م", "ه", "مقابل", "لكل",
    "فقط", "اخري", "اخرين", "تقريبا", "مقارنه", "بينما", "حيث", "اذ", "لم", "لن", "كان", "كانت", "وفق", "نحو", "الا",
    // A preposition with its pronoun refers back to what was counted (`اعتقال 7 منهم`).
    "منهم", "منها", "منه", "منهن", "فيهم", "فيها", "فيه", "عليهم", "عليها", "عليه", "لهم", "لها", "له", "بهم", "بها",
    "به", "عنهم", "عنها", "عنه", "معهم", "معها", "معه", "اليهم", "اليها", "اليه",
    // `يرتفع إلى 162 عدد الفلسطينيين`: "the number of" opens the subject, not a counted noun.
    "عدد",
];

/// A word as the reader sees it.
struct W<'a> {
    span: Span,
    /// Normalized surface (`search`), digits ASCII (borrowed from the token's norm).
    n: Cow<'a, str>,
    kind: TokenKind,
    /// Chars of proclitics (`و`، `ب`، `ل`…) written before the base.
    clitic: usize,
    /// The normalized base without proclitics.
    base: Cow<'a, str>,
    /// Whether a proclitic is a conjunction (`و`، `ف`): the word starts a new phrase.
    conj: bool,
}

struct Cx<'a> {
    w: Vec<W<'a>>,
    text: &'a str,
    times: &'a [crate::Time],
}

impl Cx<'_> {
    fn n(&self, i: usize) -> &str {
        self.w.get(i).map(|w| w.n.as_ref()).unwrap_or("")
    }
    /// Whether word `i`, as written or without its proclitics, is one of `words`.
    fn word_is(&self, i: usize, words: &[&str]) -> bool {
        words.contains(&self.n(i)) || words.contains(&self.base(i))
    }
    /// Whether word `i` has the article before its base (`البلدين`, `بالبلدين`).
    fn definite(&self, i: usize) -> bool {
        let (n, b) = (self.n(i), self.base(i));
        n.strip_suffix(b).is_some_and(|pre| pre.ends_with("ال") || pre.ends_with("لل")) || n.starts_with("ال")
    }
    /// As [`Cx::word_is`], also with the article the segmenter split off (`بالإصدار`).
    fn word_is_definite(&self, i: usize, words: &[&str]) -> bool {
        self.word_is(i, words) || words.iter().any(|w| w.strip_prefix("ال") == Some(self.base(i)))
    }
    fn base(&self, i: usize) -> &str {
        self.w.get(i).map(|w| w.base.as_ref()).unwrap_or("")
    }
    fn lex(&self, i: usize) -> Option<Lex> {
        let w = self.w.get(i)?;
        if w.kind != TokenKind::Word {
            return None;
        }
        let l = lexicon();
        l.get(w.n.as_ref()).or_else(|| l.get(w.base.as_ref())).copied()
    }
    fn surface(&self, i: usize) -> &str {
        self.w.get(i).and_then(|w| self.text.get(w.span.range())).unwrap_or("")
    }
    /// Start byte of word `i` after its proclitics.
    fn start_after_clitics(&self, i: usize) -> u32 {
        let w = &self.w[i];
        if w.clitic == 0 {
            return w.span.start;
        }
        let s = self.surface(i);
        let mut letters = 0;
        for (b, c) in s.char_indices() {
            if khabar_text::chars::is_arabic_letter(c) || khabar_text::chars::is_digit(c) {
                if letters == w.clitic {
                    return w.span.start + b as u32;
                }
                letters += 1;
            }
        }
        w.span.start
    }
    fn is_punct(&self, i: usize, p: &[&str]) -> bool {
        self.w.get(i).is_some_and(|w| matches!(w.kind, TokenKind::Punct | TokenKind::Symbol) && p.contains(&w.n.as_ref()))
    }
}

/// Splits a word into its proclitics and base: by the segmenter's segments when the token
/// has them, else by stripping `و`/`ف` then `ب`/`ل`/`ك` (and `ال` after `ب`/`ل`) when what
/// is left is a word the reader knows.
fn split_clitics(n: &str, tok: Option<&crate::Token>) -> (usize, String, bool) {
    if let Some(t) = tok.filter(|t| !t.segments.is_empty() && t.base > 0 && t.base < t.segments.len()) {
        let pro = &t.segments[..t.base];
        let conj = pro.first().is_some_and(|s| matches!(s.as_str(), "و" | "ف"));
        // The segments may restore letters (`للمادة` is ل + ال + مادة): the base is the
        // segments from the base on, and the clitics what the surface has before it.
        let base = normalize(&t.segments[t.base..].concat(), Profile::Search);
        let chars = match n.strip_suffix(base.as_str()) {
            Some(pre) => pre.chars().count(),
            None => pro.iter().map(|s| s.chars().count()).sum(),
        };
        return (chars, base, conj);
    }
    let known = |s: &str| lexicon().contains_key(s) || currency_heads().contains_key(s) || is_percent_word(s);
    let mut cs = n.chars();
    let mut skipped = 0;
    let mut conj = false;
    let mut rest = n;
    for _ in 0..2 {
        let Some(c) = cs.next() else { break };
        if !matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك') {
            break;
        }
        let r = cs.as_str();
        if known(r) || r.starts_with(|c: char| c.is_ascii_digit()) {
            if skipped == 0 && matches!(c, 'و' | 'ف') {
                conj = true;
            }
            return (skipped + 1, r.to_string(), conj || (skipped == 0 && matches!(c, 'و' | 'ف')));
        }
        if skipped == 0 && matches!(c, 'و' | 'ف') {
            conj = true;
        }
        skipped += 1;
        rest = r;
    }
    let _ = rest;
    (0, n.to_string(), false)
}

/// Words the rules look for behind proclitics: number, currency and percent words, cues,
/// numbering nouns and range words (one set, built once).
fn known_behind_clitics() -> &'static rustc_hash::FxHashSet<&'static str> {
    static SET: OnceLock<rustc_hash::FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set: rustc_hash::FxHashSet<&'static str> = APPROX_ONE.iter().chain(NUMBERING).copied().collect();
        set.extend(["اكثر", "اقل", "بين", "من", "ما", "يقدر", "تقدر", "قدر", "قدرت", "الي", "حتي", "او", "نحو"]);
        // The cue verbs of `approx_before`, which may carry و (`وتجاوزت`).
        set.extend(["يناهز", "تناهز", "يقارب", "تقارب", "يتجاوز", "تتجاوز", "تجاوز", "تجاوزت", "يفوق", "تفوق", "يزيد", "تزيد", "يقل", "تقل"]);
        set
    })
}

/// Whether, after one or two proclitic letters (and an article), the word is one the rules
/// know (`بخمسة`, `بنحو`, `بالإصدار`, `للمادة`): only then is it split, which allocates.
fn behind_proclitics_is_known(n: &str) -> bool {
    let known = |r: &str| {
        lexicon().contains_key(r) || currency_heads().contains_key(r) || is_percent_word(r) || known_behind_clitics().contains(r)
    };
    let mut rest = n;
    for _ in 0..2 {
        let mut cs = rest.chars();
        match cs.next() {
            Some('و' | 'ف' | 'ب' | 'ل' | 'ك') => rest = cs.as_str(),
            _ => break,
        }
        if known(rest) || rest.starts_with(|c: char| c.is_ascii_digit()) {
            return true;
        }
        // `للمادة`: ل + (ا)ل + مادة.
        if let Some(r) = rest.strip_prefix('ل') {
            if known_behind_clitics().iter().any(|w| w.strip_prefix("ال") == Some(r)) || known(r) {
                return true;
            }
        }
        if let Some(r) = rest.strip_prefix("ال") {
            if known(r) || known_behind_clitics().contains(rest) {
                return true;
            }
        }
    }
    false
}

fn is_percent_word(s: &str) -> bool {
    matches!(s, "بالميه" | "بالمايه" | "بالمئه" | "المئه" | "الميه" | "المايه")
}

/// Parses digits as written (normalized: ASCII digits, `.` decimal, `,` group or decimal).
fn parse_digits(s: &str) -> Option<(f64, usize)> {
    let t = s.trim_end_matches('%');
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 || !t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let commas = t.matches(',').count();
    let dots = t.matches('.').count();
    let grouped = |sep: char| {
        let mut parts = t.split(sep);
        let first = parts.next().unwrap_or("");
        !first.is_empty() && first.len() <= 3 && parts.all(|p| p.len() == 3)
    };
    let plain: String = if commas > 0 && dots == 0 {
        if commas == 1 && !grouped(',') {
            t.replace(',', ".") // 1,5: a decimal comma
        } else if grouped(',') {
            t.replace(',', "")
        } else {
            return None;
        }
    } else if dots > 1 && commas == 0 {
        if grouped('.') {
            t.replace('.', "")
        } else {
            return None;
        }
    } else if commas > 0 && dots == 1 {
        // 1,234.5
        let (int, frac) = t.split_once('.')?;
        if !int.split(',').skip(1).all(|p| p.len() == 3) {
            return None;
        }
        format!("{}.{frac}", int.replace(',', ""))
    } else {
        t.to_string()
    };
    let int_digits = plain.split('.').next().map_or(0, str::len);
    plain.parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| (v, int_digits))
}

/// A number read at word `i`.
#[derive(Clone, Copy, Debug)]
struct Num {
    end: usize,
    value: f64,
    /// The scale words multiplied in (1 when none).
    scale: f64,
    /// Written in digits (else in words).
    digits: bool,
    /// Digits before the decimal point (years, telephone numbers).
    int_digits: usize,
    /// Written with a separator or decimal point.
    separated: bool,
}

/// Number words at `i` without scale: (value, end).
fn words_at(cx: &Cx<'_>, i: usize) -> Option<(f64, usize)> {
    let mut v = 0.0;
    let mut j = i;
    let mut any = false;
    loop {
        if any {
            // Later parts come with و (`خمسة وعشرون`).
            let Some(w) = cx.w.get(j) else { break };
            if !(w.conj && w.clitic == 1) || cx.lex(j).is_none() {
                break;
            }
        } else if cx.w.get(j).is_some_and(|w| w.clitic > 0 && w.conj) && j != i {
            break;
        }
        match cx.lex(j) {
            Some(Lex::Unit(u)) => {
                if matches!(cx.lex(j + 1), Some(Lex::Ten)) && cx.w.get(j + 1).is_some_and(|w| w.clitic == 0) {
                    v += f64::from(u) + 10.0;
                    j += 2;
                } else if matches!(cx.lex(j + 1), Some(Lex::Hundred)) && cx.w.get(j + 1).is_some_and(|w| w.clitic == 0) {
                    v += f64::from(u) * 100.0;
                    j += 2;
                } else {
                    v += f64::from(u);
                    j += 1;
                }
            }
            Some(Lex::TeenHead(u)) => {
                if matches!(cx.lex(j + 1), Some(Lex::Ten)) {
                    v += f64::from(u) + 10.0;
                    j += 2;
                } else {
                    break;
                }
            }
            Some(Lex::Ten) if !any => {
                v += 10.0;
                j += 1;
            }
            Some(Lex::Tens(t)) => {
                v += f64::from(t);
                j += 1;
            }
            Some(Lex::Hundreds(h)) => {
                v += f64::from(h);
                j += 1;
            }
            Some(Lex::Hundred) => {
                v += 100.0;
                j += 1;
            }
            _ => break,
        }
        any = true;
    }
    any.then_some((v, j))
}

/// One chunk: digits or words, then scale words (`2.5 مليار`، `ثلاثة آلاف`، `مليون`).
fn chunk_at(cx: &Cx<'_>, i: usize) -> Option<(f64, f64, usize, bool, usize, bool)> {
    let w = cx.w.get(i)?;
    let (v, j, digits, int_digits, separated) = if w.kind == TokenKind::Number {
        let (v, id) = parse_digits(&w.base)?;
        if let Some(x) = spa_decimal(cx, i) {
            return chunk_scale(cx, i, x.0, i + 3, true, x.1, true);
        }
        (v, i + 1, true, id, w.base.contains([',', '.']))
    } else if let Some(Lex::Scale(_, k)) = cx.lex(i) {
        if k == 0 {
            return None; // آلاف alone: "thousands of", no value
        }
        (1.0, i, false, 0, false)
    } else {
        let (v, j) = words_at(cx, i)?;
        (v, j, false, 0, false)
    };
    chunk_scale(cx, i, v, j, digits, int_digits, separated)
}

/// The Saudi Press Agency writes decimals with `ر` and the fraction first: `5ر2` is 2.5,
/// `7ر59` is 59.7 (three tokens written without spaces). (value, integer digits)
fn spa_decimal(cx: &Cx<'_>, i: usize) -> Option<(f64, usize)> {
    let (a, r, b) = (cx.w.get(i)?, cx.w.get(i + 1)?, cx.w.get(i + 2)?);
    if r.n != "ر" || a.span.end != r.span.start || r.span.end != b.span.start || b.kind != TokenKind::Number {
        return None;
    }
    if !a.base.bytes().all(|c| c.is_ascii_digit()) || !b.n.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: f64 = format!("{}.{}", b.n, a.base).parse().ok()?;
    Some((v, b.n.len()))
}

/// Multiplies in the scale words after a number read up to `j`.
fn chunk_scale(cx: &Cx<'_>, i: usize, v: f64, j: usize, digits: bool, int_digits: usize, separated: bool) -> Option<(f64, f64, usize, bool, usize, bool)> {
    let (mut v, mut j) = (v, j);
    let mut scale = 1.0;
    // Scale words (a chain `ألف مليار` multiplies).
    while let Some(Lex::Scale(s, k)) = cx.lex(j) {
        if cx.w[j].conj || (j > i && cx.w[j].clitic > 0) {
            break;
        }
        if k == 2 && j == i {
            v = 2.0;
        }
        scale *= s;
        j += 1;
        if j > i + 4 {
            break;
        }
    }
    if j == i {
        return None;
    }
    // A fraction after a scale: `مليون ونصف`.
    if scale > 1.0 {
        if let Some(Lex::Fraction(f)) = cx.lex(j) {
            if cx.w[j].conj {
                v += f;
                j += 1;
            }
        }
    }
    // `4.1 مليار` is 4100000000, not 4099999999.9999995: a scaled decimal is rounded to
    // a thousandth of a unit.
    let value = if scale > 1.0 { (v * scale * 1e3).round() / 1e3 } else { v };
    Some((value, scale, j, digits, int_digits, separated))
}

/// A full number at `i`: chunks joined by `و` with decreasing scales.
fn number_at(cx: &Cx<'_>, i: usize) -> Option<Num> {
    // A fraction before a scale: `نصف مليون`.
    if let (Some(Lex::Fraction(f)), Some(Lex::Scale(s, 1))) = (cx.lex(i), cx.lex(i + 1)) {
        return Some(Num { end: i + 2, value: f * s, scale: s, digits: false, int_digits: 0, separated: false });
    }
    let (mut value, scale, mut end, digits, int_digits, separated) = chunk_at(cx, i)?;
    let mut last = scale;
    while last > 1.0 {
        let Some(w) = cx.w.get(end) else { break };
        if !w.conj {
            break;
        }
        let Some((v, s, e, d, ..)) = chunk_at(cx, end) else { break };
        // `مليون و500 ألف`, `ثلاثة آلاف وخمسمائة`; not `1,5 مليون و1,500 شخص`.
        // After `ألف` a plain integer below a thousand continues it (`13 ألفا و687`).
        let small_tail = d && s == 1.0 && last == 1e3 && v < 1e3 && v.fract() == 0.0;
        if s >= last || v >= last || (d && s == 1.0 && !small_tail) {
            break;
        }
        value += v;
        last = s;
        end = e;
    }
    value.is_finite().then_some(Num { end, value, scale, digits, int_digits, separated })
}

/// The unit after a number.
#[derive(Clone, Debug, PartialEq)]
enum Unit {
    Percent,
    Money(String),
    Counted(String),
    None,
}

/// Reads what follows the number: (unit, end).
fn unit_at(cx: &Cx<'_>, j: usize, num_word: usize, money: &mut MoneyCx<'_>) -> (Unit, usize) {
    // A percent sign written in the number itself.
    if cx.w.get(num_word).is_some_and(|w| w.kind == TokenKind::Number && w.n.ends_with('%')) {
        return (Unit::Percent, j);
    }
    if cx.is_punct(j, &["%", "٪"]) {
        return (Unit::Percent, j + 1);
    }
    if is_percent_word(cx.n(j)) && cx.n(j).starts_with("بال") {
        return (Unit::Percent, j + 1);
    }
    if matches!(cx.n(j), "في" | "فى") && matches!(cx.n(j + 1), "المئه" | "المايه" | "الميه") {
        return (Unit::Percent, j + 2);
    }
    if let Some((code, end)) = money.currency_at(cx, j) {
        return (Unit::Money(code), end);
    }
    if cx.is_punct(j, &["$"]) {
        // `50$ دولار`: the word repeats the sign.
        let end = if currency_heads().get(cx.n(j + 1)) == Some(&"دولار") { j + 2 } else { j + 1 };
        return (Unit::Money("USD".into()), end);
    }
    if let Some(w) = cx.w.get(j) {
        if w.kind == TokenKind::Word && counted_noun(cx, j) {
            // A metric prefix written apart from its unit is one unit (`50 كيلو مترا`، `8.5
            // ميلي متر`).
            if METRIC_PREFIXES.contains(&cx.n(j)) && cx.w.get(j + 1).is_some_and(|u| u.kind == TokenKind::Word && !u.conj && METRIC_UNITS.iter().any(|m| cx.n(j + 1).starts_with(m))) {
                return (Unit::Counted(unit_words(cx, j, j + 2)), j + 2);
            }
            return (Unit::Counted(unit_text(cx, j)), j + 1);
        }
    }
    (Unit::None, j)
}

/// Metric prefixes news writes apart from their unit (`search`-normalized).
const METRIC_PREFIXES: &[&str] = &["كيلو", "ميلي", "ملي", "سنتي", "ميغا", "ميجا", "جيجا", "غيغا", "مايكرو", "ميكرو", "نانو"];

/// The units they prefix, by how their forms begin (`متر`، `مترا`، `مترات`; `غرام`، `جرام`).
const METRIC_UNITS: &[&str] = &["متر", "غرام", "جرام", "لتر", "واط", "بايت", "هيرتز", "هرتز", "بكسل", "بيكسل", "ثانيه"];

/// The surface of word `j` without its proclitics and tatweel.
fn unit_text(cx: &Cx<'_>, j: usize) -> String {
    unit_words(cx, j, j + 1)
}

/// The surface of words `j..end` as written, without the first one's proclitics and tatweel.
fn unit_words(cx: &Cx<'_>, j: usize, end: usize) -> String {
    let (start, stop) = (cx.start_after_clitics(j), cx.w[end - 1].span.end);
    cx.text.get(start as usize..stop as usize).unwrap_or("").chars().filter(|&c| c != '\u{0640}').collect()
}

fn counted_noun(cx: &Cx<'_>, j: usize) -> bool {
    let w = &cx.w[j];
    let n = w.n.as_ref();
    if w.conj || w.clitic > 0 || n.starts_with("ال") || n.chars().count() < 2 {
        return false;
    }
    if NOT_COUNTED.contains(&n) || lexicon().contains_key(n) {
        return false;
    }
    // `24 عام 2018`: the word opens a time expression.
    if cx.times.iter().any(|t| t.span.start == w.span.start) {
        return false;
    }
    // Month and weekday names make dates, not counts.
    !is_calendar_word(n)
}

fn is_calendar_word(n: &str) -> bool {
    matches!(
        n,
        "يناير" | "فبراير" | "مارس" | "ابريل" | "مايو" | "يونيو" | "يوليو" | "اغسطس" | "سبتمبر" | "اكتوبر" | "نوفمبر"
            | "ديسمبر" | "كانون" | "شباط" | "اذار" | "نيسان" | "ايار" | "حزيران" | "تموز" | "اب" | "ايلول" | "تشرين"
            | "جانفي" | "فيفري" | "افريل" | "ماي" | "جوان" | "جويليه" | "اوت" | "محرم" | "صفر" | "ربيع" | "جمادي"
            | "رجب" | "شعبان" | "رمضان" | "شوال" | "ذو" | "ذي" | "ه" | "هـ" | "م"
    )
}

/// Currency lookups with the story's country, computed once and only when needed.
struct MoneyCx<'a> {
    kb: Option<&'a khabar_kb::Kb>,
    doc: &'a Document,
    country: Option<Option<String>>,
}

impl MoneyCx<'_> {
    /// A currency at word `j`: (ISO code or the word as written, end).
    fn currency_at(&mut self, cx: &Cx<'_>, j: usize) -> Option<(String, usize)> {
        let w = cx.w.get(j)?;
        if w.kind != TokenKind::Word || w.conj {
            return None;
        }
        // Right after a number a currency has no clitic (`بين` is not ب + `ين`).
        let head_norm = *currency_heads().get(w.n.as_ref())?;
        // The singular name with the adjective after it (`دولارات أمريكية` → `دولار أمريكي`).
        if let Some(kb) = self.kb {
            for extra in [2usize, 1] {
                if (1..=extra).any(|k| cx.w.get(j + k).is_none_or(|w| w.kind != TokenKind::Word)) {
                    continue;
                }
                let words: Vec<String> = (1..=extra).map(|k| adjective_singular(cx.base(j + k))).collect();
                if words.iter().any(String::is_empty) {
                    continue;
                }
                let phrase = format!("{head_norm} {}", words.join(" "));
                if let Some(code) = kb
                    .lookup_key(&khabar_kb::key(&phrase))
                    .find(|c| c.kind == khabar_kb::Kind::Currency)
                    .and_then(|c| c.currency_code().map(str::to_string))
                {
                    return Some((code, j + 1 + extra));
                }
            }
            if head_norm != "دولار" {
                if let Some(code) = kb
                    .lookup_key(&khabar_kb::key(head_norm))
                    .find(|c| c.kind == khabar_kb::Kind::Currency)
                    .and_then(|c| c.currency_code().map(str::to_string))
                {
                    return Some((code, j + 1));
                }
            }
        } else if head_norm == "يورو" {
            return Some(("EUR".into(), j + 1));
        }
        if head_norm == "دولار" && !matches!(self.country(), Some(c) if ["CA", "AU", "HK", "SG", "NZ"].contains(&c.as_str())) {
            return Some(("USD".into(), j + 1));
        }
        // A shared head: the story's country decides.
        let shared = SHARED_HEADS.iter().find(|(h, _)| normalize(h, Profile::Search) == head_norm).map(|(_, c)| *c);
        if let (Some(codes), Some(country)) = (shared, self.country()) {
            if let Some(code) = codes.iter().find(|c| c.starts_with(country.as_str())) {
                return Some(((*code).to_string(), j + 1));
            }
        }
        Some((unit_text(cx, j), j + 1))
    }

    /// The country most of the story's places belong to.
    fn country(&mut self) -> Option<String> {
        if self.country.is_none() {
            self.country = Some(story_country(self.doc, self.kb));
        }
        self.country.clone().flatten()
    }
}

/// The adjective after a currency head, as the singular masculine (`أمريكية` → `أمريكي`).
fn adjective_singular(n: &str) -> String {
    let n = n.strip_suffix('ه').filter(|r| r.ends_with('ي')).unwrap_or(n);
    let n = n.strip_suffix('ا').filter(|r| r.ends_with('ي')).unwrap_or(n);
    let n = n.strip_suffix("ين").filter(|r| r.ends_with('ي')).unwrap_or(n);
    match n {
        "اميركي" => "امريكي".to_string(),
        _ => n.to_string(),
    }
}

/// The country of the story: the one most LOC mentions point to in the knowledge base.
fn story_country(doc: &Document, kb: Option<&khabar_kb::Kb>) -> Option<String> {
    let kb = kb?;
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for (order, e) in doc.entities.iter().filter(|e| e.kind == EntityType::Loc).enumerate() {
        let name = doc.slice(e.span);
        let mut cands: Vec<khabar_kb::Candidate> = kb.lookup(name).filter(|c| c.kind.is_place()).collect();
        // A country's own name first, then the most populous place.
        cands.sort_by_key(|c| (c.kind != khabar_kb::Kind::Country, std::cmp::Reverse(c.prior)));
        let Some(cc) = cands.first().and_then(|c| c.country_code().map(str::to_string)) else { continue };
        match counts.iter_mut().find(|(c, ..)| *c == cc) {
            Some(x) => x.1 += 1,
            None => counts.push((cc, 1, order)),
        }
    }
    // Nationality adjectives count too (`وزير المالية المصري` → EG, `الصندوق السعودي` → SA):
    // the adjective without its `ي` (`المصري` → مصر, `الكويتي` → الكويت), with `ا` (`السوري`
    // → سوريا) or its feminine (`السعودي` → السعودية), when the knowledge base has that
    // country.
    let base_order = counts.len() + doc.entities.len();
    for (k, t) in doc.tokens.iter().enumerate() {
        let n = t.norm.strip_suffix('ه').filter(|r| r.ends_with('ي')).unwrap_or(&t.norm);
        let Some(stem) = n.strip_prefix("ال").and_then(|r| r.strip_suffix('ي')) else { continue };
        if stem.chars().count() < 3 {
            continue;
        }
        let forms = [format!("ال{stem}"), stem.to_string(), format!("{stem}ا"), format!("{n}ه")];
        let country = forms.iter().find_map(|f| {
            kb.lookup_key(f).find(|c| c.kind == khabar_kb::Kind::Country).and_then(|c| c.country_code().map(str::to_string))
        });
        let Some(cc) = country else { continue };
        match counts.iter_mut().find(|(c, ..)| *c == cc) {
            Some(x) => x.1 += 1,
            None => counts.push((cc, 1, base_order + k)),
        }
    }
    counts.into_iter().max_by_key(|(_, n, order)| (*n, std::cmp::Reverse(*order))).map(|(c, ..)| c)
}

/// Whether the words before `i` make the number approximate.
fn approx_before(cx: &Cx<'_>, i: usize) -> bool {
    // The cue is read past an opening bracket or quote (`أكثر من (120) كشافا`).
    let num = i;
    let mut i = i;
    while i > 0 && cx.is_punct(i - 1, &["(", "«", "\"", "["]) {
        i -= 1;
    }
    if i == 0 {
        return false;
    }
    let p = cx.base(i - 1);
    if APPROX_ONE.contains(&p) || APPROX_ONE.contains(&cx.n(i - 1)) {
        return true;
    }
    if i >= 2 {
        let pp = cx.base(i - 2);
        if matches!(p, "من" | "علي" | "عن") && matches!(pp, "اكثر" | "اقل" | "يزيد" | "تزيد" | "يقرب" | "تقرب" | "ازيد" | "يربو" | "تربو" | "يفوق" | "يناهز") {
            return true;
        }
        if pp == "ما" && matches!(p, "يقارب" | "يناهز") {
            return true;
        }
        if i >= 3 && cx.base(i - 3) == "ما" && matches!(pp, "يزيد" | "يقرب" | "يربو") {
            return true;
        }
    }
    // A bound: `يتجاوز 311 مليون`, `لا يقل عن 90%`, `ما يقدر بـ4,1 مليون`.
    if matches!(p, "يتجاوز" | "تتجاوز" | "تجاوز" | "تجاوزت" | "يفوق" | "تفوق" | "يزيد" | "تزيد") {
        return true;
    }
    if i >= 2 && matches!(p, "عن" | "علي") && matches!(cx.base(i - 2), "يقل" | "تقل" | "يقلان") {
        return true;
    }
    if cx.w[num].clitic == 1 && cx.n(num).starts_with('ب') && matches!(p, "يقدر" | "تقدر" | "قدر" | "قدرت") {
        return true;
    }
    // `دون 1100 دولار` (below: a bound), but not `من دون` / `بدون` (without).
    if p == "دون" && cx.n(i - 1) == "دون" && !(i >= 2 && cx.n(i - 2) == "من") {
        return true;
    }
    matches!(p, "يناهز" | "تناهز" | "يقارب" | "تقارب" | "قرابه")
}

/// Whether the words after an amount make it approximate (`15 عاما تقريبا`, `على الأقل`),
/// also past up to two words that describe or place the counted noun (`3664 لاجئا سوريا على
/// أقل تقدير`، `13 بلدية في لبنان على الأقل`), before any mark or other number.
fn approx_after(cx: &Cx<'_>, end: usize) -> bool {
    // `ونيف`: "and some" over the figure (`خمس سنوات ونيف`).
    if cx.n(end) == "ونيف" {
        return true;
    }
    for k in end..(end + 3).min(cx.w.len()) {
        if cx.w[k].kind != TokenKind::Word {
            return false;
        }
        let at_least = cx.n(k) == "علي" && (cx.n(k + 1) == "الاقل" || cx.n(k + 1) == "اقل" && cx.n(k + 2) == "تقدير");
        if cx.n(k) == "تقريبا" || at_least {
            return true;
        }
    }
    false
}

/// Finds the amounts of `doc` (the `times` and `entities` layers must be there).
pub fn find_amounts(doc: &Document, kb: Option<&khabar_kb::Kb>) -> Vec<Amount> {
    let text = doc.text();
    let lex = lexicon();
    let heads = currency_heads();
    // Only documents with a digit or a number word are read word by word.
    let mut w: Vec<W> = Vec::with_capacity(doc.tokens.len());
    let mut any = false;
    for t in &doc.tokens {
        // The token's own norm, borrowed: a copy per token would cost more than the rules.
        let n: Cow<'_, str> = if t.norm.is_empty() { normalize(doc.slice(t.span), Profile::Search).into() } else { Cow::Borrowed(t.norm.as_str()) };
        let (clitic, base, conj) = if t.kind == TokenKind::Number {
            let p = n.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
            let pre = &n[..p];
            let base: Cow<'_, str> = match &n {
                Cow::Borrowed(b) => Cow::Borrowed(&b[p..]),
                Cow::Owned(o) => Cow::Owned(o[p..].to_string()),
            };
            (pre.chars().filter(|c| *c != '\u{0640}').count(), base, pre.starts_with(['و', 'ف']))
        } else if t.kind == TokenKind::Word
            && n.starts_with(['و', 'ف', 'ب', 'ل', 'ك'])
            && !(lex.contains_key(n.as_ref()) || heads.contains_key(n.as_ref()) || is_percent_word(&n))
        {
            if behind_proclitics_is_known(&n) {
                let (c, b, conj) = split_clitics(&n, Some(t));
                (c, Cow::Owned(b), conj)
            } else {
                // A word the rules never look for behind its clitics: its base is not needed,
                // only whether it has proclitics (a counted noun has none) and a conjunction.
                let has = !t.segments.is_empty() && t.base > 0 && t.base < t.segments.len();
                let conj = has && t.segments.first().is_some_and(|s| matches!(s.as_str(), "و" | "ف"));
                (usize::from(has), n.clone(), conj)
            }
        } else {
            (0, n.clone(), false)
        };
        if t.kind == TokenKind::Number || lex.contains_key(base.as_ref()) {
            any = true;
        }
        w.push(W { span: t.span, n, kind: t.kind, clitic, base, conj });
    }
    if !any {
        return Vec::new();
    }
    let cx = Cx { w, text, times: &doc.times };
    let mut money = MoneyCx { kb, doc, country: None };
    let mut out: Vec<(Amount, usize, usize, bool)> = Vec::new(); // amount, first word, end word, unit written
    let mut i = 0;
    while i < cx.w.len() {
        let Some(num) = number_at(&cx, i) else {
            // A score's nil: `3-صفر`.
            let nil_after = i >= 2 && cx.is_punct(i - 1, &["-"]) && cx.w[i - 2].kind == TokenKind::Number;
            let nil_before = cx.is_punct(i + 1, &["-"]) && cx.w.get(i + 2).is_some_and(|w| w.kind == TokenKind::Number);
            if cx.n(i) == "صفر" && (nil_after || nil_before) {
                out.push((Amount { span: cx.w[i].span, kind: AmountKind::Number, value: 0.0, unit: None, approx: false }, i, i + 1, false));
            }
            if matches!(cx.lex(i), Some(Lex::Dual)) && !cx.w[i].conj && !cx.definite(i) {
                let start = cx.start_after_clitics(i);
                out.push((
                    Amount { span: Span { start, end: cx.w[i].span.end }, kind: AmountKind::Count, value: 2.0, unit: Some(unit_text(&cx, i)), approx: approx_before(&cx, i) },
                    i,
                    i + 1,
                    true,
                ));
            }
            i += 1;
            continue;
        };
        let (unit, end) = unit_at(&cx, num.end, i, &mut money);
        let start = cx.start_after_clitics(i);
        let span = Span { start, end: cx.w[end - 1].span.end };
        let keep = match &unit {
            Unit::None => bare_number_ok(&cx, doc, i, &num),
            // One is not counted with a digit (`الفئة 1 متوافقة`): Arabic writes `شخص واحد`.
            Unit::Counted(_) => {
                !in_date(&cx, doc, i, end)
                    && !clock_or_date(&cx, i, &num)
                    && !label_or_name(&cx, doc, i, true)
                    && (num.scale > 1.0 || num.value != 1.0)
                    // A year before a word (`في 2012 سجل`): a count only with the accusative
                    // noun of eleven and more (`2018 شخصا`).
                    && !(is_year_like(&num) && !cx.n(end - 1).ends_with('ا'))
            }
            _ => true,
        };
        if keep {
            let (kind, unit_s) = match unit {
                Unit::Percent => (AmountKind::Percent, Some("%".to_string())),
                Unit::Money(c) => (AmountKind::Money, Some(c)),
                Unit::Counted(u) => (AmountKind::Count, Some(u)),
                Unit::None => (AmountKind::Number, None),
            };
            let written = kind != AmountKind::Number || num.scale > 1.0;
            let approx = approx_before(&cx, i) || approx_after(&cx, end);
            out.push((Amount { span, kind, value: num.value, unit: unit_s, approx }, i, end, written));
            i = end;
        } else {
            i = num.end.max(i + 1);
        }
    }
    // Ranges: `بين 3 و5 في المئة`، `من 3 إلى 5 ملايين دولار`، `3-5 آلاف`: the first side
    // takes the second's unit and scale.
    // From the last: in a list of three the middle figure takes its unit before the first.
    for k in (1..out.len()).rev() {
        let (a_end, b_first) = (out[k - 1].2, out[k].1);
        let (a_written, b_written) = (out[k - 1].3, out[k].3);
        if a_written || !b_written || out[k - 1].0.kind != AmountKind::Number {
            continue;
        }
        let joined = (b_first == a_end && cx.w[b_first].conj && cx.w[b_first].clitic == 1)
            || (b_first == a_end + 1 && (cx.word_is(a_end, &["الي", "حتي", "و", "او"]) || cx.is_punct(a_end, &["-", "–"])));
        // The word before the first number, past a detached article (`بين الـ1 و2%`).
        let mut first = out[k - 1].1;
        if first > 0 && cx.n(first - 1) == "ال" {
            first -= 1;
        }
        let opened = first > 0 && cx.word_is(first - 1, &["بين", "من", "ما"]);
        // Two figures joined by و, the second with its unit (`(40 و46 عاما)`): a list.
        let figures = b_first == a_end && cx.w[out[k - 1].1].kind == TokenKind::Number && cx.w[b_first].kind == TokenKind::Number;
        if !joined || !(opened || figures || cx.is_punct(a_end, &["-", "–"]) || cx.word_is(a_end, &["الي", "او"])) {
            continue;
        }
        let b = out[k].0.clone();
        let scale = number_at(&cx, b_first).map_or(1.0, |n| n.scale);
        let a = &mut out[k - 1].0;
        if a.value < scale {
            a.value *= scale;
        }
        a.kind = b.kind;
        a.unit = b.unit.clone();
        if b.approx {
            a.approx = true;
        }
        out[k - 1].3 = true;
    }
    let mut amounts: Vec<Amount> = out.into_iter().map(|x| x.0).filter(|a| a.value.is_finite()).collect();
    amounts.sort_by_key(|a| (a.span.start, a.span.end));
    amounts
}

/// A number that labels (`الدورة 35`, `الرقم (6)`, `الـ1` after one) or is part of a name
/// (`فرانس 24`, `1MDB`, a number inside an entity mention). `counted`: a noun follows it.
fn label_or_name(cx: &Cx<'_>, doc: &Document, i: usize, counted: bool) -> bool {
    let w = &cx.w[i];
    if w.kind != TokenKind::Number {
        return false;
    }
    // The word before, past an opening bracket or a detached article (`رقم (6)`, `الـ 15`).
    let mut p = i;
    while p > 0 && (cx.is_punct(p - 1, &["(", "«", "\""]) || cx.n(p - 1) == "ال") {
        p -= 1;
    }
    if p > 0 && (w.clitic == 0 || p < i) && cx.word_is_definite(p - 1, &NUMBERING) {
        return true;
    }
    let s = w.span;
    if doc.entities.iter().any(|e| e.span.start <= s.start && s.end <= e.span.end) {
        return true;
    }
    // Right after a name (`فرانس 24`, `إف 16`), not a person's. After a place's only a bare
    // number is part of it (`جنيف 1`, `مهرجان جدة 36`): one with a counted noun is a count
    // (`في جميع انحاء تركيا 590 شخصا`, `وفي منطقة نجران 31 فعالية`).
    let part_of = |e: &crate::Entity| match e.kind {
        EntityType::Pers => false,
        EntityType::Loc => !counted,
        _ => true,
    };
    if i > 0 && w.clitic == 0 && doc.entities.iter().any(|e| e.span.end == cx.w[i - 1].span.end && part_of(e)) {
        return true;
    }
    // Glued to a Latin word (`1MDB`) or right after one (`K2`, `إف 16`).
    let glued_latin = |k: usize| cx.w.get(k).is_some_and(|x| x.kind == TokenKind::Latin);
    (i > 0 && glued_latin(i - 1)) || (glued_latin(i + 1) && cx.w[i + 1].span.start == s.end)
}

/// Clock times, dates and fractions written with `:` or `/` (`10:30`, `15/3`).
fn clock_or_date(cx: &Cx<'_>, i: usize, num: &Num) -> bool {
    num.digits && (cx.is_punct(num.end, &[":", "/", "\\"]) || (i > 0 && cx.is_punct(i - 1, &[":", "/", "\\"])))
}

fn is_year_like(n: &Num) -> bool {
    n.digits && !n.separated && n.scale == 1.0 && n.int_digits == 4 && (1900.0..=2100.0).contains(&n.value)
}

/// Whether word `i`'s number lies inside a date or year of the `times` layer.
fn in_date(cx: &Cx<'_>, doc: &Document, i: usize, end: usize) -> bool {
    let s = cx.w[i].span;
    let Some(t) = doc.times.iter().find(|t| t.span.start <= s.start && s.end <= t.span.end) else { return false };
    // A duration's count (`قبل ثلاثة أيام`) is still a count: its unit word is in the time too.
    let unit = cx.n(end.saturating_sub(1));
    let duration = matches!(
        unit,
        "ايام" | "يوما" | "اسابيع" | "اسبوعا" | "اشهر" | "شهور" | "شهرا" | "اعوام" | "سنوات" | "عاما" | "سنه" | "ساعات" | "ساعه" | "دقايق" | "دقيقه"
            // `منذ 200 عام`: after a hundred the noun is singular.
            | "عام" | "يوم" | "شهر" | "سنين" | "قرن" | "قرون" | "عقود"
    );
    !duration || t.span.end < cx.w[end - 1].span.end
}

/// Whether a number with nothing counted after it is a quantity (not a date, label or name).
fn bare_number_ok(cx: &Cx<'_>, doc: &Document, i: usize, num: &Num) -> bool {
    // A number word behind ك with nothing counted after it is another word (`كمية`,
    // "quantity", is no ك + `مية`).
    if !num.digits && cx.w[i].clitic > 0 && !cx.w[i].conj && cx.n(i).starts_with('ك') {
        return false;
    }
    if !num.digits && num.scale == 1.0 {
        // `ثلاثة` alone is too often not a quantity; `خمسة من لاعبيه` is one.
        // Not an ordinal's tail (`الثاني عشر من حزيران`).
        return matches!(cx.n(num.end), "من" | "منهم" | "منها" | "منه" | "منهن") && num.value >= 2.0 && !(i > 0 && cx.n(i - 1).starts_with("ال"));
    }
    if num.digits && num.scale == 1.0 {
        if is_year_like(num) || num.int_digits >= 10 {
            return false;
        }
        // A list marker opening a sentence (`2- تجنيد …`).
        let s0 = cx.w[i].span.start;
        if cx.is_punct(num.end, &["-", "–", ")", "."]) && doc.sentences.iter().any(|s| s.start == s0) {
            return false;
        }
        if clock_or_date(cx, i, num) {
            return false;
        }
        if label_or_name(cx, doc, i, false) {
            return false;
        }
    }
    !in_date(cx, doc, i, num.end)
}
