//! Behaviour of the committed segmenter model (`models/segmenter.khm`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use khabar_model::Blob;
use khabar_text::segment::{SegmentRole, Segmenter};

fn model_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/segmenter.khm")
}

fn model() -> &'static Segmenter {
    static M: OnceLock<Segmenter> = OnceLock::new();
    M.get_or_init(|| Segmenter::from_blob(Blob::read(&model_path()).unwrap()).unwrap())
}

fn forms(word: &str) -> Vec<String> {
    model().segment(word).into_iter().map(|s| s.form).collect()
}

#[test]
fn ordinary_words_stay_whole() {
    for w in [
        "والد",
        "بلد",
        "كتاب",
        "فيلم",
        "لندن",
        "ألوان",
        "وافق",
        "مدرسة",
        "الذي",
        "سيارة",
    ] {
        assert_eq!(forms(w), [w], "{w}");
    }
}

#[test]
fn proclitics_and_article_split() {
    assert_eq!(forms("وبالسلام"), ["و", "ب", "ال", "سلام"]);
    assert_eq!(forms("للمرة"), ["ل", "ال", "مرة"]);
    assert_eq!(forms("والحكومة"), ["و", "ال", "حكومة"]);
    assert_eq!(forms("وسيقولون"), ["و", "س", "يقولون"]);
    assert_eq!(forms("فالمدينة"), ["ف", "ال", "مدينة"]);
}

#[test]
fn enclitics_split() {
    assert_eq!(forms("كتابهم"), ["كتاب", "هم"]);
    assert_eq!(forms("حكومته"), ["حكومت", "ه"]);
    assert_eq!(forms("سيارتها"), ["سيارت", "ها"]);
    assert_eq!(forms("وكتابه"), ["و", "كتاب", "ه"]);
    let segs = model().segment("كتابهم");
    assert_eq!(segs[1].role, SegmentRole::Enclitic);
}

#[test]
fn segments_keep_surface_marks_and_cover_the_word() {
    let word = "وَبِالسَّلَامِ";
    let segs = model().segment(word);
    let f: Vec<&str> = segs.iter().map(|s| s.form.as_str()).collect();
    assert_eq!(f, ["وَ", "بِ", "ال", "سَّلَامِ"]);
    let mut at = 0;
    for s in &segs {
        assert_eq!(s.range.start, at);
        assert_eq!(&word[s.range.clone()], s.form);
        at = s.range.end;
    }
    assert_eq!(at, word.len());
    // Tatweel stays inside the slice; roles are in order.
    let segs = model().segment("والـحكومة");
    assert_eq!(
        segs.iter().map(|s| s.role).collect::<Vec<_>>(),
        [
            SegmentRole::Proclitic,
            SegmentRole::Proclitic,
            SegmentRole::Base
        ]
    );
    // The restored article points at the surface lam.
    let segs = model().segment("للمرة");
    assert_eq!(&"للمرة"[segs[1].range.clone()], "ل");
}

#[test]
fn non_arabic_and_odd_input_stay_whole() {
    for w in ["", "abc", "٢٠١٨", "ـــ", "و", "ال", "كرة2"] {
        let s = model().segment(w);
        assert_eq!(s.len(), 1, "{w}");
        assert_eq!(s[0].form, w);
    }
    let long = "ب".repeat(100);
    assert_eq!(model().segment(&long).len(), 1);
}

#[test]
fn damaged_models_are_errors_not_panics() {
    let bytes = std::fs::read(model_path()).unwrap();
    for cut in [0, 10, 28, 40, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            Segmenter::from_blob(Blob::Owned(bytes[..cut].to_vec())).is_err(),
            "cut at {cut}"
        );
    }
    assert!(Segmenter::from_blob(Blob::Owned(vec![0x42; 1000])).is_err());
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 1;
    assert!(Segmenter::from_blob(Blob::Owned(flipped)).is_err());
    // A valid bundle of another kind.
    let other = khabar_model::Bundle::encode(*b"LEXI", 1, b"x");
    assert!(Segmenter::from_blob(Blob::Owned(other)).is_err());
    // A valid segmenter bundle whose payload is garbage.
    let garbage = khabar_model::Bundle::encode(
        khabar_text::segment::KIND,
        khabar_text::segment::VERSION,
        &[7u8; 64],
    );
    assert!(Segmenter::from_blob(Blob::Owned(garbage)).is_err());
}

#[test]
fn model_round_trips_through_bytes() {
    let again = Segmenter::from_blob(Blob::Owned(model().to_bytes())).unwrap();
    for w in ["وبالسلام", "كتابهم", "لندن"] {
        assert_eq!(again.segment(w), model().segment(w));
    }
}

/// `cargo test --release -p khabar-text --test segment -- --ignored --nocapture speed`
#[test]
#[ignore]
fn speed() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pud/test.conllu");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let words: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# text = "))
        .flat_map(|l| l.split(|c: char| !khabar_text::chars::is_arabic_word_char(c)))
        .filter(|w| !w.is_empty())
        .collect();
    let mut n = 0usize;
    let mut best = f64::MAX;
    for _ in 0..30 {
        let t = std::time::Instant::now();
        for w in &words {
            n += model().segment(w).len();
        }
        best = best.min(t.elapsed().as_nanos() as f64 / words.len() as f64);
    }
    let per = best;
    println!(
        "{} words, {per:.0} ns/word (best of 30 passes; {n})",
        words.len()
    );
    let cached = words.iter().filter(|w| model().is_cached(w)).count();
    println!(
        "{} words, {per:.0} ns/word ({n}), {cached} cached",
        words.len()
    );
    let miss: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !model().is_cached(w))
        .collect();
    let mut best = f64::MAX;
    for _ in 0..30 {
        let t = std::time::Instant::now();
        for w in &miss {
            n += model().segment(w).len();
        }
        best = best.min(t.elapsed().as_nanos() as f64);
    }
    println!(
        "misses: {:.0} ns/word ({n})",
        best / miss.len().max(1) as f64
    );
    let t = std::time::Instant::now();
    let _ = Segmenter::from_blob(Blob::read(&model_path()).unwrap()).unwrap();
    println!("load {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
}
