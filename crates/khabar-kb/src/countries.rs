//! The country table place linking reads beside the knowledge base (`models/countries.tsv`,
//! built by `khabar train countries`): for each ISO 3166-1 code its GeoNames id, a point
//! to draw it at (its capital's coordinates, GeoNames having no centroid for countries in
//! `../shared/data`) and the nationality adjectives that name it (`ليبي`, `الليبية`).
//!
//! A separate small artifact rather than new rows in `kb.khm`: the tagger records the KB's
//! checksum, so linking-only data kept there would force a retrain of `ner.khm`.
//!
//! The file is text, one country a line:
//! `ISO<TAB>geonameid<TAB>lat<TAB>lon<TAB>adjective,adjective,…` (adjectives as
//! [`crate::key`]s: `search`-normalized), `#` comments.

use std::collections::HashMap;

/// One country of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`LY`).
    pub iso: [u8; 2],
    /// GeoNames id of the country.
    pub geonameid: u32,
    /// Latitude of its capital (NaN when unknown).
    pub lat: f32,
    /// Longitude of its capital (NaN when unknown).
    pub lon: f32,
}

impl Country {
    /// The code as text.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.iso).unwrap_or("")
    }
}

/// The country table.
#[derive(Debug, Default, Clone)]
pub struct Countries {
    by_iso: HashMap<[u8; 2], Country>,
    by_adjective: HashMap<String, [u8; 2]>,
}

impl Countries {
    /// Parses the table.
    ///
    /// # Errors
    /// A message naming the line that is malformed.
    pub fn parse(text: &str) -> Result<Countries, String> {
        let mut t = Countries::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let bad = |what: &str| format!("country table line {}: {what}", n + 1);
            if cols.len() != 5 {
                return Err(bad("expected ISO<TAB>geonameid<TAB>lat<TAB>lon<TAB>adjectives"));
            }
            let iso: [u8; 2] = match cols[0].as_bytes() {
                [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => [*a, *b],
                _ => return Err(bad("the code is not two capital letters")),
            };
            let geonameid = cols[1].parse().map_err(|_| bad("geonameid is not a number"))?;
            let coord = |s: &str| if s.is_empty() { Ok(f32::NAN) } else { s.parse::<f32>().map_err(|_| bad("a coordinate is not a number")) };
            let (lat, lon) = (coord(cols[2])?, coord(cols[3])?);
            for adj in cols[4].split(',').map(str::trim).filter(|a| !a.is_empty()) {
                t.by_adjective.insert(adj.to_string(), iso);
            }
            t.by_iso.insert(iso, Country { iso, geonameid, lat, lon });
        }
        Ok(t)
    }

    /// The country of an ISO code.
    pub fn get(&self, iso: [u8; 2]) -> Option<&Country> {
        self.by_iso.get(&iso)
    }

    /// The country a nationality adjective names, by its normalized form (`الليبيه` → LY).
    pub fn of_adjective(&self, key: &str) -> Option<[u8; 2]> {
        self.by_adjective.get(key).copied()
    }

    /// Every nationality adjective of the table, as normalized keys, in no fixed order.
    pub fn adjectives(&self) -> impl Iterator<Item = &str> {
        self.by_adjective.keys().map(String::as_str)
    }

    /// Number of countries.
    pub fn len(&self) -> usize {
        self.by_iso.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.by_iso.is_empty()
    }
}

/// The nationality adjectives of a country's Arabic name, as keys: the nisba (`ليبيا` →
/// `ليبي`, `مصر` → `مصري`, `أفغانستان` → `أفغاني`), masculine and feminine, with and
/// without the article. Names of several words, and names ending in ي or و (`مالي`,
/// whose nisba would be the word for "financial"), give none.
pub fn nisba_forms(name: &str) -> Vec<String> {
    let k = crate::key(name);
    if k.contains(' ') {
        return Vec::new();
    }
    let bare = k.strip_prefix("ال").unwrap_or(&k);
    let chars: Vec<char> = bare.chars().collect();
    if chars.len() < 3 || matches!(chars.last(), Some('ي' | 'و')) {
        return Vec::new();
    }
    let mut stems = Vec::new();
    if let Some(s) = bare.strip_suffix("يا") {
        stems.push(format!("{s}ي"));
    } else if let Some(s) = bare.strip_suffix("يه") {
        stems.push(format!("{s}ي"));
    } else if let Some(s) = bare.strip_suffix('ه').or_else(|| bare.strip_suffix('ا')) {
        stems.push(format!("{s}ي"));
    } else {
        stems.push(format!("{bare}ي"));
        if let Some(s) = bare.strip_suffix("ستان") {
            if s.chars().count() >= 3 {
                stems.push(format!("{s}ي"));
            }
        }
    }
    let mut out = Vec::new();
    for s in stems {
        for f in [s.clone(), format!("{s}ه")] {
            out.push(format!("ال{f}"));
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nisba_of_country_names() {
        assert!(nisba_forms("ليبيا").contains(&"الليبي".to_string()));
        assert!(nisba_forms("تونس").contains(&"التونسيه".to_string()));
        assert!(nisba_forms("الأردن").contains(&"الاردنيه".to_string()));
        assert!(nisba_forms("السعودية").contains(&"السعودي".to_string()));
        assert!(nisba_forms("أفغانستان").contains(&"الافغاني".to_string()));
        assert!(nisba_forms("مالي").is_empty());
        assert!(nisba_forms("الولايات المتحدة").is_empty());
    }

    #[test]
    fn table_parses_and_reports_bad_lines() {
        let t = Countries::parse("# c\nLY\t2215636\t32.9\t13.2\tليبي,الليبيه\n").unwrap();
        assert_eq!(t.of_adjective("الليبيه"), Some(*b"LY"));
        assert_eq!(t.get(*b"LY").unwrap().geonameid, 2215636);
        let e = Countries::parse("LY\tx\t1\t2\t").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }
}
