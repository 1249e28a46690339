//! Where a multi-word organization's name ends, learned from unlabeled news.
//!
//! The tagger often stops inside a long name: `[هيئة الأمر] بالمعروف والنهي عن المنكر`,
//! `[هيئة التحقيق] والادعاء العام`, `[الهيئة السعودية] للتخصصات الصحية`. Which words
//! complete a name is knowledge about that name, and news repeats it: across SaudiNewsNet
//! `هيئة الأمر` is followed by `بالمعروف والنهي عن المنكر` in 84% of its occurrences, while
//! what follows `وزارة الداخلية` varies. So the tagger is run over unlabeled news
//! (`khabar train extents`), and for every organization it tags, the words after it are
//! counted as a tree of continuations. A continuation completes the name when
//!
//! * its first word begins as a name's complement does (`ال…`, `لل…`, `ل…`, `وال…`, `بال…`)
//!   and follows the name in at least [`ExtentConfig::first_share`] of its occurrences (a
//!   name may branch into several: `الهيئة السعودية` + `للتخصصات الصحية` / `للحياة
//!   الفطرية`);
//! * every later word follows the words before it in at least
//!   [`ExtentConfig::tight_share`] of their occurrences (once begun, a name goes on one way);
//! * it ends where what follows stops being predictable, never on a function word.
//!
//! At run time ([`NameExtents::extend`], the NER stage's last pass) an organization the
//! tagger found is extended over the words after it only when they are, word for word, one
//! of its learned continuations: the text itself must go on with the name.

use std::collections::HashMap;

use khabar_model::wire::{Reader, Writer};

use super::features::TokInfo;

/// Thresholds of [`ExtentCounter::finish`].
#[derive(Clone, Copy, Debug)]
pub struct ExtentConfig {
    /// Occurrences a name and each continuation need at least.
    pub min_count: u32,
    /// Share of a name's occurrences its continuation's first word must follow it in.
    pub first_share: f64,
    /// Share of the occurrences of a continuation's first words each next word must follow in
    /// (more than).
    pub tight_share: f64,
    /// The most words a continuation adds.
    pub max_words: usize,
    /// Share of a name's occurrences a one-word continuation must follow it in: one word
    /// after a name is more often a description (`حزب العمال [المعارض]`) than a name's end.
    pub single_share: f64,
}

impl Default for ExtentConfig {
    fn default() -> Self {
        ExtentConfig { min_count: 10, first_share: 0.1, tight_share: 0.5, max_words: 4, single_share: 0.5 }
    }
}

/// Words that never end a name's continuation (they may be inside one: `والنهي عن المنكر`),
/// `search`-normalized.
const FUNCTION_WORDS: &[&str] = &[
    "عن", "من", "في", "علي", "الي", "مع", "او", "ام", "ثم", "بعد", "قبل", "بين", "حول", "ضد", "عبر", "لدي", "منذ", "حتي",
];

/// Words that never continue a name (times, relatives, sentence adverbs). Learning
/// (`khabar train extents`) reads this and the two tests below.
#[cfg_attr(not(feature = "train"), allow(dead_code))]
const NEVER_IN_NAME: &[&str] = &[
    "الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللاتي", "الان", "اليوم", "امس", "غدا", "الاحد",
    "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الماضي", "الماضيه", "المقبل", "المقبله", "الجاري",
    "الحالي", "الحاليه", "السابق", "السابقه", "الجديد", "الجديده", "الاخير", "الاخيره", "ايضا", "لا", "لم", "لن", "لكن",
    "ان", "انه", "انها", "الا", "اذا", "كما", "كان", "كانت", "قد", "وقد", "ولا", "ولم", "لها", "له", "لهم", "لمده", "المهندس",
    "بها", "وفق", "وفقا", "لدي", "الاول", "الاولي", "الثاني", "الثانيه",
];

/// Adjectives that describe a body rather than end its name (`وكالة أنباء الشرق الأوسط
/// [الرسمية]`, `الحزب الشيوعي [الحاكم]`): never a continuation on their own.
const DESCRIPTIVE: &[&str] = &[
    "الرسمي", "الرسميه", "الحكومي", "الحكوميه", "الحاكم", "الحاكمه", "المعارض", "المعارضه", "المتطرف", "المتطرفه",
    "الارهابي", "الارهابيه", "المحظور", "المحظوره", "الخاص", "الخاصه", "العملاق", "العملاقه", "المضيف", "المضيفه",
    "الشهير", "الشهيره", "المتشدد", "المتشدده", "المسلح", "المسلحه",
];

/// Whether a word may open a name's continuation: it reads as a complement (`الطاقة`,
/// `للطاقة`, `لكرة`, `والادعاء`, `بالمعروف`).
#[cfg_attr(not(feature = "train"), allow(dead_code))]
fn opens_continuation(w: &str) -> bool {
    w.chars().count() >= 4
        && !NEVER_IN_NAME.contains(&w)
        && ["ال", "لل", "ل", "وال", "بال"].iter().any(|p| w.starts_with(p))
}

fn complement_shaped(w: &str) -> bool {
    w == "عن"
        || (w.chars().count() >= 4
            && !FUNCTION_WORDS.contains(&w)
            && ["ال", "لل", "ل", "وال", "ول", "و", "بال"].iter().any(|p| w.starts_with(p)))
}

#[cfg_attr(not(feature = "train"), allow(dead_code))]
fn in_continuation(w: &str) -> bool {
    !NEVER_IN_NAME.contains(&w)
        && !["التابع", "التابعه", "الفريق", "ركن"].contains(&w)
        && !super::institutions::is_person_title(w)
        && w.chars().all(khabar_text::chars::is_arabic_letter)
}

/// The key a name is known by: its words `search`-normalized, the first one without the
/// conjunction and prepositions it took in (`لهيئة الأمر` is `هيئة الأمر`).
pub(crate) fn name_key(infos: &[TokInfo]) -> String {
    let mut key = String::new();
    for (i, ti) in infos.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(if i == 0 { &ti.core } else { &ti.norm });
    }
    key
}

/// Learned continuations of organizations' names: part of the NER model file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameExtents {
    /// Name key → its continuations, each a run of `search`-normalized words, longest first.
    by_name: HashMap<String, Vec<Vec<String>>>,
}

impl NameExtents {
    /// How many names have continuations.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether nothing was learned (a model without the section).
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The continuations learned for a name key (`هييه الامر`), longest first.
    pub fn continuations(&self, key: &str) -> &[Vec<String>] {
        self.by_name.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every (name key, continuation) pair, sorted: for reports and tests.
    pub fn pairs(&self) -> Vec<(&str, String)> {
        let mut out: Vec<(&str, String)> =
            self.by_name.iter().flat_map(|(k, cs)| cs.iter().map(move |c| (k.as_str(), c.join(" ")))).collect();
        out.sort();
        out
    }

    /// Extends each organization in `tags` (BIO indices) over the words after it when they
    /// are one of its learned continuations. Words tagged otherwise are taken only when
    /// every name among them lies wholly inside the continuation.
    pub(crate) fn extend(&self, infos: &[TokInfo], tags: &mut [usize]) {
        if self.is_empty() {
            return;
        }
        for (s, e, ty) in super::score::chunks(tags) {
            if ty != 3 {
                continue;
            }
            // An earlier extension in this sentence may have taken this name in.
            if tags[s] != 2 * ty - 1 && s > 0 && super::features::tag_type(tags[s - 1]) == ty {
                continue;
            }
            // The tagger's name, or a shorter start of it that a learned continuation goes on
            // from past its end (`[هيئة الأمر بالمعروف والنهي] عن المنكر`).
            let Some(end) = (1..=e - s).rev().find_map(|k| {
                let from = s + k;
                self.continuations_of(&infos[s..from]).iter().find_map(|c| {
                    let end = from + c.len();
                    (end > e
                        && end <= infos.len()
                        && infos[from..end].iter().zip(c.iter()).all(|(ti, w)| ti.norm == *w)
                        // The word after must not continue a name begun inside.
                        && !(end < tags.len() && tags[end] != 0 && tags[end] % 2 == 0 && tags[end - 1] != 0))
                        .then_some(end)
                })
            }) else {
                continue;
            };
            for t in &mut tags[e..end] {
                *t = 2 * ty;
            }
        }
    }

    fn continuations_of(&self, words: &[TokInfo]) -> &[Vec<String>] {
        if self.is_empty() {
            return &[];
        }
        self.continuations(&name_key(words))
    }

    /// The section's bytes (empty when nothing was learned).
    pub fn to_bytes(&self) -> Vec<u8> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut names: Vec<_> = self.by_name.iter().collect();
        names.sort();
        let mut w = Writer::new();
        w.u32(names.len() as u32);
        for (k, cs) in names {
            w.str(k).u32(cs.len() as u32);
            for c in cs {
                w.str(&c.join(" "));
            }
        }
        w.finish()
    }

    /// Reads the section written by [`NameExtents::to_bytes`].
    ///
    /// # Errors
    /// A format error naming the section when the bytes do not read as one.
    pub fn from_bytes(bytes: &[u8]) -> khabar_model::Result<NameExtents> {
        let mut out = NameExtents::default();
        if bytes.is_empty() {
            return Ok(out);
        }
        let bad = |m: &str| khabar_model::Error::format(format!("NER model, name-extent section: {m}"));
        let mut r = Reader::new(bytes);
        let n = r.u32("name count")? as usize;
        if n > bytes.len() {
            return Err(bad(&format!("{n} names in {} bytes", bytes.len())));
        }
        for _ in 0..n {
            let key = r.str("name")?.to_string();
            let m = r.u32("continuation count")? as usize;
            if m == 0 || m > bytes.len() {
                return Err(bad(&format!("{m} continuations of `{key}`")));
            }
            let mut cs = Vec::with_capacity(m);
            for _ in 0..m {
                let c: Vec<String> = r.str("continuation")?.split(' ').map(str::to_string).collect();
                if c.iter().any(String::is_empty) {
                    return Err(bad(&format!("an empty word in a continuation of `{key}`")));
                }
                cs.push(c);
            }
            cs.sort_by_key(|c| std::cmp::Reverse(c.len()));
            out.by_name.insert(key, cs);
        }
        if r.remaining() != 0 {
            return Err(bad(&format!("{} unexpected bytes after the last name", r.remaining())));
        }
        Ok(out)
    }
}

/// Counts what follows each organization the tagger finds in unlabeled news.
#[derive(Default, Debug)]
pub struct ExtentCounter {
    /// Name key → (occurrences, the words after each occurrence that may continue it).
    names: HashMap<String, (u32, Vec<Vec<String>>)>,
}

impl ExtentCounter {
    /// Records one occurrence of a name (its tokens) and the tokens after it in its sentence.
    #[cfg_attr(not(feature = "train"), allow(dead_code))]
    pub(crate) fn add(&mut self, name: &[TokInfo], after: &[TokInfo], max_words: usize) {
        let entry = self.names.entry(name_key(name)).or_default();
        entry.0 += 1;
        let words: Vec<String> =
            after.iter().take(max_words).take_while(|t| in_continuation(&t.norm)).map(|t| t.norm.clone()).collect();
        if words.first().is_some_and(|w| opens_continuation(w)) {
            entry.1.push(words);
        }
    }

    /// Adds another counter's counts (one per thread).
    pub fn merge(&mut self, other: ExtentCounter) {
        for (k, (n, mut v)) in other.names {
            let e = self.names.entry(k).or_default();
            e.0 += n;
            e.1.append(&mut v);
        }
    }

    /// Names counted.
    pub fn names(&self) -> usize {
        self.names.len()
    }

    /// The continuations that complete each name (see the module's rules).
    /// `descriptive` tells a word that describes a name rather than ends it (a nationality
    /// adjective: `[ريال مدريد] الإسباني`); it is never a continuation on its own.
    pub fn finish(&self, cfg: &ExtentConfig, descriptive: &dyn Fn(&str) -> bool) -> NameExtents {
        let mut by_name = HashMap::new();
        for (key, (total, follows)) in &self.names {
            if *total < cfg.min_count {
                continue;
            }
            let mut found = Vec::new();
            let mut firsts: HashMap<&str, Vec<&[String]>> = HashMap::new();
            for f in follows {
                firsts.entry(f[0].as_str()).or_default().push(f);
            }
            for (_, runs) in firsts {
                let n = runs.len() as u32;
                if n < cfg.min_count || f64::from(n) < cfg.first_share * f64::from(*total) {
                    continue;
                }
                if let Some(c) = tight_run(&runs, cfg) {
                    let single = c.len() == 1;
                    if !(single && (descriptive(&c[0]) || DESCRIPTIVE.contains(&c[0].as_str()) || f64::from(n) < cfg.single_share * f64::from(*total))) {
                        found.push(c);
                    }
                }
            }
            if !found.is_empty() {
                found.sort_by(|a: &Vec<String>, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
                by_name.insert(key.clone(), found);
            }
        }
        NameExtents { by_name }
    }
}

/// The longest run the `runs` (all sharing their first word) agree on, each word after the
/// first following the ones before it in at least `tight_share` of their occurrences; cut
/// back so as not to end on a function word.
fn tight_run(runs: &[&[String]], cfg: &ExtentConfig) -> Option<Vec<String>> {
    let mut words = vec![runs[0][0].clone()];
    let mut live: Vec<&[String]> = runs.to_vec();
    while words.len() < cfg.max_words {
        let mut next: HashMap<&str, u32> = HashMap::new();
        for r in &live {
            if let Some(w) = r.get(words.len()) {
                *next.entry(w.as_str()).or_default() += 1;
            }
        }
        let Some((w, n)) = next.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0))) else { break };
        if n < cfg.min_count || f64::from(n) <= cfg.tight_share * live.len() as f64 {
            break;
        }
        let w = w.to_string();
        live.retain(|r| r.get(words.len()) == Some(&w));
        words.push(w);
    }
    // A name's complement is a run of definite words and `ل`/`و` complements, with `عن`
    // inside at most (`والنهي عن المنكر`); a bare word (`لمدة ثلاث سنوات`, a person's name,
    // a verb) is the sentence going on.
    if let Some(cut) = words.iter().skip(1).position(|w| !complement_shaped(w)) {
        words.truncate(cut + 1);
    }
    while words.last().is_some_and(|w| FUNCTION_WORDS.contains(&w.as_str())) {
        words.pop();
    }
    (!words.is_empty()).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::test_infos as infos;

    /// `n` occurrences of `name` followed by `after`.
    fn seen(c: &mut ExtentCounter, name: &str, after: &str, n: usize) {
        let (name, after) = (infos(name), infos(after));
        for _ in 0..n {
            c.add(&name, &after, 6);
        }
    }

    #[test]
    fn a_name_that_news_always_completes_the_same_way_is_completed() {
        let mut c = ExtentCounter::default();
        seen(&mut c, "هيئة الأمر", "بالمعروف والنهي عن المنكر في مكة", 40);
        seen(&mut c, "هيئة الأمر", "بالمعروف والنهي عن المنكر بجدة", 30);
        seen(&mut c, "هيئة الأمر", "في الرياض", 5);
        let ext = c.finish(&ExtentConfig::default(), &|w| w == "الاسباني");
        assert_eq!(ext.pairs(), vec![("هييه الامر", "بالمعروف والنهي عن المنكر".to_string())]);
    }

    #[test]
    fn a_name_that_branches_keeps_each_frequent_branch() {
        let mut c = ExtentCounter::default();
        seen(&mut c, "الهيئة السعودية", "للتخصصات الصحية أن", 30);
        seen(&mut c, "الهيئة السعودية", "للحياة الفطرية", 20);
        seen(&mut c, "الهيئة السعودية", "للسياحة", 3);
        seen(&mut c, "الهيئة السعودية", "", 50);
        let ext = c.finish(&ExtentConfig::default(), &|w| w == "الاسباني");
        let got: Vec<String> = ext.continuations("الهييه السعوديه").iter().map(|c| c.join(" ")).collect();
        assert_eq!(got, vec!["للتخصصات الصحيه", "للحياه الفطريه"]);
    }

    #[test]
    fn what_varies_after_a_name_or_reads_as_a_sentence_is_no_continuation() {
        let mut c = ExtentCounter::default();
        // The words after vary: no continuation is shared by enough of them.
        for (i, w) in ["الأمريكية", "في", "إن", "الروسية", "اليوم", "السعودية", "عن"].iter().cycle().take(70).enumerate() {
            seen(&mut c, "وزارة الخارجية", &format!("{w} {}", ["كلمة", "أخرى", "ثالثة"][i % 3]), 1);
        }
        // A preposition or a time word opens no continuation, however often it follows.
        seen(&mut c, "وزارة الصحة", "في بيان", 50);
        seen(&mut c, "وزارة الصحة", "اليوم الأحد", 50);
        let ext = c.finish(&ExtentConfig::default(), &|w| w == "الاسباني");
        assert!(ext.continuations("وزاره الصحه").is_empty(), "{:?}", ext.pairs());
        // `الأمريكية` follows in 10 of 70: too few for one word after a name.
        assert!(ext.is_empty(), "{:?}", ext.pairs());
    }

    #[test]
    fn a_description_or_a_person_after_a_name_is_no_part_of_it() {
        let mut c = ExtentCounter::default();
        seen(&mut c, "ريال مدريد", "الإسباني", 40);
        seen(&mut c, "هيئة الأركان العامة", "الفريق أول ركن عبدالرحمن البنيان", 40);
        seen(&mut c, "مجلس التعاون لدول الخليج العربية", "الدكتور عبداللطيف الزياني", 40);
        let ext = c.finish(&ExtentConfig::default(), &|w| w == "الاسباني");
        assert!(ext.is_empty(), "{:?}", ext.pairs());
    }

    #[test]
    fn the_tagger_s_name_is_extended_only_where_the_text_goes_on_with_the_name() {
        let mut c = ExtentCounter::default();
        seen(&mut c, "هيئة التحقيق", "والادعاء العام لاستكمال", 20);
        seen(&mut c, "هيئة التحقيق", "والادعاء العام في", 20);
        let ext = c.finish(&ExtentConfig::default(), &|w| w == "الاسباني");
        // B-ORG I-ORG O O O → the name takes `والادعاء العام`.
        let sent = infos("أحالت هيئة التحقيق والادعاء العام القضية");
        let mut tags = vec![0, 5, 6, 0, 0, 0];
        ext.extend(&sent, &mut tags);
        assert_eq!(tags, vec![0, 5, 6, 6, 6, 0]);
        // A tagger's name that took in part of the continuation gets the rest.
        let sent = infos("أحالت هيئة التحقيق والادعاء العام القضية");
        let mut tags = vec![0, 5, 6, 6, 0, 0];
        ext.extend(&sent, &mut tags);
        assert_eq!(tags, vec![0, 5, 6, 6, 6, 0]);
        // Text that stops short of the continuation keeps the tagger's name.
        let sent = infos("أحالت هيئة التحقيق والادعاء القضية");
        let mut tags = vec![0, 5, 6, 0, 0];
        ext.extend(&sent, &mut tags);
        assert_eq!(tags, vec![0, 5, 6, 0, 0]);
    }

    #[test]
    fn the_section_reads_back_as_written_and_a_broken_one_is_an_error() {
        let mut c = ExtentCounter::default();
        seen(&mut c, "الوكالة الدولية", "للطاقة الذرية", 20);
        let ext = c.finish(&ExtentConfig::default(), &|w| w == "الاسباني");
        let bytes = ext.to_bytes();
        assert_eq!(NameExtents::from_bytes(&bytes).unwrap(), ext);
        let err = NameExtents::from_bytes(&bytes[..bytes.len() - 3]).unwrap_err().to_string();
        assert!(err.contains("continuation") || err.contains("name"), "{err}");
        assert!(NameExtents::from_bytes(&[]).unwrap().is_empty());
    }
}
