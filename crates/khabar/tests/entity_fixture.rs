//! The real-news entity fixture (`tests/data/entities/`): it parses, its offsets reproduce
//! the annotated surfaces, and the built-in pipeline keeps its scores on both halves when
//! `../shared/data` is present (floors a little under the figures in docs/ner.md, so a
//! change that loses names on real news fails here).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use khabar::ner::fixture::{parse_fixture, score_article, EntityScore};

fn fixture(half: &str) -> (String, BTreeMap<String, Vec<khabar::ner::fixture::GoldEntity>>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/entities/{half}.tsv"));
    let text = std::fs::read_to_string(path).unwrap();
    let parsed = parse_fixture(&text).unwrap();
    (text, parsed)
}

#[test]
fn both_halves_list_their_articles_and_types() {
    for (half, articles) in [("tune", 22), ("sealed", 18)] {
        let (_, parsed) = fixture(half);
        assert_eq!(parsed.len(), articles, "{half}");
        assert!(parsed.values().flatten().count() > 250, "{half}");
    }
}

#[test]
fn offsets_reproduce_the_surfaces_and_the_pipeline_keeps_its_scores() {
    let Some(data) = common::shared_data() else { return };
    let p = khabar::Pipeline::builtin().unwrap();
    for (half, min_f1) in [("tune", 0.60), ("sealed", 0.70)] {
        let (text, parsed) = fixture(half);
        let records = common::articles(&data, parsed.keys().map(String::as_str));
        let texts: BTreeMap<&str, &str> = records.iter().map(|(k, v)| (k.as_str(), v["text"].as_str().unwrap())).collect();
        // Every mention line's surface is its span of the article.
        for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            let (s, e): (usize, usize) = (f[1].parse().unwrap(), f[2].parse().unwrap());
            let got: String = texts[f[0]].chars().skip(s).take(e - s).collect();
            assert_eq!(got, f[4], "{half}: {line}");
        }
        let mut score = EntityScore::default();
        for (art, golds) in &parsed {
            let doc = p.analyze(texts[art.as_str()], None).unwrap();
            score_article(art, &doc, golds, &mut score);
        }
        let (_, _, f1) = score.prf(None);
        assert!(f1 >= min_f1, "{half}: F1 {f1:.3} under {min_f1} ({score:?})");
    }
}
