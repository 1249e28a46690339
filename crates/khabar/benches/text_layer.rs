//! Criterion benches of the whole pipeline.
//!
//! `analyze/text_layer_10mb` runs the text layer (normalize + sentences + tokens + repair +
//! segments + stem) over the first 10 MB of SaudiNewsNet bodies, read from
//! `../shared/data/saudinewsnet/articles.jsonl.gz` (skipped when the data is absent: the
//! corpus is non-commercial and is not copied into the repo). `analyze/full_seed` runs every
//! layer on the seed article. Each bench checks its result so a fast wrong answer fails.

use std::io::{BufRead, BufReader};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use khabar::{Document, Pipeline};

fn saudinewsnet(limit: usize) -> Option<Vec<String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/saudinewsnet/articles.jsonl.gz");
    let f = std::fs::File::open(path).ok()?;
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(f));
    let mut out = Vec::new();
    let mut n = 0;
    for line in r.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
        let t = v["text"].as_str()?.to_string();
        n += t.len();
        out.push(t);
        if n >= limit {
            break;
        }
    }
    Some(out)
}

fn analyze(c: &mut Criterion) {
    let mut g = c.benchmark_group("analyze");
    let text_only = Pipeline::builder().text_only(true).build().unwrap();
    if let Some(docs) = saudinewsnet(10 << 20) {
        let bytes: usize = docs.iter().map(|d| d.len()).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.sample_size(10);
        let mut doc = Document::default();
        g.bench_function("text_layer_10mb", |b| {
            b.iter(|| {
                let mut tokens = 0;
                for d in &docs {
                    text_only.analyze_into(d, None, &mut doc).unwrap();
                    tokens += doc.tokens.len();
                }
                assert!(tokens > bytes / 20, "too few tokens: {tokens}");
                tokens
            })
        });
    } else {
        eprintln!("../shared/data/saudinewsnet is absent: skipping analyze/text_layer_10mb");
    }
    let seed = include_str!("../../../examples/seed-article.txt");
    let full = Pipeline::builtin().unwrap();
    g.throughput(Throughput::Bytes(seed.len() as u64));
    g.sample_size(30);
    g.bench_function("full_seed", |b| {
        b.iter(|| {
            let doc = full.analyze(seed, None).unwrap();
            assert!(doc.tokens.len() > 300);
            doc
        })
    });
    g.bench_function("full_seed_json", |b| {
        let doc = full.analyze(seed, None).unwrap();
        b.iter(|| {
            let j = khabar::output::v1::to_json(&doc);
            assert!(j.len() > seed.len());
            j
        })
    });
    g.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
