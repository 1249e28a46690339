//! Speaker names: a reporting verb is followed by who spoke (`وأوضح وزير الصحة أنس الدكالي
//! أن …`, `وقال بيدرسن إن …`, `أعلنت وزارة الأوقاف السعودية أن …`). When the tagger found
//! no entity in that phrase, the phrase's shape says where the name is: after a title
//! and its complement (`وزير الصحة`, `المتحدث باسم الحكومة`), the rest is a person's name;
//! a phrase headed by an institution noun (`وزارة`, `البنك`, `المجلس`) is an organization;
//! a lone word is a person when unlabeled news mostly tags it so or it has a surname's
//! shape. Rules, not learning: ANERcorp's training sentences are too few for the tagger to
//! learn that this slot nearly always holds a name, and who said what depends on it.

use khabar_text::TokenKind;

use super::features::TokInfo;
use super::model::Model;
use super::Convention;
use crate::quotes::strip_conj;

/// Nouns that head an organization's name.
const ORG_HEADS: &[&str] = &[
    "وزاره", "منظمه", "بنك", "مجلس", "حكومه", "جيش", "هييه", "لجنه", "وكاله", "شركه", "اتحاد", "جامعه", "محكمه",
    "برلمان", "رياسه", "امم", "صندوق", "مكتب", "مديريه", "قياده", "حركه", "حزب", "جبهه", "مفوضيه", "سفاره", "نقابه",
    "ادراه", "مصلحه", "ديوان", "بعثه", "تحالف", "ايتلاف", "مرصد", "مركز", "معهد", "البنك",
];

/// Titles and roles: the words before a person's name, never the name.
const TITLES: &[&str] = &[
    "وزير", "وزيره", "رييس", "رييسه", "الرييس", "الرييسه", "المتحدث", "المتحدثه", "متحدث", "الناطق", "الناطقه", "ناطق",
    "المدير", "المديره", "مدير", "مديره", "السفير", "سفير", "المبعوث", "مبعوث", "الامين", "امين", "العام", "الوزير",
    "الوزيره", "نايب", "النايب", "المستشار", "مستشار", "الملك", "الامير", "الشيخ", "السيد", "السيده", "الدكتور",
    "الدكتوره", "القايد", "قايد", "المشير", "اللواء", "العقيد", "العميد", "الفريق", "المنسق", "منسق", "المفوض",
    "مفوض", "الممثل", "ممثل", "المندوب", "مندوب", "محافظ", "المحافظ", "والي", "الوالي", "عضو", "النايبه", "زعيم",
    "الزعيم", "قاضي", "القاضي", "المدعي", "الخبير", "خبير", "المحلل", "الكاتب", "الصحفي", "مراسل", "المراسل",
    "المصدر", "مصدر", "مصادر", "المصادر", "البيان", "بيان", "التقرير", "مسوول", "المسوول", "مسوولون", "المسوولون",
    "الحكومه", "الوزاره", "الطرفان", "الجانبان", "الجميع", "الشرطه", "الجيش", "الاطباء", "السكان", "الشهود",
];

/// Words that end the speaker phrase.
pub(super) const STOPS: &[&str] = &[
    "ان", "انه", "انها", "بان", "بانه", "بانها", "انهم", "خلال", "عبر", "اثناء", "امام", "يوم", "امس", "اليوم", "غدا",
    "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "صباح", "مساء", "في", "لدي", "قبل",
    "بعد", "حين", "عندما", "الذي", "التي", "علي", "الي", "عن", "من", "مع", "له", "لها", "لهم", "هذا", "هذه", "ذلك",
    "كما", "ايضا", "قد", "لا", "لم", "لن", "ما", "ل", "لـ", "ب", "و", "ف",
];

/// Sources and collectives: a phrase they open names no person (`مصادر دبلوماسية`).
const SOURCES: &[&str] = &[
    "مصدر", "مصادر", "المصدر", "المصادر", "بيان", "البيان", "التقرير", "تقرير", "مسوول", "المسوول", "مسوولون",
    "المسوولون", "مسوولين", "الحكومه", "الوزاره", "الشرطه", "الجيش", "الاطباء", "السكان", "الشهود", "شهود", "خبراء",
    "الخبراء", "محللون", "المحللون", "الدراسه", "دراسه", "وسايل", "نواب", "النواب",
];

/// Function words that never start a name inside the phrase.
const NOT_NAME_START: &[&str] = &["باسم", "بن", "ابن", "بنت", "ابو", "ال", "و"];

/// The reporting verbs of the quote finder.
fn is_cue(n: &str) -> bool {
    crate::quotes::is_reporting_verb(n)
}

/// A new entity: token range within the sentence and type index (1 PERS, 3 ORG).
pub(crate) struct Found {
    /// Tokens from here to `start` lose the tags the tagger gave them.
    pub clear_from: usize,
    pub start: usize,
    pub end: usize,
    pub ty: usize,
}

impl Found {
    /// Writes the entity over `tags`, clearing the tags before it from `clear_from`; a name
    /// that ran on past its end starts afresh there.
    pub(crate) fn write(&self, tags: &mut [usize]) {
        for t in &mut tags[self.clear_from..self.start] {
            *t = 0;
        }
        tags[self.start] = 2 * self.ty - 1;
        for t in &mut tags[self.start + 1..self.end] {
            *t = 2 * self.ty;
        }
        if let Some(t) = tags.get_mut(self.end) {
            if *t != 0 && *t % 2 == 0 {
                *t -= 1;
            }
        }
    }
}

fn bare(n: &str) -> &str {
    n.strip_prefix("ال").filter(|r| r.chars().count() >= 2).unwrap_or(n)
}

/// How often unlabeled news tagged the word as a person, as a share (0 when unknown).
pub(super) fn pers_share(model: &Model, ti: &TokInfo) -> f64 {
    model.auto_counts(ti.h_core).map_or(0.0, |c| {
        let tot: f64 = c.iter().map(|&x| f64::from(x)).sum();
        if tot < 3.0 {
            0.0
        } else {
            f64::from(c[1]) / tot
        }
    })
}

/// A surname with the article and a nisba ending that news rarely uses (`الصفدي`,
/// `الجهيناوي`).
pub(super) fn is_nisba_surname(ti: &TokInfo) -> bool {
    let n = ti.norm.as_str();
    n.starts_with("ال") && n.ends_with('ي') && n.chars().count() >= 5 && ti.freq <= 10
}

/// Whether a word can start a person's name here: unlabeled news tags it as a person
/// now and then, or it is rare there (foreign names); a common word (`مستشفى`, `أمني`)
/// after a title is the title's complement, not a name.
pub(super) fn name_like(model: &Model, ti: &TokInfo) -> bool {
    pers_share(model, ti) >= 0.2 || ti.freq <= 8
}

/// Speaker names in one sentence whose tokens are `toks` (pipeline tokens), `infos` the
/// tagger's preprocessing of them (their `search`-normalized forms are read from there)
/// and `tags` its tags; only phrases with no tagged token get one.
pub(crate) fn find(toks: &[crate::Token], infos: &[TokInfo], tags: &[usize], model: &Model, convention: Convention) -> Vec<Found> {
    let norm: Vec<&str> = infos.iter().map(|t| t.norm.as_str()).collect();
    let mut out = Vec::new();
    for k in 0..toks.len() {
        if toks[k].kind != TokenKind::Word || !is_cue(strip_conj(norm[k])) {
            continue;
        }
        let a = k + 1;
        let mut e = a;
        while e < toks.len() && e < a + 9 {
            let n = norm[e];
            if toks[e].kind != TokenKind::Word || STOPS.contains(&n) || is_cue(strip_conj(n)) {
                break;
            }
            e += 1;
        }
        if e == a {
            continue;
        }
        let first = norm[a];
        // Institutions named by their function are names only by the news convention.
        let org_head = convention == Convention::News
            && (ORG_HEADS.contains(&bare(strip_conj(first))) || ORG_HEADS.contains(&first))
            && !TITLES.contains(&first);
        let chunks = super::score::chunks(&tags[a..e]);
        if !chunks.is_empty() {
            // The tagger saw part of the phrase; two shapes are still ours. An institution
            // whose nationality or place the tagger took alone (`وزارة الأوقاف [السعودية]LOC`):
            // the whole phrase is the organization.
            let only_loc_inside = chunks.iter().all(|&(_, ce, ty)| ty == 2 && ce <= 5);
            if org_head && e - a >= 2 && only_loc_inside {
                out.push(Found { clear_from: a, start: a, end: e.min(a + 5), ty: 3 });
                continue;
            }
            // A title, its complement, then a name the tagger typed as an organization or
            // let run into the complement (`وزير الصحة [أنس الدكالي]ORG`,
            // `المدير الإقليمي [للبنك ساروج كومار]ORG جاه`).
            if let Some(p) = name_start(&norm, a, e) {
                // A place the tagger ran from the complement into the name (`المتحدثة باسم
                // [البنتاغون داينا] وايت`) is the complement's up to the name; any other place
                // in the phrase makes it another shape (`المدير الإقليمي للحملة الوطنية
                // [السعودية] لنصرة الأشقاء` names no one).
                let runs_on = |cs: usize, ce: usize| a + cs < p && a + ce > p;
                let run_on = chunks.iter().any(|&(cs, ce, ty)| ty == 2 && runs_on(cs, ce));
                let no_other_place = chunks.iter().all(|&(cs, ce, ty)| ty != 2 || runs_on(cs, ce));
                // Two people the tagger told apart (`الوزيران [أحمد] و[علي]`) stay two.
                let one_person = chunks.iter().filter(|&&(_, _, ty)| ty == 1).count() <= 1;
                // The name ends before an addressee the tagger left out (`داينا وايت
                // للصحافيين`); the phrase's length still decides whether it holds a name.
                let end = (p + 1..e).find(|&q| tags[q] == 0 && strip_conj(norm[q]).starts_with("لل")).unwrap_or(e);
                if no_other_place && one_person && e - p <= 4 && (tags[p] != 0 || name_like(model, &infos[p])) {
                    out.push(Found { clear_from: if run_on { p } else { a }, start: p, end, ty: 1 });
                }
            }
            continue;
        }
        if org_head {
            // The institution and its complements (at least one), up to five words.
            if e - a >= 2 {
                out.push(Found { clear_from: a, start: a, end: e.min(a + 5), ty: 3 });
            }
            continue;
        }
        if e - a == 1 {
            // A lone word: a person when news tags it so; a surname-shaped word with ال
            // (الصفدي) or a word without it (بيدرسن) that is rare in news and no title.
            let n = norm[a];
            let ti = &infos[a];
            let nisba = is_nisba_surname(ti);
            // Not a feminine or plural noun nor one with a pronoun (`وصرحت مقيمة`، `قالت
            // محللة`، `وقال مدعون`، `وذكر طفولته`): a woman's name with ة is one news tags
            // (`pers_share`); a rare foreign one seldom ends so (`جاه` ends in a real ه).
            let t = &toks[a];
            let noun_ending = t.segments.get(t.base).is_some_and(|b| b.ends_with('ة'))
                || t.base + 1 < t.segments.len()
                || n.ends_with("ون");
            let plain = !n.starts_with("ال") && n.chars().count() >= 3 && !n.starts_with('ل') && !noun_ending && ti.freq <= 8;
            if !TITLES.contains(&n) && (pers_share(model, ti) >= 0.3 || nisba || plain) {
                out.push(Found { clear_from: a, start: a, end: a + 1, ty: 1 });
            }
            continue;
        }
        if let Some(p) = name_start(&norm, a, e) {
            if e - p <= 4 && name_like(model, &infos[p]) {
                out.push(Found { clear_from: p, start: p, end: e, ty: 1 });
            }
        }
    }
    out
}

/// After a title and its complement (words with ال / لل, other titles, function words),
/// the first other word starts the name; `None` when the phrase does not open with a title.
fn name_start(norm: &[&str], a: usize, e: usize) -> Option<usize> {
    let first = norm[a];
    if !TITLES.contains(&first) || SOURCES.contains(&first) {
        return None;
    }
    // An institution noun belongs to the complement (`المتحدث باسم وزارة الدفاع في مالي`):
    // no name starts there.
    let p = (a + 1..e).find(|&p| {
        let n = strip_conj(norm[p]);
        !(n.starts_with("ال") || n.starts_with("لل") || TITLES.contains(&n) || NOT_NAME_START.contains(&n) || ORG_HEADS.contains(&n))
    })?;
    // A feminine adjective (`دبلوماسية`) continues the title; names rarely end so.
    if norm[p].ends_with("يه") {
        return None;
    }
    Some(p)
}
