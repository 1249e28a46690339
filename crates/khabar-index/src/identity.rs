//! One identity per real-world entity across the corpus.
//!
//! * A place the pipeline resolved is keyed by its GeoNames id (`LOC:gn102358`), so
//!   `السعودية`, `المملكة العربية السعودية` and `السعوديه` are one entity.
//! * Any other entity is keyed by its canonical name ([`canonical_key`]): `search`-normalized
//!   (hamzas, ة/ه, ى/ي, diacritics and tatweel folded), leading titles dropped
//!   (`الرئيس`, `الشيخ`…), `عبد`/`ابو` joined to the next word (`عبد العزيز` = `عبدالعزيز`),
//!   and the article dropped from each word (`الامم المتحده` = `امم متحده`); a person's long
//!   and short forms meet ([`person_key`]: `سلمان بن عبدالعزيز آل سعود` = `سلمان بن عبدالعزيز`,
//!   `عادل بن أحمد الجبير` = `عادل الجبير`). Within a
//!   document the linker has already joined surname-only mentions and attested clitic forms
//!   (`وحفتر`) to the fullest name, which is the record's name.
//!
//! * An organization's short name that articles give in parentheses after its full name
//!   (`الاتحاد الدولي لكرة القدم (فيفا)`) is listed, searched and shown with the full name
//!   once two articles have done so ([`Registry::canonical_id`]); the article that writes
//!   only `فيفا` then counts for the full name.
//!
//! Ids are functions of the key, so re-indexing the same input gives the same ids (and the
//! same short-name joins; articles added later can make a join that was not there).
//!
//! The index directory keeps, beside tantivy's files, `entities.json`: every corpus entity
//! with its surface forms and their mention counts (the entity is shown under the most
//! frequent one, never under its key), how many articles mention it and in how many of them
//! it has context support, and a place's GeoNames fields. It is written with every commit.
//!
//! Noise control ([`EntityStats::is_noise`]): a person or organization known only by one
//! word (`لي`, `غريب`, `خالد`, `ريال`, `على`) is most often a common word or a bare first
//! name the tagger took for a name when the corpus writes the word in more than twice as
//! many articles as it tags it in, or (a person) it is mentioned once in most of its
//! articles, with no title and no other mention to support it. Such entities are left out of
//! the corpus lists (entity lists, co-mentions, the places' co-mentions); their pages and
//! filters still work.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Titles dropped from the front of a name (normalized).
const TITLES: &[&str] = &[
    "الرئيس", "المشير", "الوزير", "الشيخ", "السيد", "السيده", "الدكتور", "الدكتوره", "د", "الامير", "الملك", "العقيد", "اللواء",
    "الجنرال", "الفريق", "العميد", "الرييس", "المستشار", "الاستاذ", "النايب", "الامام", "الحاج", "السفير", "المبعوث", "القاضي",
    "الاميره", "الملكه", "رييس", "الشيخه", "المهندس", "سمو", "معالي", "فخامه",
];

/// Words joined to the next one in a canonical key (`عبد الله` = `عبدالله`).
const JOINED: &[&str] = &["عبد", "ابو", "بو", "ابي"];

/// The canonical key of a person's or organization's name.
pub fn canonical_key(name: &str) -> String {
    let n = khabar_text::normalize(name, khabar_text::Profile::Search);
    let mut words: Vec<&str> = n.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    while words.len() > 1 && TITLES.contains(&words[0]) {
        words.remove(0);
    }
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let mut w = words[i].to_string();
        while JOINED.contains(&w.as_str()) && i + 1 < words.len() {
            i += 1;
            w.push_str(words[i]);
        }
        out.push(w);
        i += 1;
    }
    if let Some(first) = out.first_mut() {
        if let Some(bare) = without_proclitics(first) {
            *first = bare;
        }
    }
    out.iter()
        .map(|w| match w.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 3 => rest.to_string(),
            _ => w.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key of an entity of type `kind` named `name`: the [`canonical_key`], and for a person
/// the [`person_key`] on top of it.
pub fn key_of(kind: &str, name: &str) -> String {
    let key = canonical_key(name);
    if kind == "PERS" {
        person_key(&key)
    } else {
        key
    }
}

/// A person's canonical key cut to the part news always writes, so the long and short forms
/// of one name are one entity across the corpus (the linker joins them within an article,
/// not across articles):
///
/// * a family name after `آل` goes (`سلمان بن عبدالعزيز آل سعود` = `سلمان بن عبدالعزيز`);
/// * a lineage keeps its first link (`محمد بن سلمان بن عبدالعزيز` = `محمد بن سلمان`);
/// * a lineage between a given name and a surname goes (`عادل بن أحمد الجبير` = `عادل الجبير`),
///   as does one after a surname (`خالد الفيصل بن عبدالعزيز` = `خالد الفيصل`).
///
/// Two people who share a given name and a father's name, or a given name and a surname, are
/// one key then; the short forms news writes of them could not be told apart anyway.
pub fn person_key(canonical: &str) -> String {
    let mut w: Vec<&str> = canonical.split(' ').map(|x| if x == "ابن" { "بن" } else { x }).collect();
    let n = w.len();
    if n >= 4 && w[n - 2] == "ال" {
        w.truncate(n - 2);
    }
    let n = w.len();
    if n >= 4 && w[1] == "بن" {
        if w[n - 2] == "بن" {
            w.truncate(3);
        } else {
            w = vec![w[0], w[n - 1]];
        }
    } else if n >= 4 && w[1] != "بن" && w[2] == "بن" {
        w.truncate(2);
    }
    w.join(" ")
}

/// A name's first word without the clitics the tagger's span took in with it, when they
/// come before the article: `للامم` (`ل` + `الامم`, the alef dropped), `والامم`, `بالامم` →
/// `الامم`. A word without the article keeps its letters (`بشار`, `لبنان`: a clitic cannot be
/// told from the name's own letter there).
fn without_proclitics(word: &str) -> Option<String> {
    let rest = word.strip_prefix('و').or_else(|| word.strip_prefix('ف')).unwrap_or(word);
    let definite = if let Some(r) = rest.strip_prefix("لل") {
        format!("ال{r}")
    } else {
        let r = ["ب", "ك", ""].iter().find_map(|p| rest.strip_prefix(p).filter(|r| r.starts_with("ال")))?;
        r.to_string()
    };
    (definite != word && definite.chars().count() >= 5).then_some(definite)
}

/// The corpus id of a document's entity record: `LOC:gn<geonameid>` for a resolved place,
/// else `TYPE:<canonical key>`.
pub fn corpus_id(rec: &khabar::EntityRecord) -> String {
    let (kind, key) = facet_parts(rec);
    format!("{kind}:{key}")
}

/// The facet path parts of a record: its type and key.
pub fn facet_parts(rec: &khabar::EntityRecord) -> (&'static str, String) {
    match rec.place {
        Some(p) => ("LOC", format!("gn{}", p.geonameid)),
        None => (rec.kind.as_str(), key_of(rec.kind.as_str(), &rec.name)),
    }
}

/// A resolved place's GeoNames fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceInfo {
    /// GeoNames id.
    pub geonameid: u32,
    /// ISO 3166-1 alpha-2 code, when the place has a country.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// Latitude.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lat: Option<f64>,
    /// Longitude.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lon: Option<f64>,
    /// `country`, `city`, `region`, `continent`.
    pub place_kind: String,
}

/// What the corpus knows of one entity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntityStats {
    /// `PERS`, `LOC`, `ORG`, `MISC`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Articles mentioning it.
    pub articles: u64,
    /// Articles where it has context support: a name of several words, a title before it
    /// (dropped from the key), or more than one mention.
    pub supported: u64,
    /// Surface forms with their mention counts.
    pub variants: BTreeMap<String, u64>,
    /// The fullest form of each article's record (the linker's `name`), with how many
    /// articles gave it: what the entity is shown as, so a person often named by surname
    /// alone is still shown by name (`باراك أوباما`, not `أوباما`).
    #[serde(default)]
    pub names: BTreeMap<String, u64>,
    /// The place, for a resolved place.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub place: Option<PlaceInfo>,
}

impl EntityStats {
    /// The most frequent full name (ties: the longer, then the first in order); the most
    /// frequent surface form for a registry written before names were kept.
    pub fn display_name(&self) -> Option<&str> {
        let forms = if self.names.is_empty() { &self.variants } else { &self.names };
        forms
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(a.0.chars().count().cmp(&b.0.chars().count())).then(b.0.cmp(a.0)))
            .map(|(v, _)| v.as_str())
    }

    /// Variants by count, most frequent first.
    pub fn variants_by_count(&self) -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = self.variants.iter().map(|(k, n)| (k.clone(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// A person or organization named by one word that the corpus mostly uses otherwise, or
    /// a person so named who lacks context support in most of its articles (an
    /// organization is often named once, by one word: `رويترز`, `حماس`): `word_articles`, the articles
    /// containing the word at all, is more than twice its own (see the module documentation).
    pub fn is_noise(&self, key: &str, word_articles: u64) -> bool {
        let unsupported = self.kind == "PERS" && self.supported * 2 < self.articles;
        matches!(self.kind.as_str(), "PERS" | "ORG") && !key.contains(' ') && (unsupported || self.articles * 2 < word_articles)
    }
}

/// The file name of the registry in an index directory.
pub const REGISTRY_FILE: &str = "entities.json";

/// Every corpus entity by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    /// Format version.
    pub version: u32,
    /// Entities by corpus id.
    pub entities: BTreeMap<String, EntityStats>,
    /// Short names that articles give an organization in parentheses after its name
    /// (`الاتحاد الدولي لكرة القدم (فيفا)`): the short name's id → the full name's id → how
    /// many articles did so. An article that writes only the short name is then counted
    /// under the full name too ([`Registry::canonical_id`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aliases: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Registry {
    /// Reads the registry of an index directory (empty when the index predates it).
    ///
    /// # Errors
    /// An unreadable or malformed file, named.
    pub fn load(dir: &Path) -> Result<Registry> {
        let path = dir.join(REGISTRY_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::Schema(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Registry { version: 1, ..Default::default() }),
            Err(e) => Err(Error::Io { path: path.display().to_string(), source: e }),
        }
    }

    /// Writes the registry (to a temporary file renamed over the old one, so a crash leaves
    /// the previous commit's registry whole).
    ///
    /// # Errors
    /// I/O errors, named.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(REGISTRY_FILE);
        let tmp = dir.join(format!("{REGISTRY_FILE}.tmp"));
        let io = |e: std::io::Error| Error::Io { path: path.display().to_string(), source: e };
        let bytes = serde_json::to_vec(self).map_err(|e| Error::Schema(e.to_string()))?;
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)
    }

    /// The id an entity is listed and searched under: the full name's id for an
    /// organization's short name that articles gave it in parentheses (the full name with
    /// at least two articles and two thirds of that evidence, and not itself a short name
    /// of another: one article's parentheses are too often a gloss, `(دار القرار)`), else
    /// the id itself.
    pub fn canonical_id<'a>(&'a self, id: &'a str) -> &'a str {
        let Some(targets) = self.aliases.get(id) else { return id };
        let total: u64 = targets.values().sum();
        let best = targets.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
        match best {
            Some((t, &n)) if n >= 2 && n * 3 >= total * 2 && t != id && !self.aliases.contains_key(t) => t,
            _ => id,
        }
    }

    /// Every full name with the short names listed under it: those whose
    /// [`Registry::canonical_id`] it is.
    pub fn alias_groups(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for a in self.aliases.keys() {
            let t = self.canonical_id(a);
            if t != a.as_str() {
                out.entry(t).or_default().push(a.as_str());
            }
        }
        out
    }

    /// Adds one analyzed article's entities.
    pub fn add_document(&mut self, doc: &khabar::Document) {
        self.version = 1;
        self.add_aliases(doc);
        let mut per_record: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
        for e in &doc.entities {
            *per_record.entry(e.id.as_str()).or_default().entry(doc.slice(e.span).to_string()).or_default() += 1;
        }
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for r in &doc.entity_index {
            let id = corpus_id(r);
            let stats = self.entities.entry(id.clone()).or_insert_with(|| EntityStats { kind: r.kind.as_str().to_string(), ..Default::default() });
            if let Some(p) = r.place {
                stats.kind = "LOC".into();
                stats.place = Some(PlaceInfo {
                    geonameid: p.geonameid,
                    country: p.country_code().map(str::to_string),
                    lat: p.lat.map(degrees),
                    lon: p.lon.map(degrees),
                    place_kind: p.kind.as_str().to_string(),
                });
            }
            if let Some(vs) = per_record.get(r.id.as_str()) {
                for (v, n) in vs {
                    *stats.variants.entry(v.clone()).or_default() += n;
                }
            }
            // Two records of one article may share a corpus id (spelling variants the
            // document's linker kept apart): the article counts once.
            if seen.insert(id) {
                stats.articles += 1;
                *stats.names.entry(r.name.clone()).or_default() += 1;
                let key_words = canonical_key(&r.name).split(' ').count();
                let titled = khabar_text::normalize(&r.name, khabar_text::Profile::Search).split_whitespace().count() > key_words;
                if r.mentions > 1 || key_words > 1 || titled {
                    stats.supported += 1;
                }
            }
        }
    }

    /// Records the short names an article gives its organizations in parentheses right
    /// after a mention of the full name (the linker has joined both in one record).
    fn add_aliases(&mut self, doc: &khabar::Document) {
        let text = doc.text();
        let mut found: std::collections::BTreeSet<(String, String)> = std::collections::BTreeSet::new();
        for r in doc.entity_index.iter().filter(|r| r.kind == khabar::EntityType::Org && r.place.is_none()) {
            let full = corpus_id(r);
            let mentions: Vec<&khabar::Entity> = doc.entities.iter().filter(|e| e.id == r.id).collect();
            for pair in mentions.windows(2) {
                let (a, b) = (pair[0].span, pair[1].span);
                let (Some(between), Some(after)) = (text.get(a.end as usize..b.start as usize), text.get(b.end as usize..)) else {
                    continue;
                };
                if between.trim() != "(" || !after.trim_start().starts_with(')') {
                    continue;
                }
                let short = format!("ORG:{}", key_of("ORG", doc.slice(b)));
                if short != full && short.len() > "ORG:".len() {
                    found.insert((short, full.clone()));
                }
            }
        }
        // Once per article.
        for (short, full) in found {
            *self.aliases.entry(short).or_default().entry(full).or_default() += 1;
        }
    }
}

fn degrees(v: f32) -> f64 {
    (f64::from(v) * 1e5).round() / 1e5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_share_a_key() {
        assert_eq!(canonical_key("سلمان بن عبدالعزيز"), canonical_key("سلمان بن عبد العزيز"));
        assert_eq!(canonical_key("الأمم المتحدة"), canonical_key("الامم المتحده"));
        assert_eq!(canonical_key("الرئيس عبد الفتاح السيسي"), canonical_key("عبدالفتاح السيسي"));
        assert_eq!(canonical_key("فائز السراج"), canonical_key("فايز السراج"));
        assert_ne!(canonical_key("فائز السراج"), canonical_key("أحمد السراج"));
        // Clitics the mention took in before the article.
        assert_eq!(canonical_key("للأمم المتحدة"), canonical_key("الأمم المتحدة"));
        assert_eq!(canonical_key("والأمم المتحدة"), canonical_key("الأمم المتحدة"));
        assert_eq!(canonical_key("بالاتحاد الأوروبي"), canonical_key("الاتحاد الأوروبي"));
        assert_ne!(canonical_key("بشار الأسد"), canonical_key("شار الأسد"));
        // `الله` keeps its article (what is left would be too short to be a name).
        assert_eq!(canonical_key("حزب الله"), "حزب الله");
    }

    #[test]
    fn long_and_short_forms_of_a_person_share_a_key() {
        let k = |n: &str| key_of("PERS", n);
        assert_eq!(k("سلمان بن عبدالعزيز آل سعود"), k("سلمان بن عبد العزيز"));
        assert_eq!(k("محمد بن سلمان بن عبدالعزيز آل سعود"), k("محمد بن سلمان"));
        assert_eq!(k("محمد بن نايف بن عبدالعزيز"), k("محمد بن نايف"));
        assert_eq!(k("عادل بن أحمد الجبير"), k("عادل الجبير"));
        assert_eq!(k("خالد الفيصل بن عبدالعزيز"), k("خالد الفيصل"));
        assert_eq!(k("الأمير محمد ابن سلمان"), k("محمد بن سلمان"));
        // Different people stay apart.
        assert_ne!(k("محمد بن سلمان"), k("محمد بن نايف"));
        assert_ne!(k("عبدالله بن عبدالعزيز"), k("عبدالله بن مساعد"));
        assert_ne!(k("عادل الجبير"), k("عادل الطريفي"));
        assert_eq!(k("أسامة بن لادن"), "اسامه بن لادن");
        // Only persons: an organization's words are all its name.
        assert_eq!(key_of("ORG", "مجلس التعاون لدول الخليج العربية"), canonical_key("مجلس التعاون لدول الخليج العربية"));
    }

    #[test]
    fn the_display_name_is_the_most_frequent_form() {
        let mut s = EntityStats::default();
        s.variants.insert("السعوديه".into(), 3);
        s.variants.insert("السعودية".into(), 10);
        assert_eq!(s.display_name(), Some("السعودية"));
    }

    #[test]
    fn a_short_name_goes_to_the_full_name_two_articles_gave_it() {
        let mut r = Registry::default();
        let id = |s: &str| s.to_string();
        r.aliases.insert(id("ORG:فيفا"), [(id("ORG:اتحاد دولي لكره قدم"), 88), (id("ORG:اتحاد دولي"), 25)].into());
        r.aliases.insert(id("ORG:دار قرار"), [(id("ORG:مجلس تعاون"), 1)].into());
        r.aliases.insert(id("ORG:بنك مركزي"), [(id("ORG:موسسه نقد"), 5), (id("ORG:مجلس احتياط"), 4)].into());
        assert_eq!(r.canonical_id("ORG:فيفا"), "ORG:اتحاد دولي لكره قدم");
        // One article is not enough; nor is a name shared among several full names.
        assert_eq!(r.canonical_id("ORG:دار قرار"), "ORG:دار قرار");
        assert_eq!(r.canonical_id("ORG:بنك مركزي"), "ORG:بنك مركزي");
        assert_eq!(r.canonical_id("ORG:حماس"), "ORG:حماس");
        assert_eq!(r.alias_groups().get("ORG:اتحاد دولي لكره قدم"), Some(&vec!["ORG:فيفا"]));
        assert_eq!(r.alias_groups().len(), 1);
    }

    #[test]
    fn a_single_unsupported_word_is_noise() {
        let s = EntityStats { kind: "PERS".into(), articles: 10, supported: 2, ..Default::default() };
        assert!(s.is_noise("غريب", 10));
        let s = EntityStats { kind: "ORG".into(), articles: 10, supported: 2, ..Default::default() };
        assert!(!s.is_noise("رويترز", 11));
        assert!(s.is_noise("ريال", 400));
        assert!(!s.is_noise("فايز سراج", 10));
        let s = EntityStats { kind: "PERS".into(), articles: 10, supported: 6, ..Default::default() };
        assert!(!s.is_noise("ميسي", 12));
        // `على` is tagged in 10 articles and written in thousands.
        assert!(s.is_noise("علي", 5000));
    }
}
