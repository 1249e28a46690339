//! Institutions named by their function, and names run into a title.
//!
//! News names most organizations by what they are: `وزارة الخارجية المصرية`,
//! `الحكومة الجزائرية`, `البنك المركزي التونسي`, `وكالة الأنباء السعودية`, `حزب النهضة`,
//! `حكومة الوفاق`. Readers and analysts take these as organizations, but ANERcorp leaves
//! them outside every name (`وزارة` is O 33 times in train, `الحكومة` 101 times), so the
//! tagger learned not to tag them. This pass finds them from their shape: an institution
//! noun and the complement that makes it one particular body:
//!
//! * a noun in construct (`وزارة`, `وكالة`, `حزب`, …) followed by a definite word
//!   (`وزارة الطاقة`, `مجلس نواب الشعب`) or by a name the tagger found (`وكالة رويترز`);
//! * a definite noun (`الحكومة`, `الجيش`, `البنك`, …) followed by an adjective of nationality
//!   or of scope (`الحكومة الأردنية`, `البنك الدولي`), never alone (`الحكومة قررت` names no
//!   one body in particular);
//!
//! then more definite words, stopping after the adjectives (`منظمة العفو الدولية [السلطات]`),
//! at a title, a person's name, a time word or punctuation. A nationality adjective is
//! recognized from the place it derives from: unlabeled news tags `مصر`, `الأردن`,
//! `ليبيا` as places (`المصرية` → مصر, `الليبي` → ليبيا). After a title (`رئيس الحكومة
//! التونسية`, `وزير الخارجية`) the words are the title's complement, not an organization.
//!
//! The same pass ends a name before a title joined by `و` (`حكومة الوفاق والمشير خليفة حفتر`:
//! the tagger ran `الوفاق والمشير` together as one organization).

use super::features::{hash_str, TokInfo};
use super::model::Model;
use super::speakers::Found;
use crate::quotes::strip_conj;

/// Nouns in construct that head an institution's name (`وزارة الخارجية`).
const CONSTRUCT_HEADS: &[&str] = &[
    "وزاره", "وكاله", "حزب", "مستشفي", "منظمه", "جامعه", "رياسه", "هييه", "حكومه", "مجلس", "مفوضيه", "اتحاد", "بنك",
    "جمعيه", "نقابه", "برلمان", "محكمه", "ديوان", "شرطه", "سفاره", "قنصليه", "معهد", "مرصد", "موسسه", "شركه",
    "بلديه",
];

/// Construct heads that make an institution only with a name after them (`شرطة [دبي]`،
/// `شرطة [أوساكا]`, not `شرطة المنطقة` or `شرطة المحافظة`, some region's police; on 3,000
/// SaudiNewsNet and ANT articles a definite word after them gave mostly such phrases). A
/// company likewise: `شركة سامسونغ`، `شركة [أبل] الأميركية`, not `شركة التكنولوجيا الأميركية`
/// ("the American technology company") nor `شركة للتواصل الاجتماعي`.
const NAMED_ONLY_HEADS: &[&str] = &["شرطه", "سفاره", "قنصليه", "شركه", "بلديه"];

/// Definite nouns that head an institution's name with an adjective (`الحكومة الأردنية`).
const DEFINITE_HEADS: &[&str] = &[
    "الحكومه", "الجيش", "البنك", "الاتحاد", "الهييه", "المجلس", "الوزاره", "البرلمان", "المنظمه", "الوكاله", "الحزب",
    "المحكمه", "الجامعه", "الحرس", "المفوضيه", "النقابه", "الديوان", "الشرطه", "السفاره", "القنصليه", "المعهد",
    "المرصد",
];

/// Adjectives of scope that make an institution one particular body (`البنك الدولي`).
const SCOPE_ADJECTIVES: &[&str] = &[
    "الدولي", "الدوليه", "المركزي", "العالمي", "العالميه", "العربي", "العربيه", "الاوروبي", "الاوروبيه", "الافريقي",
    "الافريقيه", "الاسلامي", "الاسلاميه", "الرياسي", "الوطني", "الوطنيه", "الاتحادي", "الاتحاديه", "الثوري", "العامه",
    "العام", "العليا", "الاعلي", "الدستوريه", "الشعبي", "الشعبيه", "الخليجي", "الاممي", "الاحمر", "المستقله",
    "التاسيسي", "التاسيسيه", "الانتقالي",
];

/// Titles before a person's name; a title joined by `و` inside a name starts something else.
const PERSON_TITLES: &[&str] = &[
    "المشير", "اللواء", "العقيد", "العميد", "الرييس", "الرييسه", "السيد", "السيده", "الشيخ", "الملك", "الامير",
    "الاميره", "الدكتور", "الدكتوره", "الوزير", "الوزيره", "النايب", "النايبه", "الاستاذ", "الجنرال", "البابا",
    "الامام", "القايد", "المستشار", "السفير", "المبعوث",
];

/// Ranks and honorifics before a person's name (`search`-normalized), for code that aligns
/// other annotation conventions with this one (FANE keeps them inside names).
#[cfg(feature = "train")]
pub(crate) fn person_titles() -> &'static [&'static str] {
    PERSON_TITLES
}

/// Whether a `search`-normalized word is a rank or honorific before a person's name.
pub(crate) fn is_person_title(w: &str) -> bool {
    PERSON_TITLES.contains(&w)
}

/// Whether a definite word is an adjective of nationality (see [`is_nationality`]).
#[cfg_attr(not(feature = "train"), allow(dead_code))]
pub(crate) fn is_nationality_adjective(model: &Model, word: &str) -> bool {
    is_nationality(model, word)
}

/// Words that make `الحكومة` after them part of a title (`رئيس الحكومة`).
const TITLE_WORDS: &[&str] = &["رييس", "رييسه", "الرييس", "نايب", "رووساء", "روساء"];

/// Definite words that never continue an institution's name.
const NOT_COMPLEMENT: &[&str] = &[
    "الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللاتي", "الان", "اليوم", "الاحد", "الاثنين",
    "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الماضي", "الماضيه", "المقبل", "المقبله", "الجاري", "الحالي",
    "الحاليه", "السابق", "السابقه", "الجديد", "الجديده", "الاول", "الاولي", "الثاني", "الثانيه", "الاخير", "الاخيره",
    "الي", "الا", "اللذي", "الكل", "الجميع", "ايضا", "التابع", "التابعه", "الاداره", "اداره",
];

/// Complements that make `رئاسة` an institution (`رئاسة الحكومة`, not `رئاسة الوفد`).
const PRESIDENCY_OF: &[&str] = &["الحكومه", "الجمهوريه", "الوزراء"];

/// The longest an institution's name gets, head included.
const MAX_LEN: usize = 5;

/// Whether unlabeled news tagged the word (a core form) as a place most of the times it
/// saw it.
fn is_place(model: &Model, core: &str) -> bool {
    model.auto_counts(hash_str(core)).is_some_and(|c| {
        let seen: u32 = c.iter().sum();
        c[2] >= 5 && c[2] * 2 > seen
    })
}

/// Whether a definite word is an adjective of nationality (`المصرية`, `الليبي`,
/// `الأمريكية`, `السعودية`): the place it derives from is a place in unlabeled news.
fn is_nationality(model: &Model, word: &str) -> bool {
    let Some(stem_full) = word.strip_prefix("ال") else {
        return false;
    };
    let stem = stem_full.strip_suffix("يه").or_else(|| stem_full.strip_suffix('ي'));
    let Some(stem) = stem.filter(|s| s.chars().count() >= 2) else {
        return false;
    };
    // The word itself when it is a place too (السعودية); else the place it derives from.
    is_place(model, word)
        || [
            stem.to_string(),
            format!("ال{stem}"),
            format!("{stem}ا"),
            format!("{stem}يا"),
            format!("ال{stem}يا"),
        ]
        .iter()
        .any(|c| is_place(model, c))
}

/// Whether `words` are, as written, the whole name of an organization the knowledge base
/// knows (named in a training corpus or an outside source).
fn is_known_organization(model: &Model, words: &[TokInfo]) -> bool {
    let Some(kb) = model.kb() else { return false };
    let key = words.iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" ");
    kb.lookup_key(&khabar_kb::key(&key)).into_iter().any(|c| c.kind == khabar_kb::Kind::Organization)
}

/// Whether a word ends as an adjective does (`…ي`, `…يه` in the `search` normalization).
fn adjective_shaped(word: &str) -> bool {
    word.ends_with('ي') || word.ends_with("يه")
}

fn is_adjective(model: &Model, word: &str) -> bool {
    SCOPE_ADJECTIVES.contains(&word) || is_nationality(model, word)
}

/// Institutions the tagger found but ended before their adjectives of nationality or
/// scope (`[البنك المركزي] المصري` → `[البنك المركزي المصري]`), or before the one adjective
/// that completes the name (`[وزارة الشؤون] الاجتماعية`). Organizations with a name
/// of their own keep the adjective out (`[ريال مدريد] الإسباني`), as ANERcorp has them.
pub(crate) fn extend_organizations(infos: &[TokInfo], tags: &mut [usize], model: &Model) {
    for (s, e, ty) in super::score::chunks(tags) {
        if ty != 3 || !is_head(&infos[s]) {
            continue;
        }
        // A head that takes a name (`شركة [أبل]`، `سفارة [اليابان]`): the name is proper and
        // its nationality stays out (`شركة أبل [الأميركية]`).
        if !infos[s].norm.starts_with("ال") && head_forms(&infos[s]).iter().any(|f| NAMED_ONLY_HEADS.contains(f)) {
            continue;
        }
        let mut j = e;
        // One adjective that is none of ours may end a name of a construct head and one
        // definite noun (`[وزارة الشؤون] الاجتماعية`), as in `find`, unless the tagger's name
        // is an organization's whole name already. After an adjective or a longer name the
        // words describe the body (`حزب النهضة الإسلامي [الرئيسي]`).
        let bare_construct = e - s == 2
            && head_forms(&infos[s]).iter().any(|f| CONSTRUCT_HEADS.contains(f))
            && infos[s + 1].norm.starts_with("ال")
            && !adjective_shaped(&infos[s + 1].norm);
        let mut took_other = !bare_construct;
        while j < infos.len() && tags[j] == 0 && infos[j].norm.starts_with("ال") {
            let n = infos[j].norm.as_str();
            let other = !took_other
                && adjective_shaped(n)
                && !NOT_COMPLEMENT.contains(&n)
                && !is_known_organization(model, &infos[s..j]);
            if !(is_adjective(model, n) || other) {
                break;
            }
            took_other = true;
            tags[j] = 2 * ty;
            j += 1;
        }
    }
}

/// ANERcorp's convention for organizations the tagger found (it learns institutions from
/// FANE, which tags them): an organization named only by its function, a head noun
/// (`وزارة`, `الحكومة`, `الجيش`) followed by definite common words and adjectives
/// (`وزارة الخارجية المصرية`), is no name there and is dropped. One with a proper name in it
/// (`حزب الله`, `وكالة رويترز`: a word without the article, a person's name word or a place) stays.
pub(crate) fn drop_institutions(infos: &[TokInfo], tags: &mut [usize], model: &Model) {
    for (s, e, ty) in super::score::chunks(tags) {
        if ty != 3 || !is_head(&infos[s]) || e - s < 2 {
            continue;
        }
        let common = infos[s + 1..e].iter().all(|ti| {
            ti.norm.starts_with("ال") && (is_adjective(model, &ti.norm) || !(model.is_training_person_word(ti.h_core) || is_place(model, &ti.core)))
        });
        if common {
            for t in &mut tags[s..e] {
                *t = 0;
            }
        }
    }
}

/// The forms of a word to look up as an institution noun: as written, without و/ف, and the
/// tagger's clitic-free core (which reads `للحكومة` as ل + الحكومة but can also over-strip:
/// `وكالة` → و + ك + الة).
fn head_forms(ti: &TokInfo) -> [&str; 3] {
    let n = ti.norm.as_str();
    [n, strip_conj(n), ti.core.as_str()]
}

/// A noun that heads an institution's or a facility's name.
fn is_facility_head(ti: &TokInfo) -> bool {
    is_head(ti) || head_forms(ti).iter().any(|f| NAMED_FACILITIES.contains(f))
}

fn is_head(ti: &TokInfo) -> bool {
    head_forms(ti).iter().any(|f| CONSTRUCT_HEADS.contains(f) || DEFINITE_HEADS.contains(f))
}

/// Nouns a country's name follows in apposition (`الشقيقة السعودية`, "sister Saudi Arabia").
const APPOSITION_NOUNS: &[&str] = &["الشقيقه", "الجاره", "الدوله", "المملكه"];

/// A country whose name is also its feminine nationality adjective (`السعودية`), right after
/// a definite feminine or plural noun with no clitic of its own, is that adjective: `السياسة
/// السعودية` is "Saudi policy", `المنتجات البترولية السعودية` "Saudi oil products", not a
/// mention of the country (a country the noun belongs to is written without the article
/// on the noun: `سياسة السعودية`).
pub(crate) fn untag_adjectival_countries(infos: &[TokInfo], tags: &mut [usize], model: &Model) {
    for (s, e, ty) in super::score::chunks(tags) {
        if ty != 2 || e - s != 1 || s == 0 || tags[s - 1] != 0 || infos[s].clitics & 3 != 0 {
            continue;
        }
        let prev = infos[s - 1].norm.as_str();
        let prev = strip_conj(prev);
        let definite_feminine = prev.starts_with("ال") && (prev.ends_with('ه') || prev.ends_with("ات")) && prev.chars().count() >= 5;
        if definite_feminine && !APPOSITION_NOUNS.contains(&prev) && is_nationality(model, &infos[s].norm) {
            tags[s] = 0;
        }
    }
}

/// A "person" whose name opens with an institution noun (`[وزارة الدفاع]PERS`, `[الحرس
/// الثوري]PERS`) is an organization: no person's name begins so. So is a MISC name that opens
/// with one (`[ديوان الطيران]MISC`، `[الاتحاد]MISC` for a federation or the club): a body, under
/// either convention's types.
pub(crate) fn retype_institution_persons(infos: &[TokInfo], tags: &mut [usize]) {
    for (s, e, ty) in super::score::chunks(tags) {
        // A head noun alone and without the article (`[شركة]MISC تابعة`) names no body.
        if ty == 4 && e - s == 1 && !infos[s].norm.starts_with("ال") && head_forms(&infos[s]).iter().any(|f| CONSTRUCT_HEADS.contains(f)) {
            tags[s] = 0;
            continue;
        }
        if ((ty == 1 && e - s >= 2) || ty == 4) && is_head(&infos[s]) {
            tags[s] = 5;
            for t in &mut tags[s + 1..e] {
                *t = 6;
            }
        }
    }
}

/// Nouns whose quoted complement is the name of a body (`صحيفة "بليك"`, `موقع «جروف شارك»`,
/// `منظمة "أنقذوا الأطفال"`), `search`-normalized, clitics off.
const QUOTED_NAME_HEADS: &[&str] = &[
    "صحيفه", "جريده", "مجله", "قناه", "موقع", "وكاله", "شبكه", "اذاعه", "تلفزيون", "تليفزيون", "شركه", "شركتي",
    "مجموعه", "منظمه", "جمعيه", "حركه", "حزب", "موسسه", "دار", "نادي", "معهد", "مرصد", "مركز", "جامعه",
    "كليه", "مختبر", "مكتب", "مستشفي",
];

/// The longest quoted name, in tokens (dots and letters of an abbreviation are tokens).
const QUOTED_NAME_MAX_TOKENS: usize = 8;

/// The closing mark of an opening quote mark.
fn closing_mark(open: &str) -> Option<&'static str> {
    Some(match open {
        "\"" => "\"",
        "«" => "»",
        "“" => "”",
        "'" => "'",
        "''" => "''",
        _ => return None,
    })
}

/// A name in quote marks right after a noun that names a body (`لصحيفة "بليك"`, `مجموعة
/// «إل.في.آم.آش»`) is that body's name: an organization, marks outside, whatever the tagger
/// made of the words inside (often MISC, a title's type, or nothing for an unknown word).
pub(crate) fn quoted_organizations(infos: &[TokInfo], tags: &mut [usize]) {
    let mut i = 0;
    while i + 2 < infos.len() {
        let head = &infos[i];
        // All of the head's forms: the core alone misses `وكالة`, whose و and ك the clitic
        // stripping takes for و + ك + ال (its core is `اله`).
        let named_head = head_forms(head).iter().any(|f| QUOTED_NAME_HEADS.contains(f));
        let Some(close) = named_head.then(|| closing_mark(&infos[i + 1].norm)).flatten() else {
            i += 1;
            continue;
        };
        let start = i + 2;
        let end = (start..infos.len().min(start + QUOTED_NAME_MAX_TOKENS + 1)).find(|&k| infos[k].norm == close);
        // The content: at least one word, no mark that ends a clause inside.
        let Some(end) = end.filter(|&e| e > start && infos[start..e].iter().any(|t| t.wordish) && infos[start..e].iter().all(|t| t.norm.chars().any(char::is_alphanumeric) || matches!(t.norm.as_str(), "." | "-" | "&"))) else {
            i += 1;
            continue;
        };
        // A name the tagger ran from the head into the marks was the head and the quoted
        // name as one: the head alone is no name (`[منظمة] "وورلد فيجن"`).
        if tags[i + 1] != 0 && tags[i] % 2 == 1 {
            tags[i] = 0;
        }
        for k in [i + 1, end] {
            tags[k] = 0;
        }
        tags[start] = 5;
        for t in &mut tags[start + 1..end] {
            *t = 6;
        }
        // Nor is what it ran on to after the marks (`"سي إن بي سي" [الأميركية]`).
        for t in tags.iter_mut().skip(end + 1) {
            if *t == 0 || *t % 2 == 1 {
                break;
            }
            *t = 0;
        }
        i = end + 1;
    }
}

/// Ends a name before a title joined to it by `و` (`[الوفاق والمشير]` → `[الوفاق] والمشير`);
/// the rest of the name, if any, becomes a name of its own.
pub(crate) fn split_at_titles(infos: &[TokInfo], tags: &mut [usize]) {
    for (s, e, _) in super::score::chunks(tags) {
        let Some(k) = (s + 1..e).find(|&k| {
            let n = infos[k].norm.as_str();
            let rest = n.strip_prefix('و').unwrap_or("");
            PERSON_TITLES.contains(&rest)
        }) else {
            continue;
        };
        tags[k] = 0;
        if k + 1 < e {
            tags[k + 1] = 2 * super::features::tag_type(tags[k + 1]) - 1;
        }
    }
}

/// Institutions named by their function in one sentence (`infos`: the tagger's view of its
/// tokens, `tags`: the tags so far). Returns new organizations to write over the tags.
pub(crate) fn find(infos: &[TokInfo], tags: &[usize], model: &Model) -> Vec<Found> {
    let chunks = super::score::chunks(tags);
    let chunk_at = |j: usize| chunks.iter().find(|&&(s, _, _)| s == j).copied();
    let mut out: Vec<Found> = Vec::new();
    let mut i = 0;
    while i < infos.len() {
        let forms = head_forms(&infos[i]);
        let construct = forms.iter().any(|f| CONSTRUCT_HEADS.contains(f));
        let definite = !construct && forms.iter().any(|f| DEFINITE_HEADS.contains(f));
        // `رئيس الحكومة (التونسية)` is a title (the prime minister), not the government;
        // `رئيس حكومة الوفاق` heads a government with a name of its own.
        let after_title = i > 0
            && TITLE_WORDS.contains(&strip_conj(infos[i - 1].norm.as_str()))
            && forms.iter().any(|f| matches!(*f, "الحكومه" | "الوزراء" | "الجمهوريه"));
        let presidency = forms.contains(&"رياسه");
        let presidency_of_other = presidency && !infos.get(i + 1).is_some_and(|t| PRESIDENCY_OF.contains(&t.norm.as_str()));
        // `tags[i] != 0`: the tagger already has a name here.
        let named_only = construct && forms.iter().any(|f| NAMED_ONLY_HEADS.contains(f));
        let nameless = named_only && chunk_at(i + 1).is_none();
        if !(construct || definite) || tags[i] != 0 || after_title || presidency_of_other || nameless {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut took_adjective = false;
        let mut took_name = false;
        while j < infos.len() && j < i + MAX_LEN {
            if let Some((_, ce, ty)) = chunk_at(j) {
                // A name inside: a place, an organization or another name, never a person
                // (`حكومة فايز السراج` is his government, and he is the entity).
                if ty == 1 || took_adjective || ce > i + MAX_LEN {
                    break;
                }
                j = ce;
                took_name = true;
                continue;
            }
            let ti = &infos[j];
            let n = ti.norm.as_str();
            if !ti.wordish || NOT_COMPLEMENT.contains(&n) || PERSON_TITLES.contains(&n) {
                break;
            }
            let first = j == i + 1;
            let adjective = n.starts_with("ال") && is_adjective(model, n);
            if definite && first && !adjective {
                break;
            }
            // A named company's or embassy's nationality is outside its name (`شركة [أبل]
            // الأميركية`), as it is after any proper name.
            if adjective && took_name && named_only {
                break;
            }
            if adjective {
                took_adjective = true;
                j += 1;
                continue;
            }
            // After an adjective only a `لل` noun goes on (`الاتحاد التونسي للشغل`). A word
            // shaped like an adjective that is none of ours, after the first complement,
            // goes on too (`وزارة الشؤون الاجتماعية`, `وزارة الخدمة المدنية`), unless the
            // words so far are an organization's whole name in the training corpora: then
            // it describes something outside (`جلسة مجلس الوزراء [الأسبوعية]`).
            let definite_noun = n.starts_with("ال")
                && !took_name
                && (first || !adjective_shaped(n) || !is_known_organization(model, &infos[i..j]));
            let lil = n.starts_with("لل") && n.chars().count() >= 4;
            // An indefinite noun in construct between them (`مجلس نواب الشعب`), not a
            // function word (`حكومة من الكفاءات`).
            let indefinite_then_definite = first
                && construct
                && !n.starts_with('و')
                && n.chars().count() >= 3
                && !super::speakers::STOPS.contains(&n)
                && infos.get(j + 1).is_some_and(|t| t.norm.starts_with("ال") && chunk_at(j + 1).is_none());
            if (took_adjective && lil) || (!took_adjective && (definite_noun || indefinite_then_definite)) {
                j += 1;
                continue;
            }
            break;
        }
        if j > i + 1 {
            out.push(Found { clear_from: i, start: i, end: j, ty: 3 });
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Connectors inside a person's name (`محمد بن سلمان`, `عبد الفتاح`).
const NAME_LINKS: &[&str] = &["بن", "ابن", "بنت", "ابو", "عبد", "ولد"];

/// Persons the tagger missed right after a rank or honorific (`التقى المشير خليفة حفتر`):
/// the words after the title, while they look like a name (no article, rare in news or
/// tagged as a person there, or a name connector), are the person; a surname with the
/// article and a nisba ending (`الجهيناوي`) ends it. Nothing when the tagger found a name there.
pub(crate) fn titled_persons(infos: &[TokInfo], tags: &[usize], model: &Model) -> Vec<Found> {
    // A word of a name: no article, not a function or time word, and rare in news or tagged
    // as a person there.
    let name_word = |ti: &TokInfo| {
        let n = ti.norm.as_str();
        ti.wordish
            && !n.starts_with("ال")
            && n.chars().count() >= 3
            && !super::speakers::STOPS.contains(&n)
            && !NOT_COMPLEMENT.contains(&n)
            && super::speakers::name_like(model, ti)
    };
    let mut out = Vec::new();
    for t in 0..infos.len().saturating_sub(1) {
        let title = infos[t].norm.as_str();
        if !PERSON_TITLES.contains(&title) && !PERSON_TITLES.contains(&strip_conj(title)) {
            continue;
        }
        let a = t + 1;
        if tags[a] != 0 || !name_word(&infos[a]) {
            continue;
        }
        let mut e = a + 1;
        while e < infos.len() && e < a + 4 && tags[e] == 0 {
            if super::speakers::is_nisba_surname(&infos[e]) {
                e += 1;
                break;
            }
            if !(NAME_LINKS.contains(&infos[e].norm.as_str()) || name_word(&infos[e])) {
                break;
            }
            e += 1;
        }
        // A connector does not end a name.
        while e > a + 1 && NAME_LINKS.contains(&infos[e - 1].norm.as_str()) {
            e -= 1;
        }
        out.push(Found { clear_from: a, start: a, end: e, ty: 1 });
    }
    out
}

/// Generic nouns of places that the labeled corpora mostly leave outside the place's name
/// (ANERcorp train + WikiFANE: `محافظة` outside 134 times, inside 25; `ولاية` 203 / 57;
/// `مدينة` 709 / 88; `منطقة` 424 / 17), as khabar's convention does (`بولاية فلوريدا` →
/// `فلوريدا`). Nouns that are part of usual names stay in (`قطاع غزة`، `إقليم كردستان`).
const PLACE_HEADS: &[&str] = &["محافظه", "ولايه", "مدينه", "منطقه"];

/// Leaves a generic place noun the tagger took into a place's name outside it, where the
/// word after it is a place on its own in unlabeled news (`[محافظة عدن]` → `محافظة [عدن]`);
/// a name that needs the noun keeps it (`مدينة نصر`، `مدينة الملك فهد الطبية`).
pub(crate) fn untag_place_heads(infos: &[TokInfo], tags: &mut [usize], model: &Model) {
    for (s, e, ty) in super::score::chunks(tags) {
        if ty != 2 || e - s < 2 || !head_forms(&infos[s]).iter().any(|f| PLACE_HEADS.contains(f)) {
            continue;
        }
        if is_place(model, &infos[s + 1].core) {
            tags[s] = 0;
            tags[s + 1] = 3;
        }
    }
}

/// Office titles in construct: the words after one are its complement (a place or a body),
/// and news often writes the holder's name right after it (`مدير مطار الجوف عبدالمحسن المضيان`).
const OFFICE_TITLES: &[&str] = &[
    "وزير", "وزيره", "رييس", "رييسه", "مدير", "مديره", "امير", "محافظ", "وكيل", "نايب", "نايبه", "مساعد", "عميد", "امين",
    "سفير", "سفيره", "قنصل", "مندوب", "ممثل", "متحدث", "مستشار", "قايد", "عضو", "مفوض", "المتحدث", "الناطق",
    "المتحدثه", "الناطقه", "القنصل", "السفير", "المدير", "المديره", "الرييس", "الرييسه", "الوزير", "المحافظ", "الامين",
    "المندوب", "الممثل", "المستشار", "الوكيل", "المفوض",
];

/// How far before the name its office title may be (`رئيس لجنة الاحتراف وأوضاع اللاعبين في
/// [الاتحاد السعودي] عبدالله البرقان`).
const TITLE_REACH: usize = 8;

/// Facilities and institutions often named after a person (`مطار حامد كرزاي`، `مركز عبدالرحمن
/// كانو`، `شارع أبو فراس`).
const NAMED_FACILITIES: &[&str] = &[
    "معهد", "مركز", "مطار", "شارع", "ميدان", "مستشفي", "مدرسه", "كليه", "قاعه", "ملعب", "مسجد", "جسر", "برج", "حديقه",
    "متحف", "قصر", "مدينه", "جايزه", "موسسه", "مكتبه",
];

/// Ranks that may stand between a title's complement and the holder's name (`أمير منطقة
/// القصيم اللواء بدر الطالب`): outside both names. Royal and religious titles are left out:
/// they begin the names of places and bodies (`جامعة الملك سعود`، `مدينة الشيخ زايد`).
const NAME_RANKS: &[&str] = &["اللواء", "العميد", "العقيد", "المقدم", "الدكتور", "الدكتوره", "المهندس", "المهندسه", "الاستاذ"];

/// Ends a place or organization the tagger ran on into the name of the person whose title
/// it complements (`مدير [مطار الجوف عبدالمحسن المضيان]LOC` → `[مطار الجوف]LOC
/// [عبدالمحسن المضيان]PERS`). The split needs an office title in the eight words before the
/// name, with nothing tagged or punctuated between; a word the labeled corpora put inside
/// persons' names at least as often as outside names, and that unlabeled news tags as a person
/// in at least half its uses, where the person starts, after a complement of at least one
/// word and not after a name connector or a royal title (`مستشفى الملك فهد`); and a
/// person of two words or more whose words all look like a name's (a facility named after
/// someone ends on a common adjective: `مطار حامد كرزاي [الدولي]`).
pub(crate) fn split_complement_names(infos: &[TokInfo], tags: &mut [usize], model: &Model) {
    for (s, e, ty) in super::score::chunks(tags) {
        if !(ty == 2 || ty == 3) || e - s < 3 {
            continue;
        }
        let titled = (s.saturating_sub(TITLE_REACH)..s).rev().take_while(|&k| infos[k].wordish && tags[k] == 0).any(|k| {
            let n = infos[k].norm.as_str();
            OFFICE_TITLES.contains(&n) || OFFICE_TITLES.contains(&strip_conj(n))
        });
        if !titled {
            continue;
        }
        let given = |ti: &TokInfo| {
            !ti.norm.starts_with("ال") && model.is_training_person_word(ti.h_core) && super::speakers::pers_share(model, ti) >= 0.5
        };
        let name_word = |ti: &TokInfo| {
            let n = ti.norm.as_str();
            let adjective = SCOPE_ADJECTIVES.contains(&n) || (n.starts_with("ال") && is_adjective(model, n));
            !adjective
                && (NAME_LINKS.contains(&n)
                    || super::speakers::is_nisba_surname(ti)
                    || model.is_training_person_word(ti.h_core)
                    || (super::speakers::name_like(model, ti) && !NOT_COMPLEMENT.contains(&n)))
        };
        let Some(p) = (s + 1..e - 1).find(|&p| {
            let before = infos[p - 1].norm.as_str();
            let rank = NAME_RANKS.contains(&before);
            // A head noun alone is no complement: the words after it are its name, a person's
            // name included (`معهد فرانسيس كريك`).
            let head_alone = p == s + 1 && !infos[s].norm.starts_with("ال") && is_facility_head(&infos[s]);
            !head_alone
                && given(&infos[p])
                && !NAME_LINKS.contains(&before)
                && !matches!(before, "سان" | "سانت")
                && (rank || !PERSON_TITLES.contains(&before))
                && (!rank || p - 1 > s)
                && infos[p + 1..e].iter().all(name_word)
        }) else {
            continue;
        };
        if NAME_RANKS.contains(&infos[p - 1].norm.as_str()) {
            tags[p - 1] = 0;
        }
        // `رئيس [المركز] سعود العريفي`: a definite head noun alone names no body of its own.
        if p == s + 1 && infos[s].norm.strip_prefix("ال").is_some_and(|bare| CONSTRUCT_HEADS.contains(&bare) || NAMED_FACILITIES.contains(&bare)) {
            tags[s] = 0;
        }
        tags[p] = 1;
        for t in &mut tags[p + 1..e] {
            *t = 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::{tok_info, WordLex};

    fn infos(words: &[&str]) -> Vec<TokInfo> {
        let lex = WordLex::default();
        let mut scratch = String::new();
        words.iter().map(|w| tok_info(w, &lex, &mut scratch)).collect()
    }

    #[test]
    fn a_person_named_with_an_institution_noun_is_an_organization() {
        // المتحدث باسم [وزارة الدفاع]PERS في مالي [أبو بكر ديالو]PERS
        let i = infos(&["المتحدث", "باسم", "وزارة", "الدفاع", "في", "مالي", "أبو", "بكر", "ديالو"]);
        let mut tags = vec![0, 0, 1, 2, 0, 0, 1, 2, 2];
        retype_institution_persons(&i, &mut tags);
        assert_eq!(tags, vec![0, 0, 5, 6, 0, 0, 1, 2, 2]);
        // A one-word "person" is left to the tagger (`حزب` alone is no name to retype).
        let i = infos(&["قال", "حزب"]);
        let mut tags = vec![0, 1];
        retype_institution_persons(&i, &mut tags);
        assert_eq!(tags, vec![0, 1]);
        // A MISC name opening with one is a body too, one word or more.
        let i = infos(&["موظفو", "ديوان", "الطيران", "فاز", "الاتحاد"]);
        let mut tags = vec![0, 7, 8, 0, 7];
        retype_institution_persons(&i, &mut tags);
        assert_eq!(tags, vec![0, 5, 6, 0, 5]);
    }
}
