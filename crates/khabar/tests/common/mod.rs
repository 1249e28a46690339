//! Shared by the tests that score the real-news fixtures (`tests/data/places`,
//! `tests/data/entities`): reading the fixtures' articles from `../shared/data`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// `../shared/data`, when this checkout has it (the fixture scores are skipped otherwise).
pub fn shared_data() -> Option<PathBuf> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if data.exists() {
        Some(data)
    } else {
        eprintln!("skipped: {} is absent", data.display());
        None
    }
}

/// The records (`text`, `date`, …) of the named articles, `snn:N` / `ant:N` (line N from 1
/// of the SaudiNewsNet / ANT file), by name.
pub fn articles<'a>(data: &Path, refs: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, serde_json::Value> {
    let mut wanted: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for r in refs {
        let (c, n) = r.split_once(':').unwrap();
        wanted.entry(c).or_default().insert(n.parse().unwrap());
    }
    let mut out = BTreeMap::new();
    for (corpus, lines) in wanted {
        let file = if corpus == "snn" { data.join("saudinewsnet/articles.jsonl.gz") } else { data.join("ant/articles.jsonl.gz") };
        let r = std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(file).unwrap()));
        let last = *lines.iter().max().unwrap();
        for (i, line) in r.lines().enumerate().take(last) {
            if lines.contains(&(i + 1)) {
                out.insert(format!("{corpus}:{}", i + 1), serde_json::from_str(&line.unwrap()).unwrap());
            }
        }
    }
    out
}
