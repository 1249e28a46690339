//! The committed knowledge base (`models/kb.khm`, `khabar train kb`) answers the lookups
//! later stages rely on, and a damaged or foreign file is an error naming it.

use std::path::{Path, PathBuf};

use khabar_kb::{Kb, Kind, Source};

fn kb_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/kb.khm")
}

fn kb() -> Kb {
    Kb::from_path(&kb_path()).expect("the committed knowledge base loads")
}

#[test]
fn a_city_resolves_to_its_geonames_place() {
    let kb = kb();
    let best = kb.lookup("بنغازي").next().expect("Benghazi is in GeoNames");
    assert_eq!((best.kind, best.source, best.country_code()), (Kind::City, Source::GeoNames, Some("LY")));
    assert_eq!(best.geonameid(), Some(88319));
    assert!(best.coordinates().is_some());
    // Two cities of one name, the larger first: Tripoli in Libya, then in Lebanon.
    let tripoli: Vec<_> = kb.lookup("طرابلس").filter(|c| c.kind == Kind::City).map(|c| c.country_code().map(str::to_string)).collect();
    assert_eq!(tripoli[..2], [Some("LY".to_string()), Some("LB".to_string())]);
}

#[test]
fn countries_are_found_with_and_without_the_article() {
    let kb = kb();
    let country = |name: &str| kb.lookup(name).find(|c| c.kind == Kind::Country).and_then(|c| c.country_code().map(str::to_string));
    assert_eq!(country("العراق").as_deref(), Some("IQ"));
    assert_eq!(country("مصر").as_deref(), Some("EG"));
    // News' short name, from the hand-checked list, with the CLDR country's id.
    assert_eq!(country("السعودية").as_deref(), Some("SA"));
    // Hamza and ta marbuta spelled or not: one key.
    assert_eq!(country("الاردن"), country("الأردن"));
    // The article is tried off when the form with it is unknown, and on when the bare form is.
    assert_eq!(country("الموريتانيا").as_deref(), Some("MR"));
    assert_eq!(country("جزائر").as_deref(), Some("DZ"));
}

#[test]
fn currencies_carry_their_iso_code() {
    let kb = kb();
    let code = |name: &str| kb.lookup(name).find(|c| c.kind == Kind::Currency).and_then(|c| c.currency_code().map(str::to_string));
    assert_eq!(code("جنيه مصري").as_deref(), Some("EGP"));
    assert_eq!(code("يورو").as_deref(), Some("EUR"));
    assert_eq!(code("دولار أمريكي").as_deref(), Some("USD"));
    // A head word several currencies share is a currency without a code.
    let dinar: Vec<_> = kb.lookup("دينار").filter(|c| c.kind == Kind::Currency).collect();
    assert_eq!(dinar.len(), 1);
    assert_eq!(dinar[0].currency_code(), None);
}

#[test]
fn foreign_given_names_and_surnames_are_name_parts() {
    let kb = kb();
    for name in ["موغيريني", "مانويل"] {
        assert!(kb.lookup(name).any(|c| c.kind == Kind::PersonName && c.source == Source::Wikidata), "{name}");
    }
    assert_eq!(kb.lookup("كلمةليستاسما").count(), 0);
}

#[test]
fn phrases_are_walked_word_by_word() {
    let kb = kb();
    let mut hits = Vec::new();
    kb.for_each_prefix(["الولايات", "المتحده", "الامريكيه", "اليوم"], |n, c| hits.push((n, c.filter(|c| c.kind == Kind::Country).count())));
    // `الولايات المتحده` and `الولايات المتحده الامريكيه` are keys; the walk stops at `اليوم`.
    assert!(hits.iter().any(|&(n, k)| n == 2 && k > 0), "{hits:?}");
    assert!(hits.iter().any(|&(n, k)| n == 3 && k > 0), "{hits:?}");
    assert!(hits.iter().all(|&(n, _)| n <= 3));
}

#[test]
fn a_walk_resumed_from_its_first_word_finds_what_the_whole_walk_finds() {
    let kb = kb();
    let words = ["الولايات", "المتحده", "الامريكيه", "اليوم"];
    let mut whole = Vec::new();
    kb.for_each_prefix(words, |n, c| whole.push((n, c.count())));
    let start = kb.phrase_start(words[0]).expect("a key begins with الولايات");
    let mut resumed = Vec::new();
    kb.for_each_prefix_after(start, words[1..].iter().copied(), |n, c| resumed.push((n, c.count())));
    assert_eq!(whole, resumed);
    assert!(!whole.is_empty());
    // A one-word key is reported from the start itself.
    let mut one = Vec::new();
    kb.for_each_prefix_after(kb.phrase_start("مصر").expect("a key"), [], |n, _| one.push(n));
    assert_eq!(one, [1]);
    assert_eq!(kb.phrase_start("كلمةليستاسما"), None);
    assert_eq!(kb.phrase_start(""), None);
    // A start taken in another knowledge base walks nothing here.
    let other = Kb::builtin_for_tests();
    let foreign = other.phrase_start("عمان").expect("a key of the test kb");
    let mut seen = 0;
    kb.for_each_prefix_after(foreign, ["x"], |_, _| seen += 1);
    assert_eq!(seen, 0);
}

#[test]
fn a_truncated_or_foreign_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(kb_path()).unwrap();
    let cut = dir.path().join("cut.khm");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let msg = Kb::from_path(&cut).unwrap_err().to_string();
    assert!(msg.contains("cut.khm") && msg.contains("truncated"), "{msg}");
    let ner = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ner.khm");
    let msg = Kb::from_path(&ner).unwrap_err().to_string();
    assert!(msg.contains("ner.khm") && msg.contains("expected KBAS"), "{msg}");
    let missing = dir.path().join("missing.khm");
    let msg = Kb::from_path(&missing).unwrap_err().to_string();
    assert!(msg.contains("missing.khm"), "{msg}");
    // Random bytes with a valid header's length are rejected too, never a panic.
    let junk = dir.path().join("junk.khm");
    std::fs::write(&junk, vec![0x5a; 4096]).unwrap();
    assert!(Kb::from_path(&junk).unwrap_err().to_string().contains("junk.khm"));
}

#[test]
fn a_crafted_file_pointing_outside_its_table_gives_no_candidates_not_a_panic() {
    // A well-framed artifact (valid checksum) whose only key points past its one record.
    let mut b = fst::MapBuilder::memory();
    b.insert("مصر", (5u64 << 8) | 3).unwrap();
    let fst_bytes = b.into_inner().unwrap();
    let bytes = Kb::encode("crafted", &[], &fst_bytes);
    let kb = Kb::from_blob(khabar_model::Blob::Owned(bytes)).unwrap();
    assert_eq!(kb.lookup("مصر").count(), 0);
    let mut seen = 0;
    kb.for_each_prefix(["مصر"], |_, c| seen += c.count());
    assert_eq!(seen, 0);
}
