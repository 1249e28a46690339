//! Choosing fields (`--fields`, `?fields=`, `fields=`): each chosen field is exactly what the
//! full analysis gives for it, nothing else is written, the stages no chosen field needs do
//! not run, and with every field the output is the full contract byte for byte.

use std::sync::{Mutex, OnceLock};

use khabar::output::v1;
use khabar::{Field, Fields, Pipeline, Watch};
use serde_json::Value;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::builtin().expect("built-in models load"))
}

/// The seed article, and SaudiNewsNet articles spread over the corpus when ../shared has it.
fn texts() -> Vec<String> {
    let mut out = vec![include_str!("data/seed-article.txt").to_string()];
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/saudinewsnet/articles.jsonl.gz");
    if corpus.exists() {
        let mut n = 0usize;
        khabar_text::corpus::for_each_jsonl_field(&corpus, "text", Some(2 << 20), |t| {
            if n % 150 == 0 {
                out.push(t.to_string());
            }
            n += 1;
        })
        .expect("SaudiNewsNet reads");
    }
    out
}

fn json(doc: &khabar::Document, fields: Fields) -> Value {
    serde_json::from_str(&v1::to_json_fields(doc, fields)).expect("valid JSON")
}

#[test]
fn every_field_alone_equals_that_field_of_the_full_analysis() {
    let date = khabar::parse_date("2017-08-01").ok();
    for text in texts() {
        let full = json(&pipeline().analyze(text.as_str(), date).unwrap(), Fields::ALL);
        for field in Field::ALL {
            let only = Fields::NONE.with(field);
            let got = json(&pipeline().analyze_fields(text.as_str(), date, only).unwrap(), only);
            let mut keys: Vec<&str> = got.as_object().unwrap().keys().map(String::as_str).collect();
            let mut want = vec!["schema", "text", field.as_str()];
            keys.sort_unstable();
            want.sort_unstable();
            assert_eq!(keys, want, "only the chosen field is written");
            assert_eq!(got[field.as_str()], full[field.as_str()], "{} alone differs from the full analysis", field.as_str());
        }
    }
}

#[test]
fn all_fields_write_the_full_contract_byte_for_byte() {
    let text = include_str!("data/seed-article.txt");
    let doc = pipeline().analyze(text, khabar::parse_date("2017-08-01").ok()).unwrap();
    assert_eq!(v1::to_json_fields(&doc, Fields::ALL), v1::to_json(&doc));
    let mut streamed = Vec::new();
    v1::write_json_fields(&doc, None, Fields::ALL, true, &mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), v1::to_json_pretty(&doc));
}

#[test]
fn stages_that_no_chosen_field_needs_do_not_run() {
    let ran = |fields: &str| {
        let seen = Mutex::new(Vec::new());
        let mut doc = khabar::Document::default();
        let mut watch = Watch::default().on_stage(|name, _| seen.lock().unwrap().push(name));
        pipeline()
            .analyze_fields_with("قال الرئيس إن الاجتماع كان مثمرا أمس.", None, fields.parse().unwrap(), &mut doc, &mut watch)
            .unwrap();
        drop(watch);
        seen.into_inner().unwrap()
    };
    assert_eq!(ran("tokens"), ["text"]);
    assert_eq!(ran("times"), ["text", "articles", "times"]);
    assert_eq!(ran("entities,quotes"), ["text", "articles", "ner", "link", "quotes", "subtype"]);
    assert_eq!(ran("entity_index"), ["text", "articles", "ner", "link", "places", "quotes", "subtype"]);
    assert_eq!(ran("date"), Vec::<&str>::new());
    assert_eq!(ran("all"), pipeline().stage_names());
}
