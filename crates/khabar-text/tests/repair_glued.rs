//! Recall on real glued words (tests/data/glued.tsv) with the committed lexicon.

use khabar_model::Blob;
use khabar_text::lexicon::Lexicon;
use khabar_text::repair::{respace, Repairer};

#[test]
fn glued_case_set_reaches_the_recall_floor() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/lexicon.khm");
    let r =
        Repairer::new(Lexicon::from_blob(Blob::read(std::path::Path::new(path)).unwrap()).unwrap());
    let cases = include_str!("data/glued.tsv");
    let (mut n, mut ok, mut wrong_place) = (0, 0, Vec::new());
    for line in cases
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (glued, want) = line.split_once('\t').unwrap();
        n += 1;
        if let Some(p) = r.split(glued) {
            let s = respace(glued, &p);
            if s == want {
                ok += 1;
            } else {
                wrong_place.push(s);
            }
        }
    }
    assert!(n >= 70, "{n}");
    // A split in the wrong place is worse than none.
    assert!(wrong_place.is_empty(), "{wrong_place:?}");
    assert!(ok * 100 >= n * 60, "recall {ok}/{n} below the 60% floor");
}
