//! Training and evaluation through the library (`train` feature); the data-dependent
//! checks skip when `../shared/data` is absent.
#![cfg(feature = "train")]

use std::path::{Path, PathBuf};

use khabar_model::Blob;
use khabar_text::segment::train::{self as st, CorpusStats, Example, TrainConfig};
use khabar_text::segment::Segmenter;

fn data(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    p.exists().then_some(p)
}

#[test]
fn wikinews_mapping_follows_the_scheme() {
    let show = |t: &str, p: &str| {
        let e = st::wikinews_example(t, p).unwrap();
        (
            e.surface,
            e.gold.into_iter().map(|g| g.0).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        show("و+ال+تلفزيون", "CONJ+DET+NOUN"),
        (
            "والتلفزيون".into(),
            vec!["و".into(), "ال".into(), "تلفزيون".into()]
        )
    );
    assert_eq!(
        show("ل+ال+مر+ة", "PREP+DET+NOUN+NSUFF"),
        ("للمرة".into(), vec!["ل".into(), "ال".into(), "مرة".into()])
    );
    assert_eq!(
        show("ترشيح+ات+ها", "NOUN+NSUFF+PRON"),
        ("ترشيحاتها".into(), vec!["ترشيحات".into(), "ها".into()])
    );
    assert_eq!(
        show("أعلن+ت", "V+PRON"),
        ("أعلنت".into(), vec!["أعلنت".into()])
    );
    assert_eq!(
        show("من+ما", "PREP+PART"),
        ("مما".into(), vec!["مما".into()])
    );
    assert_eq!(
        show("و+هم", "CONJ+PRON"),
        ("وهم".into(), vec!["و".into(), "هم".into()])
    );
    assert_eq!(
        show("قرر+نا", "V+PRON"),
        ("قررنا".into(), vec!["قررنا".into()])
    );
    assert_eq!(
        show("ل+ال+لغ+ة", "PREP+DET+NOUN+NSUFF"),
        ("للغة".into(), vec!["ل".into(), "لغة".into()])
    );
}

#[test]
fn a_quick_train_on_a_slice_learns_something() {
    let Some(pud) = data("pud/test.conllu") else {
        return;
    };
    let sents = st::read_pud(&pud).unwrap();
    let mut stats = CorpusStats::default();
    let text = std::fs::read_to_string(&pud).unwrap();
    for l in text.lines().filter_map(|l| l.strip_prefix("# text = ")) {
        stats.add_text(l);
    }
    let train: Vec<Example> = sents[..800].iter().flatten().cloned().collect();
    let test: Vec<Example> = sents[800..].iter().flatten().cloned().collect();
    let cfg = TrainConfig {
        epochs: 5,
        weight_bits: 16,
        ..Default::default()
    };
    let (seg, rep) = st::train(&train, &stats, &cfg);
    assert!(rep.examples > 10_000, "{rep:?}");
    let r = st::evaluate(&seg, &test);
    assert!(
        r.accuracy() > 0.95,
        "held-out PUD accuracy {:.4}",
        r.accuracy()
    );
    // An untrained model keeps everything whole and does much worse.
    let whole = st::evaluate(&Segmenter::default(), &test);
    assert!(
        whole.accuracy() + 0.1 < r.accuracy(),
        "{} vs {}",
        whole.accuracy(),
        r.accuracy()
    );
    // Its bytes load back to the same decisions.
    let again = Segmenter::from_blob(Blob::Owned(seg.to_bytes())).unwrap();
    assert_eq!(st::evaluate(&again, &test).correct, r.correct);
}

#[test]
fn committed_model_accuracy_floor_on_wikinews() {
    let Some(wn) = data("wikinews/WikiNews.pos.ref") else {
        return;
    };
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/segmenter.khm");
    let seg = Segmenter::from_blob(Blob::read(&model).unwrap()).unwrap();
    let (ex, unmapped) = st::read_wikinews(&wn).unwrap();
    assert!(ex.len() > 16_000 && unmapped < 10);
    let r = st::evaluate(&seg, &ex);
    assert!(
        r.accuracy() >= 0.985,
        "WikiNews word accuracy {:.4}",
        r.accuracy()
    );
}
