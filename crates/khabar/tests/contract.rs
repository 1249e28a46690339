//! The output contract's invariants, for any input: every span in bounds and on code point
//! boundaries, every `text` field equal to its slice, lists sorted by (start, end), the
//! original text returned untouched. Checked on the seed article and on arbitrary strings.

use proptest::prelude::*;
use serde_json::Value;

fn pipeline() -> &'static khabar::Pipeline {
    use std::sync::OnceLock;
    static P: OnceLock<khabar::Pipeline> = OnceLock::new();
    P.get_or_init(|| khabar::Pipeline::builtin().expect("built-in models load"))
}

/// Checks one contract record against its input; panics with the field path on a violation.
pub fn check_contract(input: &str, v: &Value) {
    assert_eq!(v["schema"], 1);
    assert_eq!(v["text"].as_str().unwrap(), input, "text must be the input verbatim");
    let chars: Vec<char> = input.chars().collect();
    let slice = |s: u64, e: u64| chars[s as usize..e as usize].iter().collect::<String>();
    for layer in ["articles", "sentences", "tokens", "repairs", "entities", "quotes", "times", "amounts"] {
        let list = v[layer].as_array().unwrap_or_else(|| panic!("{layer} must be a list"));
        let mut last = (0u64, 0u64);
        for item in list {
            let (s, e) = (item["start"].as_u64().unwrap(), item["end"].as_u64().unwrap());
            assert!(s <= e && e as usize <= chars.len(), "{layer}: span {s}..{e} out of bounds ({})", chars.len());
            assert!((s, e) >= last, "{layer} not sorted: {last:?} then {:?}", (s, e));
            last = (s, e);
            if let Some(t) = item.get("text") {
                assert_eq!(t.as_str().unwrap(), slice(s, e), "{layer}: text differs from its slice");
            }
            for nested in ["headline", "speaker_span"] {
                if let Some(h) = item.get(nested).filter(|h| !h.is_null()) {
                    let (hs, he) = (h["start"].as_u64().unwrap(), h["end"].as_u64().unwrap());
                    assert!(hs <= he && he as usize <= chars.len());
                    assert_eq!(h["text"].as_str().unwrap(), slice(hs, he));
                }
            }
            for (k, val) in item.as_object().unwrap() {
                assert!(val.as_str() != Some(""), "{layer}.{k}: unknown values are null, never empty strings");
            }
        }
    }
    let ids: Vec<&str> = v["entity_index"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for e in v["entities"].as_array().unwrap() {
        assert!(ids.contains(&e["id"].as_str().unwrap()), "entity id without an entity_index record");
    }
}

fn analyze(text: &str) -> Value {
    let doc = pipeline().analyze(text, None).unwrap();
    serde_json::from_str(&khabar::output::v1::to_json(&doc)).unwrap()
}

#[test]
fn seed_article_satisfies_the_contract() {
    let seed = include_str!("../../../examples/seed-article.txt");
    let v = analyze(seed);
    check_contract(seed, &v);
    assert_eq!(v["sentences"][0], serde_json::json!({"start": 0, "end": 242}));
    assert_eq!(v["tokens"][0]["text"], "رحبت");
    assert_eq!(v["tokens"][0]["kind"], "word");
}

#[test]
fn empty_input_is_a_valid_empty_document() {
    for text in ["", "   \n\t", "\u{200F}\u{200F}"] {
        let v = analyze(text);
        check_contract(text, &v);
        assert!(v["tokens"].as_array().unwrap().is_empty());
        assert!(v["sentences"].as_array().unwrap().is_empty());
    }
}

#[test]
fn oversized_input_is_refused_not_exhausting_memory() {
    let p = khabar::Pipeline::builder().text_only(true).max_document_bytes(100).build().unwrap();
    let e = p.analyze(&"ا".repeat(80), None).unwrap_err();
    assert!(e.to_string().contains("160 bytes"), "{e}");
}

/// Arabic-heavy strings with the characters that break naive offset code: diacritics,
/// tatweel, bidi marks, ligatures, quotes, digits of three scripts, astral emoji.
fn arabic_mess() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "الولاياتالمتحدة", "الأممالمتحدة", "وبالسلام", "فائز", "فايز", "السراج", "مُحَمَّد", "بـ", "ـ", "ﻻ", " ", " ", "\n",
        "«", "»", "\"", "“", "”", ".", "،", "؟", "!", "...", "6.3", "70%", "٢٠١٨", "۱۹", "\u{200F}", "\u{200C}", "\u{FEFF}",
        "😀", "👍🏽", "é", "CNN", "ل»فرانس", "أمس الأول", "تونس:", "\u{0301}", "\u{00A0}", "x", "\t",
        "مليون", "دولار", "في المئة", "٣٬٥٠٠", "١٢٫٥", "ملياري", "نحو", "بين", "و5", "تريليون", "ألف", "ثلاثة", "ريال", "٪", "1,5", "$",
        "الربع الأول من", "شتاء", "رمضان المقبل", "نهاية", "5ر2",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn no_input_breaks_the_contract(text in arabic_mess()) {
        let v = analyze(&text);
        check_contract(&text, &v);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,60}") {
        let v = analyze(&text);
        check_contract(&text, &v);
    }
}

/// Regression: an addressee check sliced `ل…` one byte in and panicked inside a letter
/// (found on 1,084 SaudiNewsNet articles while indexing).
#[test]
fn quote_speaker_starting_with_lam_does_not_panic() {
    for text in ["قال لوزير الخارجية إن الاتفاق قائم.", "وأكد لمراسلنا أن الوضع مستقر.", "قال لـ«الشرق الأوسط» إن المفاوضات مستمرة."] {
        let v = analyze(text);
        check_contract(text, &v);
    }
}
