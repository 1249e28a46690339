//! Glued-word repair with the committed lexicon (models/lexicon.khm).

use khabar_model::Blob;
use khabar_text::lexicon::Lexicon;
use khabar_text::repair::{respace, Repairer};
use khabar_text::{tokenize, TokenKind};

const LEXICON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/lexicon.khm");

fn repairer() -> Repairer {
    let blob = Blob::read(std::path::Path::new(LEXICON)).unwrap();
    Repairer::new(Lexicon::from_blob(blob).unwrap())
}

fn spaced(r: &Repairer, w: &str) -> String {
    match r.split(w) {
        None => w.to_string(),
        Some(p) => {
            assert!(p.windows(2).all(|x| x[0] < x[1]), "{w}: {p:?}");
            assert!(
                p.iter()
                    .all(|&x| x > 0 && x < w.len() && w.is_char_boundary(x)),
                "{w}: {p:?}"
            );
            respace(w, &p)
        }
    }
}

#[test]
fn both_seed_glued_forms_are_split() {
    let r = repairer();
    assert_eq!(r.split("الولاياتالمتحدة"), Some(vec!["الولايات".len()]));
    assert_eq!(r.split("الأممالمتحدة"), Some(vec!["الأمم".len()]));
    // Inside the seed's sentences, only the glued words are touched.
    let seed = "«لا تزال الولاياتالمتحدة ملتزمة بالعمل مع ليبيا وشركائها الدوليين للمساعدة في حل الصراع السياسي» \
                كرئيس لبعثة الأممالمتحدة للدعم في ليبيا والتي قالت أنها «تلعب دورا حاسما»";
    let splits: Vec<String> = tokenize(seed)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .filter_map(|t| {
            r.split(&seed[t.span.range()])
                .map(|_| spaced(&r, &seed[t.span.range()]))
        })
        .collect();
    assert_eq!(splits, vec!["الولايات المتحدة", "الأمم المتحدة"]);
}

#[test]
fn surface_offsets_keep_diacritics_and_tatweel_with_the_first_word() {
    let r = repairer();
    assert_eq!(spaced(&r, "الأُمَمُالمُتَّحِدَة"), "الأُمَمُ المُتَّحِدَة");
    assert_eq!(spaced(&r, "الولاياتـالمتحدة"), "الولاياتـ المتحدة");
    assert_eq!(spaced(&r, "الوِلاياتُالمتحدة"), "الوِلاياتُ المتحدة");
}

#[test]
fn ordinary_words_with_clitics_are_not_split() {
    let r = repairer();
    for w in [
        "والمتحدة",
        "بالعمل",
        "المتحدة",
        "الولايات",
        "وللسلام",
        "الأمم",
        "وبالإضافة",
        "والاستقرار",
        "عبدالله",
        "عبدالعزيز",
        "للمساعدة",
        "وشركائها",
        "الدبلوماسية",
        "والقنصلية",
        "استراتيجية",
        "الإمكانيات",
        "أبوظبي",
        "بالإعلان",
    ] {
        assert_eq!(r.split(w), None, "{w}");
    }
}

#[test]
fn three_glued_words_are_never_split_in_the_wrong_place() {
    // The committed model's unknown-word search is tuned to almost never fire (see
    // docs/repair.md); a split, when made, must be the right one.
    let r = repairer();
    let got = spaced(&r, "الولاياتالمتحدةالأمريكية");
    assert!(
        got == "الولاياتالمتحدةالأمريكية" || got == "الولايات المتحدة الأمريكية",
        "{got}"
    );
}

#[test]
fn a_damaged_lexicon_is_an_error_not_a_panic() {
    let bytes = std::fs::read(LEXICON).unwrap();
    for n in [0, 5, 27, 28, 40, 1000, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            Lexicon::from_blob(Blob::Owned(bytes[..n].to_vec())).is_err(),
            "prefix {n}"
        );
    }
    let mut flipped = bytes.clone();
    let i = flipped.len() - 10;
    flipped[i] ^= 0x55;
    assert!(Lexicon::from_blob(Blob::Owned(flipped)).is_err());
    assert!(Lexicon::from_blob(Blob::Owned(
        b"garbage, not a lexicon at all: 0123456789".to_vec()
    ))
    .is_err());
    let other = khabar_model::Bundle::encode(*b"SEGM", 1, b"x");
    assert!(Lexicon::from_blob(Blob::Owned(other)).is_err());
}

#[test]
fn false_splits_on_clean_news_stay_under_one_per_10k_words() {
    let r = repairer();
    let text = include_str!("data/glued_free_anercorp_test.txt");
    let (mut words, mut splits) = (0usize, Vec::new());
    for t in tokenize(text) {
        if t.kind == TokenKind::Word {
            words += 1;
            let w = &text[t.span.range()];
            if r.split(w).is_some() {
                splits.push(spaced(&r, w));
            }
        }
    }
    assert!(words > 9_000, "{words}");
    assert!(
        splits.len() * 10_000 <= words,
        "{} splits in {words} words: {splits:?}",
        splits.len()
    );
}

#[test]
fn lookups_use_the_search_normalized_key() {
    let r = repairer();
    let lex = r.lexicon();
    assert!(lex.count("المتحده") > 1000);
    assert_eq!(lex.count("المتحدة"), 0, "keys are search-normalized");
    assert!(lex.total() > 5_000_000);
}
