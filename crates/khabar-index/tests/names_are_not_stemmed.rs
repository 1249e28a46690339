//! A search for a place finds the place, not the word its light stem would be: Snowball cuts
//! `السعودية` to `سعود` (a given name) and `العراق` to `عرق` (sweat). Four articles written for
//! this test, each with one of the four words.

use khabar_index::analyzer::ArabicTokenizer;
use khabar_index::dedup::signature;
use khabar_index::search::{Corpus, SearchRequest};
use khabar_index::writer::{ArticleRecord, CorpusWriter, WriterOptions};

const ARTICLES: [&str; 5] = [
    "وصل الأمير سعود بن نايف إلى الدمام أمس، واستقبله كبار المسؤولين في المنطقة.",
    "قالت وزارة الخارجية إن السعودية تدعم الحل السياسي، وإن للسعودية دورا في المفاوضات.",
    "أعلنت الحكومة في العراق خطة جديدة للكهرباء، وقال وزير النفط إن والعراق سيصدر أكثر.",
    "تصبب العرق من جباه العمال في الحر الشديد، ولم يتوقف عرق اللاعبين طوال المباراة.",
    "قال المسؤول السعودي إن الاتفاق يخدم البلدين، وأشاد بالموقف السعودي.",
];

fn corpus() -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = khabar::Pipeline::builtin().unwrap();
    let opts = WriterOptions { threads: 1, ..Default::default() };
    let mut w = CorpusWriter::create(dir.path(), ArabicTokenizer::builtin().unwrap(), &opts).unwrap();
    for (i, text) in ARTICLES.iter().enumerate() {
        let rec = ArticleRecord { id: i as u64 + 1, text: text.to_string(), ..Default::default() };
        let doc = pipeline.analyze(text, None).unwrap();
        w.add(&rec, Some(&doc), signature(text).as_ref()).unwrap();
    }
    w.finish(ARTICLES.len() as u64 + 1).unwrap();
    let c = Corpus::open(dir.path(), ArabicTokenizer::builtin().unwrap()).unwrap();
    (dir, c)
}

fn ids(c: &Corpus, q: &str) -> Vec<u64> {
    let req = SearchRequest { query: q.into(), collapse: false, limit: 50, ..Default::default() };
    let mut v: Vec<u64> = c.search(&req).unwrap().hits.iter().map(|h| h.id).collect();
    v.sort_unstable();
    v
}

#[test]
fn a_country_is_not_found_by_its_stem() {
    let (_dir, c) = corpus();
    assert_eq!(ids(&c, "السعودية"), [2]);
    assert_eq!(ids(&c, "سعود"), [1]);
    assert_eq!(ids(&c, "العراق"), [3]);
    assert_eq!(ids(&c, "عرق"), [4]);
    assert_eq!(ids(&c, "السعودي"), [5], "the adjective is its own word");
}

#[test]
fn a_country_still_meets_its_clitics_and_spellings() {
    let (_dir, c) = corpus();
    assert_eq!(ids(&c, "للسعودية"), [2]);
    assert_eq!(ids(&c, "السعوديه"), [2]);
    assert_eq!(ids(&c, "والعراق"), [3]);
    // The snippet marks both forms of the country in article 2, and nothing in article 1.
    let req = SearchRequest { query: "السعودية".into(), collapse: false, limit: 5, ..Default::default() };
    let hits = c.search(&req).unwrap().hits;
    let marked: Vec<&str> = hits[0].snippet.html.split("<mark>").skip(1).map(|s| s.split("</mark>").next().unwrap()).collect();
    assert_eq!(marked, ["السعودية", "للسعودية"]);
}

#[test]
fn an_index_analyzed_by_the_earlier_rules_is_refused_by_name() {
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    let dir = tempfile::tempdir().unwrap();
    let mut b = Schema::builder();
    let analyzed = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer("khabar_ar"));
    b.add_text_field("title", analyzed);
    tantivy::Index::create_in_dir(dir.path(), b.build()).unwrap();
    let err = Corpus::open(dir.path(), ArabicTokenizer::builtin().unwrap()).err().expect("refused");
    let msg = err.to_string();
    assert!(msg.contains("khabar_ar") && msg.contains("khabar index"), "{msg}");
}
