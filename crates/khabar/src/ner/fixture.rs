//! The real-news entity fixture (`crates/khabar/tests/data/entities/`): PERS, LOC and ORG
//! mentions annotated by hand in SaudiNewsNet and ANT articles, and how a document's
//! entities are scored against them.

use std::collections::BTreeMap;

use super::score::fractions;
use crate::{CodepointIndex, Document, EntityType};

/// One annotated mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldEntity {
    /// `snn:N` or `ant:N`: line N (from 1) of the SaudiNewsNet or ANT file.
    pub article: String,
    /// First code point of the mention in the article's `text`.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// PERS, LOC or ORG.
    pub kind: EntityType,
}

/// Parses a fixture: `# REF` lines list the annotated articles (also those without a
/// mention), then `article<TAB>start<TAB>end<TAB>TYPE<TAB>surface` lines. Returns every
/// listed article with its mentions.
///
/// # Errors
/// A malformed line, named by its number.
pub fn parse_fixture(text: &str) -> std::result::Result<BTreeMap<String, Vec<GoldEntity>>, String> {
    let mut out: BTreeMap<String, Vec<GoldEntity>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(r) = line.strip_prefix("# ").map(str::trim) {
            if r.split_once(':').is_some_and(|(c, l)| (c == "snn" || c == "ant") && l.parse::<usize>().is_ok()) {
                out.entry(r.to_string()).or_default();
            }
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what: &str| format!("line {}: {what}", n + 1);
        let [article, start, end, kind, _surface] = line.split('\t').collect::<Vec<_>>()[..] else {
            return Err(bad("expected article<TAB>start<TAB>end<TAB>type<TAB>surface"));
        };
        let num = |s: &str| s.parse::<usize>().map_err(|_| bad(&format!("`{s}` is not an offset")));
        let (start, end) = (num(start)?, num(end)?);
        if end <= start {
            return Err(bad("empty span"));
        }
        let kind = match kind {
            "PERS" => EntityType::Pers,
            "LOC" => EntityType::Loc,
            "ORG" => EntityType::Org,
            other => return Err(bad(&format!("type `{other}` is not PERS, LOC or ORG"))),
        };
        out.entry(article.to_string()).or_default().push(GoldEntity { article: article.to_string(), start, end, kind });
    }
    Ok(out)
}

/// Counts per type (PERS, LOC, ORG) and for all three.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct EntityScore {
    /// Gold mentions, per type (PERS, LOC, ORG).
    pub gold: [usize; 3],
    /// System mentions of those types.
    pub system: [usize; 3],
    /// System mentions with the gold's span and type.
    pub correct: [usize; 3],
    /// Gold mentions whose span a system mention of any of the three types has.
    pub span_only: usize,
}

fn slot(kind: EntityType) -> Option<usize> {
    match kind {
        EntityType::Pers => Some(0),
        EntityType::Loc => Some(1),
        EntityType::Org => Some(2),
        EntityType::Misc => None,
    }
}

impl EntityScore {
    /// Adds another score.
    pub fn add(&mut self, o: &EntityScore) {
        for i in 0..3 {
            self.gold[i] += o.gold[i];
            self.system[i] += o.system[i];
            self.correct[i] += o.correct[i];
        }
        self.span_only += o.span_only;
    }
    /// Precision, recall and F1 of one type (0 PERS, 1 LOC, 2 ORG) or, with `None`, of all.
    pub fn prf(&self, slot: Option<usize>) -> (f64, f64, f64) {
        match slot {
            Some(i) => fractions(self.correct[i], self.system[i], self.gold[i]),
            None => fractions(self.correct.iter().sum(), self.system.iter().sum(), self.gold.iter().sum()),
        }
    }
}

/// Whether a system span is the gold one: the same end, and starts that differ at most by
/// one or two proclitic letters (و ف ب ك ل), which the annotators and the tagger may leave
/// in or out of a span (`لبنان` in `ولبنان`).
fn same_span(chars: &[char], gold: (usize, usize), sys: (usize, usize)) -> bool {
    if gold.1 != sys.1 {
        return false;
    }
    let (a, b) = (gold.0.min(sys.0), gold.0.max(sys.0));
    b - a <= 2 && chars.get(a..b).is_some_and(|cs| cs.iter().all(|c| "وفبكل".contains(*c)))
}

/// Scores one analyzed article against its gold mentions, adding to `score`; returns one
/// line per missed or spurious mention (for a tuning file only).
pub fn score_article(article: &str, doc: &Document, golds: &[GoldEntity], score: &mut EntityScore) -> Vec<String> {
    let text = doc.text();
    let cp = CodepointIndex::new(text);
    let chars: Vec<char> = text.chars().collect();
    let surface = |s: usize, e: usize| -> String { chars.get(s..e).map(|c| c.iter().collect()).unwrap_or_default() };
    let found: Vec<(usize, usize, EntityType)> = doc
        .entities
        .iter()
        .filter(|e| slot(e.kind).is_some())
        .map(|e| (cp.cp(e.span.start) as usize, cp.cp(e.span.end) as usize, e.kind))
        .collect();
    let mut used = vec![false; found.len()];
    let mut errors = Vec::new();
    for i in found.iter().filter_map(|f| slot(f.2)) {
        score.system[i] += 1;
    }
    for g in golds {
        let Some(i) = slot(g.kind) else { continue };
        score.gold[i] += 1;
        let same: Vec<usize> = (0..found.len()).filter(|&k| !used[k] && same_span(&chars, (g.start, g.end), (found[k].0, found[k].1))).collect();
        if !same.is_empty() {
            score.span_only += 1;
        }
        if let Some(&k) = same.iter().find(|&&k| found[k].2 == g.kind) {
            used[k] = true;
            score.correct[i] += 1;
            continue;
        }
        let got: Vec<String> = found
            .iter()
            .filter(|f| f.0 < g.end && g.start < f.1)
            .map(|f| format!("{}:{}", f.2.as_str(), surface(f.0, f.1)))
            .collect();
        let ctx = surface(g.start.saturating_sub(15), (g.end + 15).min(chars.len())).replace('\n', " ");
        errors.push(format!("{article} missed {} {} | got {} | …{ctx}…", g.kind.as_str(), surface(g.start, g.end), if got.is_empty() { "-".to_string() } else { got.join(" ; ") }));
    }
    for (k, f) in found.iter().enumerate() {
        if used[k] {
            continue;
        }
        // A wrong-type or wrong-extent mention is already listed with its gold as "missed".
        if golds.iter().any(|g| f.0 < g.end && g.start < f.1) {
            continue;
        }
        let ctx = surface(f.0.saturating_sub(15), (f.1 + 15).min(chars.len())).replace('\n', " ");
        errors.push(format!("{article} spurious {} {} | …{ctx}…", f.2.as_str(), surface(f.0, f.1)));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proclitic_in_or_out_of_the_span_is_the_same_span() {
        let chars: Vec<char> = "زار ولبنان أمس".chars().collect();
        assert!(same_span(&chars, (4, 10), (5, 10)));
        assert!(same_span(&chars, (5, 10), (4, 10)));
        assert!(!same_span(&chars, (5, 10), (5, 9)));
        let chars: Vec<char> = "زار السعودية".chars().collect();
        // `ال` is not a proclitic the spans may differ by.
        assert!(!same_span(&chars, (4, 12), (6, 12)));
    }

    #[test]
    fn the_fixture_lists_articles_without_mentions_too() {
        let f = "# REF<TAB>…\n# snn:5\n# ant:7\nant:7\t0\t4\tLOC\tمصرا\n";
        let m = parse_fixture(f).unwrap();
        assert_eq!(m.len(), 2);
        assert!(m["snn:5"].is_empty());
        assert_eq!(m["ant:7"][0].kind, EntityType::Loc);
        assert!(parse_fixture("ant:7\t0\t4\tMISC\tx\n").is_err());
        assert!(parse_fixture("ant:7\t4\t4\tLOC\tx\n").is_err());
    }
}
