//! Criterion benches of the pipeline cut at each stage, on the first 1 MB of SaudiNewsNet
//! bodies (skipped when ../shared/data is absent): `stages/<fields>` runs only the stages
//! the chosen fields need (docs/performance.md has the table), so the difference between
//! two neighbouring rows is the cost of the stages one adds:
//!
//! | bench               | stages                                                  |
//! |---------------------|---------------------------------------------------------|
//! | `tokens`            | text                                                    |
//! | `sentences`         | + articles                                              |
//! | `times`             | + times                                                 |
//! | `quotes`            | text, articles, ner, link, quotes                       |
//! | `entities`          | + subtype                                               |
//! | `entity_index`      | + places                                                |
//! | `all`               | + times, amounts                                        |
//!
//! `cargo bench -p khabar --bench stages`. `khabar bench --layers all` prints the same
//! breakdown from one pass with per-stage timers.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use khabar::{Document, Fields, Pipeline, Watch};

/// The first `limit` bytes of SaudiNewsNet bodies, read by the library's corpus reader.
fn saudinewsnet(limit: usize) -> Option<Vec<String>> {
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/saudinewsnet/articles.jsonl.gz"));
    let mut out = Vec::new();
    khabar_text::corpus::for_each_jsonl_field(path, "text", Some(limit), |t| out.push(t.to_string())).ok()?;
    Some(out).filter(|o| !o.is_empty())
}

fn stages(c: &mut Criterion) {
    let Some(docs) = saudinewsnet(1 << 20) else {
        eprintln!("../shared/data/saudinewsnet is absent: skipping the stage benches");
        return;
    };
    let pipeline = Pipeline::builtin().unwrap();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    for fields in ["tokens", "sentences", "times", "quotes", "entities", "entity_index", "all"] {
        let chosen: Fields = fields.parse().unwrap();
        let mut doc = Document::default();
        g.bench_function(fields, |b| {
            b.iter(|| {
                let mut found = 0;
                for d in &docs {
                    pipeline.analyze_fields_with(d, None, chosen, &mut doc, &mut Watch::default()).unwrap();
                    found += doc.tokens.len() + doc.entities.len();
                }
                // A fast wrong answer fails: every cut has tokens.
                assert!(found > bytes / 20, "too few tokens: {found}");
                found
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
