//! Organizations' own names learned from unlabeled news.
//!
//! The labeled corpora are 2007–2010 text: they never name `داعش`، `تويتر` or `الحوثي`, and no
//! source of the knowledge base lists organizations, so the tagger leaves such names out
//! wherever their context does not give them away (`عناصر داعش`). News itself says what they
//! are: it writes them right after a noun that names a body (`تنظيم داعش`، `جماعة الحوثي`،
//! `منظمة هيومن رايتس ووتش`). A word that the unlabeled news writes after such a noun often
//! enough, and in a large enough share of all its uses, is an organization's own name
//! ([`OrgCounter`], `khabar train orgs`); the NER stage tags it where the tagger left it out
//! ([`OrgNames::tag_untagged`]).
//!
//! Giving the tagger these names as evidence instead was tried and dropped (docs/ner.md):
//! the labeled text hardly contains them, so neither a feature of their own nor an entry in
//! the self-training tables or the training gazetteer outweighs what the tagger learned
//! from their contexts.

use khabar_model::wire::{Reader, Writer};

use super::features::{IdMap, TokInfo};

/// Nouns that name a body (compared as `tok_info` normalizes their core). The word after
/// one in construct (the noun without an article) is often the body's own name. Not
/// `موقع`: a site is as often a place (`موقع الأخدود الأثري`، `موقع بارشين العسكري`).
pub const BODY_NOUNS: &[&str] = &[
    "تنظيم", "حركة", "جماعة", "ميليشيات", "مليشيات", "ميليشيا", "مليشيا", "صحيفة", "جريدة", "مجلة", "قناة",
    "وكالة", "شبكة", "إذاعة", "شركة", "مجموعة", "منظمة", "جمعية", "حزب", "مؤسسة", "نادي", "تحالف", "ائتلاف",
    "جبهة", "كتائب", "فصيل",
];

/// A word taken as an organization's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgName {
    /// The word without clitics, as `tok_info` gives its core (search-normalized).
    pub core: String,
    /// Uses right after a noun that names a body.
    pub after: u32,
    /// All its uses in the unlabeled text.
    pub total: u32,
    /// The words that follow it in its name, when news nearly always writes them
    /// (`هيومن` + `رايتس ووتش`); cores, as the tagger preprocesses them.
    pub rest: Vec<String>,
}

/// The organizations' names a model knows from unlabeled news (an optional section of the
/// NER model file, after the name extents).
#[derive(Clone, Debug, Default)]
pub struct OrgNames {
    names: Vec<OrgName>,
    /// Index into `names` by core hash.
    by_core: IdMap<usize>,
}

impl OrgNames {
    /// The names, most used after a body noun first.
    pub fn new(mut names: Vec<OrgName>) -> OrgNames {
        // One entry per core (a damaged file could list one twice): the first kept.
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(n.core.clone()));
        names.sort_by(|a, b| b.after.cmp(&a.after).then_with(|| a.core.cmp(&b.core)));
        let by_core = names.iter().enumerate().map(|(k, n)| (super::features::hash_str(&n.core), k)).collect();
        OrgNames { names, by_core }
    }

    /// The names, most used after a body noun first.
    pub fn names(&self) -> &[OrgName] {
        &self.names
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Whether a token's core is one of the names.
    pub fn contains(&self, t: &TokInfo) -> bool {
        t.wordish && self.by_core.contains_key(&t.h_core)
    }

    /// Tags each of the names that the tagger left outside every entity as an organization
    /// (`tags` are BIO indices of one sentence), with the words that follow it in its name
    /// where they do (`هيومن رايتس ووتش`). A name the tagger did tag, with any type
    /// (`عبدالملك الحوثي` as a person), keeps what it has.
    pub fn tag_untagged(&self, infos: &[TokInfo], tags: &mut [usize]) {
        if self.is_empty() {
            return;
        }
        let (b_org, i_org) = (super::tag_index("B-ORG").unwrap_or(0), super::tag_index("I-ORG").unwrap_or(0));
        let mut i = 0;
        while i < infos.len() {
            let t = &infos[i];
            let name = (tags[i] == 0 && t.wordish).then(|| self.by_core.get(&t.h_core)).flatten().map(|&k| &self.names[k]);
            let Some(name) = name else {
                i += 1;
                continue;
            };
            let after = &infos[i + 1..];
            let whole = name.rest.len() <= after.len()
                && name.rest.iter().zip(after).zip(&tags[i + 1..]).all(|((w, t), &tag)| tag == 0 && t.core == *w);
            let end = i + 1 + if whole { name.rest.len() } else { 0 };
            tags[i] = b_org;
            for tag in &mut tags[i + 1..end] {
                *tag = i_org;
            }
            i = end;
        }
    }

    /// The section's bytes (empty when there are no names).
    pub fn to_bytes(&self) -> Vec<u8> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut w = Writer::new();
        w.u32(self.names.len() as u32);
        for n in &self.names {
            w.str(&n.core).u32(n.after).u32(n.total).str(&n.rest.join(" "));
        }
        w.finish()
    }

    /// Reads the section written by [`OrgNames::to_bytes`].
    ///
    /// # Errors
    /// A format error naming the section when the bytes do not read as one.
    pub fn from_bytes(bytes: &[u8]) -> khabar_model::Result<OrgNames> {
        if bytes.is_empty() {
            return Ok(OrgNames::default());
        }
        let bad = |m: &str| khabar_model::Error::format(format!("NER model, organization-name section: {m}"));
        let mut r = Reader::new(bytes);
        let n = r.u32("name count")? as usize;
        if n > bytes.len() {
            return Err(bad(&format!("{n} names in {} bytes", bytes.len())));
        }
        let mut names = Vec::with_capacity(n);
        for _ in 0..n {
            let core = r.str("name")?.to_string();
            if core.is_empty() {
                return Err(bad("an empty name"));
            }
            let after = r.u32("uses after a body noun")?;
            let total = r.u32("uses")?;
            let rest: Vec<String> = r.str("words after the name")?.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect();
            names.push(OrgName { core, after, total, rest });
        }
        if r.remaining() != 0 {
            return Err(bad(&format!("{} unexpected bytes after the last name", r.remaining())));
        }
        Ok(OrgNames::new(names))
    }
}

/// Per word core (hash): uses outside names and inside names in labeled text.
pub type LabeledCounts = IdMap<[u32; 2]>;

/// How a word qualifies as an organization's own name.
#[derive(Clone, Debug)]
pub struct MiningConfig {
    /// Fewest uses right after a body noun.
    pub min_after: u32,
    /// Smallest share of all the word's uses that are right after a body noun.
    pub min_share: f64,
    /// Largest share of the uses of the word's base in the other form (with the article
    /// when the name has none, without it when it has one).
    pub max_other_form: f64,
    /// Smallest share of a name's uses after a body noun that the same next words follow
    /// for them to be part of the name.
    pub min_rest_share: f64,
}

impl Default for MiningConfig {
    fn default() -> Self {
        MiningConfig { min_after: 10, min_share: 0.2, max_other_form: 0.1, min_rest_share: 0.6 }
    }
}

/// Counts, over sentences of unlabeled news, each word's uses and its uses right after a
/// body noun in construct.
#[derive(Default)]
pub struct OrgCounter {
    total: IdMap<u32>,
    /// Per word base (the core without ال): uses without the article and with it.
    articles: IdMap<[u32; 2]>,
    /// Per word written after a body noun (core hash): what is known of it.
    after: IdMap<Candidate>,
    /// Per candidate (core hash): the next words after its uses after a body noun.
    next: IdMap<std::collections::HashMap<String, u32>>,
}

/// A word written right after a body noun.
struct Candidate {
    /// How many times.
    uses: u32,
    core: String,
    /// Its base's hash (the core without ال) and whether the core has the article.
    h_base: u64,
    al: bool,
}

/// Longest run of words after a name that `finish` can take into it.
const MAX_REST: usize = 3;

impl OrgCounter {
    /// Counts one preprocessed sentence.
    pub fn add(&mut self, infos: &[TokInfo], heads: &IdMap<()>) {
        for (i, t) in infos.iter().enumerate() {
            if !t.wordish {
                continue;
            }
            *self.total.entry(t.h_core).or_default() += 1;
            self.articles.entry(t.h_base).or_default()[usize::from(t.al)] += 1;
            // A word read as a clitic and a rest (`فروسية` as ف + `روسية`) is also the
            // article-less form of the whole word.
            if t.h_norm != t.h_base && !t.norm.starts_with("ال") {
                self.articles.entry(t.h_norm).or_default()[0] += 1;
            }
            let Some(prev) = i.checked_sub(1).map(|p| &infos[p]) else { continue };
            if !prev.al && heads.contains_key(&prev.h_core) && !heads.contains_key(&t.h_core) {
                self.after.entry(t.h_core).or_insert_with(|| Candidate { uses: 0, core: t.core.clone(), h_base: t.h_base, al: t.al }).uses += 1;
                // Every prefix of the words after it, up to a sentence mark.
                let next = self.next.entry(t.h_core).or_default();
                let mut run = String::new();
                for w in infos[i + 1..].iter().take(MAX_REST).take_while(|w| w.wordish) {
                    if !run.is_empty() {
                        run.push(' ');
                    }
                    run.push_str(&w.core);
                    *next.entry(run.clone()).or_default() += 1;
                }
            }
        }
    }

    /// Adds another counter's counts.
    pub fn merge(&mut self, other: OrgCounter) {
        for (k, v) in other.total {
            *self.total.entry(k).or_default() += v;
        }
        for (k, v) in other.articles {
            let e = self.articles.entry(k).or_default();
            e[0] += v[0];
            e[1] += v[1];
        }
        for (k, m) in other.next {
            let e = self.next.entry(k).or_default();
            for (w, n) in m {
                *e.entry(w).or_default() += n;
            }
        }
        for (k, c) in other.after {
            let n = c.uses;
            self.after.entry(k).or_insert(Candidate { uses: 0, ..c }).uses += n;
        }
    }

    /// The words that qualify. `outside_names` says whether the labeled data mostly writes
    /// a word (by its core's hash and the core) outside names: such a word is no name
    /// (`الملاحة` of `حركة الملاحة`). `known_other` says whether the knowledge base knows it
    /// as a place or a given name: `صحيفة الرياض` names a paper after its city, and the city
    /// is what the word usually means.
    pub fn finish(&self, cfg: &MiningConfig, outside_names: &dyn Fn(u64, &str) -> bool, known_other: &dyn Fn(&str) -> bool) -> OrgNames {
        let names = self
            .after
            .iter()
            .filter_map(|(&h, c)| {
                let n = c.uses;
                let total = self.total.get(&h).copied().unwrap_or(n).max(n);
                // A common noun or adjective takes the article and drops it by its place in
                // the sentence (`شركة مقاولات` / `المقاولات`, `جماعة متمردة` / `المتمردة`); a
                // name keeps the form it has (`داعش`, `الحوثي`).
                let other_form = self.articles.get(&c.h_base).map_or(0, |a| a[usize::from(!c.al)]);
                let fixed_form = f64::from(other_form) <= cfg.max_other_form * f64::from(total + other_form);
                let qualifies = n >= cfg.min_after && f64::from(n) >= cfg.min_share * f64::from(total) && fixed_form && c.core.chars().count() >= 2;
                (qualifies && !outside_names(h, &c.core) && !known_other(&c.core))
                    .then(|| OrgName { core: c.core.clone(), after: n, total, rest: self.rest_of(h, n, cfg) })
            })
            .collect();
        OrgNames::new(names)
    }

    /// The longest run of words that follows the name in at least `cfg.min_rest_share` of
    /// its `n` uses after a body noun, none of them a word news writes twenty times as
    /// often as the name (`في`، `العسكري`، `الخيرية` describe or follow it; `رايتس ووتش` of
    /// `هيومن` is its own).
    fn rest_of(&self, h: u64, n: u32, cfg: &MiningConfig) -> Vec<String> {
        let Some(next) = self.next.get(&h) else { return Vec::new() };
        let own = self.total.get(&h).copied().unwrap_or(n);
        let rare_enough = |run: &str| run.split(' ').all(|w| self.total.get(&super::features::hash_str(w)).copied().unwrap_or(0) <= own.saturating_mul(20));
        let words = |run: &str| run.split(' ').count();
        // At most one run of each length can pass the share; the longest is the name's.
        next.iter()
            .filter(|(run, &c)| f64::from(c) >= cfg.min_rest_share * f64::from(n) && rare_enough(run))
            .max_by(|a, b| words(a.0).cmp(&words(b.0)).then_with(|| b.0.cmp(a.0)))
            .map(|(run, _)| run.split(' ').map(str::to_string).collect())
            .unwrap_or_default()
    }
}

/// The body nouns' core hashes, from their preprocessing (`Model::infos(BODY_NOUNS)`).
pub fn body_noun_cores(infos: &[TokInfo]) -> IdMap<()> {
    infos.iter().map(|t| (t.h_core, ())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::test_infos as infos;

    #[test]
    fn a_word_news_writes_after_body_nouns_is_an_organization() {
        let heads = body_noun_cores(&infos(&BODY_NOUNS.join(" ")));
        let mut c = OrgCounter::default();
        for _ in 0..12 {
            c.add(&infos("أعلن تنظيم داعش مسؤوليته"), &heads);
        }
        for _ in 0..20 {
            c.add(&infos("فر عناصر داعش من المدينة"), &heads);
            // After a definite noun the word is no name's: `الحركة` is not in construct.
            c.add(&infos("هبت الحركة الرياح على المدينة"), &heads);
        }
        let names = c.finish(&MiningConfig::default(), &|_, _| false, &|_| false);
        assert_eq!(names.names().iter().map(|n| (n.core.as_str(), n.after, n.total)).collect::<Vec<_>>(), vec![("داعش", 12, 32)]);
        // Too rare a share of its uses: not a name.
        let strict = c.finish(&MiningConfig { min_share: 0.5, ..Default::default() }, &|_, _| false, &|_| false);
        assert!(strict.is_empty());
        // A word the labeled data writes outside names, or the knowledge base knows otherwise, is left out.
        assert!(c.finish(&MiningConfig::default(), &|_, core| core == "داعش", &|_| false).is_empty());
        assert!(c.finish(&MiningConfig::default(), &|_, _| false, &|core| core == "داعش").is_empty());
    }

    #[test]
    fn only_untagged_names_become_organizations() {
        let names = OrgNames::new(vec![OrgName { core: "داعش".into(), after: 10, total: 30, rest: vec![] }, OrgName { core: "الحوثي".into(), after: 10, total: 30, rest: vec![] }]);
        let s = infos("فر عناصر داعش وقال عبدالملك الحوثي");
        let mut tags = vec![0, 0, 0, 0, 1, 2];
        names.tag_untagged(&s, &mut tags);
        assert_eq!(tags, vec![0, 0, 5, 0, 1, 2]);
    }

    #[test]
    fn a_name_takes_the_words_news_always_writes_after_it() {
        let names = OrgNames::new(vec![OrgName { core: "هيومن".into(), after: 80, total: 200, rest: vec!["رايتس".into(), "ووتش".into()] }]);
        let s = infos("قالت منظمة هيومن رايتس ووتش إن هيومن");
        let mut tags = vec![0; s.len()];
        names.tag_untagged(&s, &mut tags);
        assert_eq!(tags, vec![0, 0, 5, 6, 6, 0, 5]);
    }

    #[test]
    fn the_section_round_trips_and_a_broken_one_is_an_error() {
        let names = OrgNames::new(vec![OrgName { core: "تويتر".into(), after: 40, total: 90, rest: vec!["نيوز".into()] }, OrgName { core: "داعش".into(), after: 900, total: 3000, rest: vec![] }]);
        let back = OrgNames::from_bytes(&names.to_bytes()).expect("reads back");
        assert_eq!(back.names(), names.names());
        assert_eq!(back.names()[0].core, "داعش");
        let bytes = names.to_bytes();
        let err = OrgNames::from_bytes(&bytes[..bytes.len() - 3]).expect_err("cut section");
        assert!(err.to_string().contains("words after the name"), "{err}");
        assert!(OrgNames::from_bytes(&[]).expect("empty").is_empty());
    }
}
