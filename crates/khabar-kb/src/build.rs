//! Building the knowledge base from `../shared/data` (`khabar train kb`).
//!
//! Each `add_*` reads one source; [`Builder::finish`] orders every key's candidates (places
//! by population, then currencies, name parts and corpus names) and frames the artifact.
//! Deterministic: the same files give the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::{key, Candidate, Kb, Kind, Source};

/// Errors while building, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A source file cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A source file is not in the expected format.
    #[error("{path}: {reason}")]
    Format {
        /// The file (with a line number when known).
        path: String,
        /// What is wrong.
        reason: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io { path: path.display().to_string(), source }
}

fn format_err(path: &Path, reason: impl Into<String>) -> BuildError {
    BuildError::Format { path: path.display().to_string(), reason: reason.into() }
}

fn read_text(path: &Path) -> Result<String, BuildError> {
    let f = std::fs::File::open(path).map_err(io(path))?;
    let mut s = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(f).read_to_string(&mut s).map_err(io(path))?;
    } else {
        BufReader::new(f).read_to_string(&mut s).map_err(io(path))?;
    }
    Ok(s)
}

/// Whether a name is written in Arabic letters only (no Persian, Urdu, Pashto or Kurdish
/// letters such as گ پ چ ژ ھ ی ک, which GeoNames mixes in without a language tag).
pub fn arabic_only(name: &str) -> bool {
    let mut letters = 0;
    for c in name.chars() {
        match c {
            '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => letters += 1,
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | ' ' | '-' | '\'' | '\u{2019}' | '(' | ')' => {}
            _ => return false,
        }
    }
    letters >= 2
}

/// Counts of what was added, by source and kind (for the recipe).
pub type Counts = BTreeMap<(String, String), usize>;

/// Collects candidates by key.
#[derive(Default)]
pub struct Builder {
    entries: HashMap<String, Vec<Candidate>>,
    counts: Counts,
}

const NONE2: [u8; 2] = [0; 2];

fn country_bytes(code: &str) -> [u8; 2] {
    let b = code.as_bytes();
    if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
        [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]
    } else {
        NONE2
    }
}

fn code3(code: &str) -> [u8; 3] {
    let b = code.as_bytes();
    if b.len() == 3 && b.iter().all(u8::is_ascii_alphanumeric) {
        [b[0], b[1], b[2]]
    } else {
        [0; 3]
    }
}

fn cand(kind: Kind, source: Source) -> Candidate {
    Candidate { kind, source, prior: 0, geonameid: 0, country: NONE2, code: [0; 3], lat: f32::NAN, lon: f32::NAN }
}

/// The administrative words before a subdivision's name (`شعبية سبها`, `محافظة تعز`,
/// `ولاية الخرطوم`), left out for the name's second key.
const ADMIN_WORDS: &[&str] = &[
    "محافظة", "ولاية", "منطقة", "إقليم", "اقليم", "شعبية", "مقاطعة", "قضاء", "إمارة", "امارة", "جهة", "بلدية", "مديرية", "عمالة",
    "دائرة", "كانتون", "مدينة", "جزيرة", "جزر", "لواء", "ناحية", "الإقليم", "مقاطعه",
];

/// CLDR's numeric world regions that are continents, with GeoNames' continent code.
const CONTINENTS: &[(&str, &str)] = &[("002", "AF"), ("142", "AS"), ("150", "EU"), ("009", "OC"), ("005", "SA"), ("003", "NA"), ("AQ", "AN")];

/// `<tag type="X" …>text</tag>` elements of a CLDR file, as (type, alt, text).
fn cldr_elements<'a>(xml: &'a str, tag: &str) -> Vec<(&'a str, Option<&'a str>, &'a str)> {
    let open = format!("<{tag} type=\"");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    for line in xml.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix(&open) else { continue };
        let Some((ty, rest)) = rest.split_once('"') else { continue };
        let Some((attrs, rest)) = rest.split_once('>') else { continue };
        let Some(text) = rest.strip_suffix(close.as_str()) else { continue };
        let alt = attrs.split_once("alt=\"").and_then(|(_, a)| a.split_once('"')).map(|(a, _)| a);
        out.push((ty, alt, text));
    }
    out
}

impl Builder {
    /// An empty builder.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Adds one candidate under a name (skipped when the name is not Arabic-only).
    pub fn add(&mut self, name: &str, c: Candidate) -> bool {
        if !arabic_only(name) {
            return false;
        }
        let k = key(name);
        if k.is_empty() {
            return false;
        }
        let list = self.entries.entry(k).or_default();
        // One candidate per thing per key: a place listed twice under one spelling, or a
        // name from two corpora, is one candidate (the larger prior kept).
        if let Some(old) = list.iter_mut().find(|o| same_thing(o, &c)) {
            old.prior = old.prior.max(c.prior);
            return true;
        }
        list.push(c);
        *self.counts.entry((format!("{:?}", c.source), c.kind.name().to_string())).or_default() += 1;
        true
    }

    /// What was added so far, by source and kind.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// GeoNames: `cities_ar.jsonl.gz` (populated places with Arabic names), `countries.json`
    /// (population and geonameid of each country, whose Arabic names come from CLDR) and
    /// `continents.json`. Returns the country table for [`Builder::add_cldr`].
    ///
    /// # Errors
    /// Unreadable or malformed files, named.
    pub fn add_geonames(&mut self, dir: &Path) -> Result<GeoCountries, BuildError> {
        let cities = dir.join("cities_ar.jsonl.gz");
        let text = read_text(&cities)?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format_err(&cities, format!("line {}: {e}", n + 1)))?;
            let c = Candidate {
                prior: v["population"].as_u64().unwrap_or(0).min(u64::from(u32::MAX)) as u32,
                geonameid: v["geonameid"].as_u64().unwrap_or(0) as u32,
                country: country_bytes(v["country"].as_str().unwrap_or("")),
                lat: v["lat"].as_f64().map_or(f32::NAN, |x| x as f32),
                lon: v["lon"].as_f64().map_or(f32::NAN, |x| x as f32),
                ..cand(Kind::City, Source::GeoNames)
            };
            for name in v["names"].as_array().into_iter().flatten().filter_map(|x| x.as_str()) {
                self.add(name, c);
            }
        }
        let countries = dir.join("countries.json");
        let v: serde_json::Value = serde_json::from_str(&read_text(&countries)?).map_err(|e| format_err(&countries, e.to_string()))?;
        let mut geo = GeoCountries::default();
        for (iso, c) in v.as_object().into_iter().flatten() {
            geo.countries.insert(
                iso.clone(),
                (
                    c["geonameid"].as_u64().unwrap_or(0) as u32,
                    c["population"].as_u64().unwrap_or(0).min(u64::from(u32::MAX)) as u32,
                    c["capital"].as_str().unwrap_or("").trim().to_string(),
                ),
            );
        }
        let continents = dir.join("continents.json");
        let v: serde_json::Value = serde_json::from_str(&read_text(&continents)?).map_err(|e| format_err(&continents, e.to_string()))?;
        for (code, c) in v.as_object().into_iter().flatten() {
            let num = |k: &str| c[k].as_str().and_then(|s| s.parse::<f32>().ok()).or_else(|| c[k].as_f64().map(|x| x as f32));
            geo.continents.insert(
                code.clone(),
                (
                    c["geonameId"].as_u64().unwrap_or(0) as u32,
                    c["population"].as_u64().unwrap_or(0).min(u64::from(u32::MAX)) as u32,
                    num("lat").unwrap_or(f32::NAN),
                    num("lng").unwrap_or(f32::NAN),
                ),
            );
        }
        // The cities' ASCII names, for CLDR's time-zone cities below.
        for line in text.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let (Some(name), Some(cc)) = (v["name"].as_str(), v["country"].as_str()) {
                    geo.city_names.entry((name.to_string(), cc.to_string())).or_insert(());
                }
            }
        }
        Ok(geo)
    }

    /// CLDR: territory names (countries; continents and world regions), subdivisions (with
    /// and without their administrative word), currencies with their plural and dual forms
    /// and head words, and the time-zone city of a capital that GeoNames has no Arabic name for.
    ///
    /// # Errors
    /// Unreadable files, named.
    pub fn add_cldr(&mut self, dir: &Path, geo: &GeoCountries) -> Result<(), BuildError> {
        let ar = dir.join("ar.xml");
        let xml = read_text(&ar)?;
        for (ty, _alt, text) in cldr_elements(&xml, "territory") {
            if ty.len() == 2 && ty.bytes().all(|b| b.is_ascii_uppercase()) && ty != "AQ" {
                let (gid, pop, _) = geo.countries.get(ty).cloned().unwrap_or_default();
                self.add(text, Candidate { prior: pop, geonameid: gid, country: country_bytes(ty), ..cand(Kind::Country, Source::Cldr) });
            } else if let Some((_, code)) = CONTINENTS.iter().find(|(t, _)| *t == ty) {
                let (gid, pop, lat, lon) = geo.continents.get(*code).copied().unwrap_or((0, 0, f32::NAN, f32::NAN));
                self.add(text, Candidate { prior: pop, geonameid: gid, lat, lon, ..cand(Kind::Continent, Source::Cldr) });
            } else if ty.bytes().all(|b| b.is_ascii_digit()) && ty != "001" {
                self.add(text, cand(Kind::Region, Source::Cldr));
            }
        }
        // Currencies: every display name and count form, and the head word of the singular
        // (`دولار` of `دولار أمريكي`) with the code when only one currency has that head.
        let mut heads: BTreeMap<String, Vec<[u8; 3]>> = BTreeMap::new();
        let mut in_currency: Option<&str> = None;
        for line in xml.lines() {
            let l = line.trim();
            if let Some(rest) = l.strip_prefix("<currency type=\"") {
                in_currency = rest.split_once('"').map(|(c, _)| c);
                continue;
            }
            if l.starts_with("</currency>") {
                in_currency = None;
                continue;
            }
            let Some(code) = in_currency else { continue };
            let Some(rest) = l.strip_prefix("<displayName") else { continue };
            let Some((attrs, rest)) = rest.split_once('>') else { continue };
            let Some(name) = rest.strip_suffix("</displayName>") else { continue };
            let c = Candidate { code: code3(code), ..cand(Kind::Currency, Source::Cldr) };
            if self.add(name, c) && !attrs.contains("count=") {
                if let Some(head) = name.split_whitespace().next().filter(|h| *h != name) {
                    heads.entry(head.to_string()).or_default().push(code3(code));
                }
            }
        }
        for (head, codes) in heads {
            let mut codes = codes;
            codes.sort_unstable();
            codes.dedup();
            let code = if codes.len() == 1 { codes[0] } else { [0; 3] };
            self.add(&head, Candidate { code, ..cand(Kind::Currency, Source::Cldr) });
        }
        // Capitals with no Arabic name in GeoNames: CLDR names the time zone's city.
        for (zone, _, city) in cldr_zone_cities(&xml) {
            let Some(place) = zone.rsplit('/').next().map(|z| z.replace('_', " ")) else { continue };
            for (iso, (_, _, capital)) in &geo.countries {
                if capital == &place && !geo.city_names.contains_key(&(capital.clone(), iso.clone())) {
                    self.add(city, Candidate { country: country_bytes(iso), ..cand(Kind::City, Source::Cldr) });
                }
            }
        }
        let sub = dir.join("subdivisions-ar.xml");
        let xml = read_text(&sub)?;
        for (ty, _, text) in cldr_elements(&xml, "subdivision") {
            let c = Candidate { country: country_bytes(ty.get(..2).unwrap_or("")), ..cand(Kind::Region, Source::Cldr) };
            self.add(text, c);
            let mut words = text.split_whitespace();
            if let Some(first) = words.next() {
                let rest: Vec<&str> = words.collect();
                if ADMIN_WORDS.contains(&first) && !rest.is_empty() {
                    self.add(&rest.join(" "), c);
                }
            }
        }
        Ok(())
    }

    /// Wikidata name parts: `latin<TAB>arabic<TAB>count` rows (a header row allowed).
    ///
    /// # Errors
    /// An unreadable file or a row without three fields, named with its line.
    pub fn add_name_parts(&mut self, path: &Path) -> Result<(), BuildError> {
        let f = std::fs::File::open(path).map_err(io(path))?;
        for (n, line) in BufReader::new(f).lines().enumerate() {
            let line = line.map_err(io(path))?;
            let cols: Vec<&str> = line.split('\t').collect();
            if n == 0 && cols.first() == Some(&"latin") {
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let [_, arabic, count] = cols[..] else {
                return Err(format_err(path, format!("line {}: expected latin<TAB>arabic<TAB>count", n + 1)));
            };
            let count: u32 = count.trim().parse().map_err(|_| format_err(path, format!("line {}: count `{count}` is not a number", n + 1)))?;
            self.add(arabic, Candidate { prior: count, ..cand(Kind::PersonName, Source::Wikidata) });
        }
        Ok(())
    }

    /// The hand-checked list: `name<TAB>kind<TAB>country<TAB>source` rows, `#` comments;
    /// kind is `country`, `city`, `region` or `currency` (then the third column is the
    /// ISO 4217 code). The country's or city's geonameid, population and coordinates are
    /// taken from the same place already in the KB under another name, when there is one.
    ///
    /// # Errors
    /// An unreadable file or a malformed row, named with its line.
    pub fn add_curated(&mut self, path: &Path) -> Result<(), BuildError> {
        let text = read_text(path)?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 4 {
                return Err(format_err(path, format!("line {}: expected name<TAB>kind<TAB>code<TAB>source[<TAB>geonameid<TAB>population<TAB>lat<TAB>lon]", n + 1)));
            }
            let (name, kind, code, source) = (cols[0], cols[1], cols[2], cols[3]);
            if source.trim().is_empty() {
                return Err(format_err(path, format!("line {}: every row names its source", n + 1)));
            }
            let kind = match kind {
                "country" => Kind::Country,
                "city" => Kind::City,
                "region" => Kind::Region,
                "currency" => Kind::Currency,
                other => return Err(format_err(path, format!("line {}: unknown kind `{other}`", n + 1))),
            };
            let num = |i: usize| -> Result<Option<f64>, BuildError> {
                match cols.get(i).map(|s| s.trim()).filter(|s| !s.is_empty()) {
                    None => Ok(None),
                    Some(v) => v.parse::<f64>().map(Some).map_err(|_| format_err(path, format!("line {}: `{v}` is not a number", n + 1))),
                }
            };
            let mut c = cand(kind, Source::Curated);
            if kind == Kind::Currency {
                c.code = code3(code);
            } else {
                c.country = country_bytes(code);
                let gid = num(4)?.map(|g| g as u32);
                // The same place known under another name gives the id, population and
                // coordinates: by geonameid when the row has one, else (a country) by code.
                let known = self
                    .entries
                    .values()
                    .flatten()
                    .filter(|o| o.source != Source::Corpus && o.kind == kind && o.country == c.country)
                    .filter(|o| match gid {
                        Some(g) => o.geonameid == g,
                        None => kind == Kind::Country,
                    })
                    .max_by_key(|o| (o.prior, o.geonameid))
                    .copied();
                if let Some(k) = known {
                    c = Candidate { source: Source::Curated, ..k };
                } else if let Some(g) = gid {
                    c.geonameid = g;
                    c.prior = num(5)?.unwrap_or(0.0) as u32;
                    c.lat = num(6)?.map_or(f32::NAN, |x| x as f32);
                    c.lon = num(7)?.map_or(f32::NAN, |x| x as f32);
                }
            }
            if !self.add(name, c) {
                return Err(format_err(path, format!("line {}: `{name}` is not written in Arabic letters", n + 1)));
            }
        }
        Ok(())
    }

    /// A name from a labeled training corpus with its class (`PERS`, `LOC`, `ORG`, `MISC`)
    /// and how often it was seen so.
    pub fn add_corpus_name(&mut self, name: &str, class: &str, count: u32) {
        let kind = match class {
            "PERS" => Kind::Person,
            "LOC" => Kind::Place,
            "ORG" => Kind::Organization,
            _ => Kind::OtherName,
        };
        self.add(name, Candidate { prior: count, ..cand(kind, Source::Corpus) });
    }

    /// Orders each key's candidates and frames the artifact. `recipe` is recorded as is.
    pub fn finish(mut self, recipe: &str) -> Result<Vec<u8>, BuildError> {
        let mut keys: Vec<String> = self.entries.keys().cloned().collect();
        keys.sort_unstable();
        let mut cands = Vec::new();
        let mut fst = fst::MapBuilder::memory();
        for k in keys {
            let Some(mut list) = self.entries.remove(&k) else { continue };
            list.sort_by(|a, b| rank(a).cmp(&rank(b)).then(b.prior.cmp(&a.prior)).then(a.geonameid.cmp(&b.geonameid)).then(a.country.cmp(&b.country)));
            list.truncate(255);
            let v = ((cands.len() as u64) << 8) | list.len() as u64;
            cands.extend(list);
            fst.insert(&k, v).map_err(|e| BuildError::Format { path: "knowledge base".into(), reason: e.to_string() })?;
        }
        let bytes = fst.into_inner().map_err(|e| BuildError::Format { path: "knowledge base".into(), reason: e.to_string() })?;
        Ok(Kb::encode(recipe, &cands, &bytes))
    }
}

/// Candidate order across kinds: countries, continents and cities of 100,000 or more first
/// (by population within), then currencies (`يورو` before a Honduran department), other
/// places, name parts, and names seen in the corpora.
fn rank(c: &Candidate) -> u8 {
    match (c.kind, c.source) {
        (_, Source::Corpus) => 5,
        (Kind::Country | Kind::Continent, _) => 1,
        (Kind::City, _) if c.prior >= 100_000 => 1,
        (Kind::Currency, _) => 2,
        (Kind::PersonName, _) => 4,
        _ => 3,
    }
}

fn same_thing(a: &Candidate, b: &Candidate) -> bool {
    a.kind == b.kind && a.source == b.source && a.geonameid == b.geonameid && a.country == b.country && a.code == b.code
}

/// `<zone type="Africa/Nouakchott"><exemplarCity>نواكشوط</exemplarCity>` pairs.
fn cldr_zone_cities(xml: &str) -> Vec<(&str, (), &str)> {
    let mut out = Vec::new();
    let mut zone: Option<&str> = None;
    for line in xml.lines() {
        let l = line.trim();
        if let Some(rest) = l.strip_prefix("<zone type=\"") {
            zone = rest.split_once('"').map(|(z, _)| z);
        } else if let Some(rest) = l.strip_prefix("<exemplarCity>") {
            if let (Some(z), Some(city)) = (zone, rest.strip_suffix("</exemplarCity>")) {
                out.push((z, (), city));
            }
        } else if l.starts_with("</zone>") {
            zone = None;
        }
    }
    out
}

/// What GeoNames says of countries and continents (by ISO code).
#[derive(Default, Debug)]
pub struct GeoCountries {
    /// ISO code → (geonameid, population, capital's ASCII name).
    pub countries: BTreeMap<String, (u32, u32, String)>,
    /// Continent code → (geonameid, population, lat, lon).
    pub continents: BTreeMap<String, (u32, u32, f32, f32)>,
    /// (ASCII name, country) of every city in the Arabic-named file.
    pub city_names: BTreeMap<(String, String), ()>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_arabic_letters_make_a_name() {
        assert!(arabic_only("طرابلس"));
        assert!(arabic_only("أديس أبابا"));
        assert!(!arabic_only("شانگهای"));
        assert!(!arabic_only("سبھا"));
        assert!(!arabic_only("ب"));
    }

    #[test]
    fn cldr_elements_are_read_with_their_alt() {
        let xml = "<territory type=\"LY\">ليبيا</territory>\n\t\t<territory type=\"PS\" alt=\"short\">فلسطين</territory>";
        assert_eq!(cldr_elements(xml, "territory"), vec![("LY", None, "ليبيا"), ("PS", Some("short"), "فلسطين")]);
    }
}

/// The country table of place linking (`khabar train countries`, see [`crate::countries`]):
/// each ISO code's GeoNames id and capital coordinates from GeoNames, and the nationality
/// adjectives of its Arabic names (CLDR's territory names and the curated short names). An
/// adjective two countries would share is left out.
///
/// # Errors
/// Unreadable or malformed files, named.
pub fn country_table(geonames: &Path, cldr: &Path, curated: &Path) -> Result<String, BuildError> {
    use std::collections::BTreeSet;
    let countries = geonames.join("countries.json");
    let v: serde_json::Value = serde_json::from_str(&read_text(&countries)?).map_err(|e| format_err(&countries, e.to_string()))?;
    // (ISO) → (geonameid, capital's ASCII name)
    let mut table: BTreeMap<String, (u32, String)> = BTreeMap::new();
    for (iso, c) in v.as_object().into_iter().flatten() {
        table.insert(iso.clone(), (c["geonameid"].as_u64().unwrap_or(0) as u32, c["capital"].as_str().unwrap_or("").trim().to_string()));
    }
    // The capital's coordinates: the most populous place of that name in that country.
    let cities = geonames.join("cities_ar.jsonl.gz");
    let mut capital_at: HashMap<String, (u64, f64, f64)> = HashMap::new();
    let mut largest: HashMap<String, (u64, f64, f64)> = HashMap::new();
    for (n, line) in read_text(&cities)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let c: serde_json::Value = serde_json::from_str(line).map_err(|e| format_err(&cities, format!("line {}: {e}", n + 1)))?;
        let (Some(name), Some(cc)) = (c["name"].as_str(), c["country"].as_str()) else { continue };
        let pop = c["population"].as_u64().unwrap_or(0);
        let (lat, lon) = (c["lat"].as_f64().unwrap_or(f64::NAN), c["lon"].as_f64().unwrap_or(f64::NAN));
        let e = largest.entry(cc.to_string()).or_insert((pop, lat, lon));
        if pop > e.0 {
            *e = (pop, lat, lon);
        }
        if table.get(cc).is_some_and(|(_, cap)| cap == name) {
            let e = capital_at.entry(cc.to_string()).or_insert((pop, lat, lon));
            if pop > e.0 {
                *e = (pop, lat, lon);
            }
        }
    }
    // Arabic names: CLDR territories (every alt), then the curated country rows.
    let ar = cldr.join("ar.xml");
    let xml = read_text(&ar)?;
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (ty, _alt, text) in cldr_elements(&xml, "territory") {
        if ty.len() == 2 && table.contains_key(ty) {
            names.entry(ty.to_string()).or_default().insert(text.to_string());
        }
    }
    for line in read_text(curated)?.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() >= 3 && cols[1] == "country" {
            names.entry(cols[2].to_string()).or_default().insert(cols[0].to_string());
        }
    }
    let mut claimed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (iso, ns) in &names {
        for n in ns {
            for f in crate::countries::nisba_forms(n) {
                claimed.entry(f).or_default().insert(iso.clone());
            }
        }
    }
    let mut out = String::from(
        "# The country table of place linking, written by `khabar train countries` (see models/RECIPES.md).\n\
         # ISO<TAB>geonameid<TAB>latitude<TAB>longitude (of the capital, or of the largest place when the file lacks the capital)<TAB>nationality adjectives (normalized)\n\
         # Data: GeoNames (geonames.org, CC BY 4.0) countries.json and cities_ar.jsonl.gz; Unicode CLDR ar.xml.\n",
    );
    for (iso, (gid, _)) in &table {
        // The capital, unless the file only has a small namesake of it (Washington, Utah):
        // then the largest place.
        let at = match (capital_at.get(iso), largest.get(iso)) {
            (Some(c), Some(l)) if c.0 * 20 < l.0 => Some(l),
            (Some(c), _) => Some(c),
            (None, l) => l,
        };
        let (lat, lon) = at.map_or((String::new(), String::new()), |c| (format!("{:.4}", c.1), format!("{:.4}", c.2)));
        let adjs: Vec<&str> = claimed.iter().filter(|(_, isos)| isos.len() == 1 && isos.contains(iso)).map(|(f, _)| f.as_str()).collect();
        out.push_str(&format!("{iso}\t{gid}\t{lat}\t{lon}\t{}\n", adjs.join(",")));
    }
    Ok(out)
}
