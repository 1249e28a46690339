//! NER speed: model load, and tagging the seed article's tokens (features + Viterbi).
//! `cargo bench -p khabar --bench ner`. Tokens/s = tokens per iteration / time per iteration.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use khabar::ner::Model;
use khabar_model::Blob;

fn bench(c: &mut Criterion) {
    let text = include_str!("../../../examples/seed-article.txt");
    let text_layer = khabar::Pipeline::builder().text_only(true).build().unwrap();
    let doc = text_layer.analyze(text, None).unwrap();
    let sentences: Vec<Vec<&str>> = doc
        .sentences
        .iter()
        .map(|s| doc.tokens.iter().filter(|t| t.span.start >= s.start && t.span.end <= s.end).map(|t| doc.slice(t.span)).collect())
        .collect();
    let ntok: usize = sentences.iter().map(Vec::len).sum();
    let model = Model::from_blob(Blob::Static(khabar::models::NER)).unwrap();

    c.bench_function("ner/load", |b| b.iter(|| Model::from_blob(Blob::Static(khabar::models::NER)).unwrap()));
    let mut g = c.benchmark_group("ner");
    g.throughput(Throughput::Elements(ntok as u64));
    g.bench_function("tag_seed_article", |b| {
        b.iter(|| {
            let n: usize = sentences.iter().map(|s| model.tag(s).iter().filter(|&&t| t != 0).count()).sum();
            assert!(n > 10, "the seed article has more than ten entity tokens");
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
