//! Criterion benches of the text layer's steps on the seed article (repeated to 100 KB).
//! Each bench checks its result so a fast wrong answer fails.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use khabar_text::stem::Stemmer;
use khabar_text::{normalize, split_sentences, tokenize, Profile, TokenKind};

fn corpus() -> String {
    let seed = include_str!("../../../examples/seed-article.txt");
    let mut s = String::new();
    while s.len() < 100_000 {
        s.push_str(seed);
        s.push('\n');
    }
    s
}

fn steps(c: &mut Criterion) {
    let text = corpus();
    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("normalize_search", |b| {
        b.iter(|| {
            let n = normalize(&text, Profile::Search);
            assert!(n.len() < text.len());
            n
        })
    });
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            let t = tokenize(&text);
            assert!(t.len() > 5_000);
            t
        })
    });
    let tokens = tokenize(&text);
    g.bench_function("sentences", |b| {
        b.iter(|| {
            let s = split_sentences(&text, &tokens);
            assert!(s.len() > 200);
            s
        })
    });
    let stemmer = Stemmer::default();
    let words: Vec<String> = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| normalize(&text[t.span.range()], Profile::Search))
        .collect();
    g.bench_function("stem", |b| {
        b.iter(|| {
            let n: usize = words.iter().map(|w| stemmer.stem_cached(w).len()).sum();
            assert!(n > 0);
            n
        })
    });
    // The trained models, uncached: these measure the models themselves (the pipeline
    // memoizes word analyses on top).
    let segmenter = khabar_text::segment::Segmenter::from_blob(khabar_model::Blob::Static(include_bytes!(
        "../../../models/segmenter.khm"
    )))
    .unwrap();
    let surfaces: Vec<&str> = tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| &text[t.span.range()]).collect();
    g.bench_function("segment", |b| {
        b.iter(|| {
            let n: usize = surfaces.iter().map(|w| segmenter.segment(w).len()).sum();
            assert!(n > surfaces.len());
            n
        })
    });
    let repairer = khabar_text::repair::Repairer::new(
        khabar_text::lexicon::Lexicon::from_blob(khabar_model::Blob::Static(include_bytes!("../../../models/lexicon.khm"))).unwrap(),
    );
    g.bench_function("repair", |b| {
        b.iter(|| {
            let n = surfaces.iter().filter(|w| repairer.split(w).is_some()).count();
            // The seed's two glued forms, once per copy (الولاياتالمتحدة twice, الأممالمتحدة once).
            assert_eq!(n % 3, 0);
            assert!(n > 0);
            n
        })
    });
    g.finish();
}

criterion_group!(benches, steps);
criterion_main!(benches);
