//! Index the committed sample (12 articles written for these tests, in SaudiNewsNet's field
//! layout) and check Arabic-aware matching, snippets, filters, collapsing and resuming.

use std::path::Path;
use std::sync::OnceLock;

use khabar_index::analyzer::ArabicTokenizer;
use khabar_index::dedup::signature;
use khabar_index::search::{Corpus, SearchRequest};
use khabar_index::writer::{ArticleRecord, CorpusWriter, WriterOptions};

fn records() -> Vec<ArticleRecord> {
    let data = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sample.jsonl"),
    )
    .unwrap();
    data.lines()
        .enumerate()
        .map(|(i, l)| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
            ArticleRecord {
                id: i as u64 + 1,
                title: s("title"),
                text: s("text"),
                date: Some(s("date")),
                source: s("source"),
                url: s("url"),
            }
        })
        .collect()
}

fn build(dir: &Path, recs: &[ArticleRecord]) {
    let tok = ArabicTokenizer::builtin().unwrap();
    let pipeline = khabar::Pipeline::builtin().unwrap();
    let mut w = CorpusWriter::create(
        dir,
        tok,
        &WriterOptions {
            threads: 1,
            ..Default::default()
        },
    )
    .unwrap();
    for r in recs {
        let doc = pipeline.analyze(&r.text, None).unwrap();
        w.add(r, Some(&doc), signature(&r.text).as_ref()).unwrap();
    }
    w.finish(recs.len() as u64 + 1).unwrap();
}

fn corpus() -> &'static Corpus {
    static C: OnceLock<(tempfile::TempDir, Corpus)> = OnceLock::new();
    &C.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        build(dir.path(), &records());
        let c = Corpus::open(dir.path(), ArabicTokenizer::builtin().unwrap()).unwrap();
        (dir, c)
    })
    .1
}

fn ids(q: &str, all: bool) -> Vec<u64> {
    let r = corpus()
        .search(&SearchRequest {
            query: q.into(),
            collapse: !all,
            limit: 50,
            ..Default::default()
        })
        .unwrap();
    let mut v: Vec<u64> = r.hits.iter().map(|h| h.id).collect();
    v.sort_unstable();
    v
}

#[test]
fn clitics_are_matched() {
    // Article 2 writes only وحفتر and لحفتر.
    assert_eq!(ids("حفتر", true), [1, 2, 3]);
}

#[test]
fn hamza_spellings_meet() {
    // 1 and 7 write فائز, 3 writes فايز.
    assert_eq!(ids("فايز", true), [1, 3, 7]);
    assert_eq!(ids("فائز", true), [1, 3, 7]);
}

#[test]
fn normalized_phrase_matches() {
    let plain = ids("الامم المتحده", true);
    for id in [1, 2, 7, 8] {
        assert!(plain.contains(&id), "{plain:?}");
    }
    // As a phrase: article 12 has neither word; all phrase hits contain the words adjacent.
    let phrase = ids("\"الامم المتحده\"", true);
    assert!(
        phrase.contains(&1) && phrase.contains(&2) && !phrase.contains(&12),
        "{phrase:?}"
    );
    // Words present but not adjacent do not match the phrase.
    assert!(ids("\"المتحده الامم\"", true).is_empty());
}

#[test]
fn snippets_highlight_the_words_as_written() {
    let r = corpus()
        .search(&SearchRequest {
            query: "حفتر".into(),
            collapse: false,
            ..Default::default()
        })
        .unwrap();
    let hit = r.hits.iter().find(|h| h.id == 2).unwrap();
    assert!(
        hit.snippet.html.contains("<mark>وحفتر</mark>"),
        "{}",
        hit.snippet.html
    );
    for [s, e] in &hit.snippet.highlights {
        let word: String = hit.snippet.text.chars().skip(*s).take(e - s).collect();
        assert!(word.ends_with("حفتر"), "{word}");
    }
    let one = r.hits.iter().find(|h| h.id == 1).unwrap();
    assert!(
        one.title.html.contains("<mark>حفتر</mark>"),
        "{}",
        one.title.html
    );
}

#[test]
fn duplicates_collapse_by_default() {
    // 1 and 3 are the same story (3 respells فائز and drops a comma).
    let all = ids("حفتر", true);
    let collapsed = corpus()
        .search(&SearchRequest {
            query: "حفتر".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(collapsed.hits.len(), 2);
    assert_eq!(collapsed.total, 3);
    let top = collapsed
        .hits
        .iter()
        .find(|h| h.id == 1 || h.id == 3)
        .unwrap();
    assert_eq!(top.duplicates.len(), 1);
    assert_eq!(corpus().cluster_members(top.cluster).unwrap(), [1, 3]);
}

#[test]
fn filters_restrict_results() {
    let c = corpus();
    let by_source = c
        .search(&SearchRequest {
            query: "حفتر".into(),
            source: Some("alriyadh".into()),
            collapse: false,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_source.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [2]);
    let by_date = c
        .search(&SearchRequest {
            query: "ليبيا".into(),
            from: Some("2015-08-01".into()),
            to: Some("2015-08-03".into()),
            collapse: false,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_date.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [7]);
    // `to` is inclusive of the whole day.
    let day = c
        .search(&SearchRequest {
            query: String::new(),
            from: Some("2015-07-21".into()),
            to: Some("2015-07-21".into()),
            collapse: false,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(day.total, 2);
    assert!(c
        .search(&SearchRequest {
            query: "x".into(),
            from: Some("2015-13-45".into()),
            ..Default::default()
        })
        .is_err());
}

#[test]
fn amount_kind_and_currency_filters() {
    let c = corpus();
    let kind = |k: &str| {
        c.search(&SearchRequest { amount_kind: Some(k.into()), collapse: false, limit: 50, ..Default::default() })
            .unwrap()
            .hits
            .iter()
            .map(|h| h.id)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    };
    // Article 4: `10.5 مليون برميل` and `1.2%`; 5: `هدفين` (its minutes are labels, not
    // amounts); 6: `مليون شخص`; 10: `ثلاثين دولة`.
    assert_eq!(kind("percent"), [4]);
    assert_eq!(kind("count"), [4, 5, 6, 10]);
    assert!(kind("money").is_empty());
    let usd = c.search(&SearchRequest { currency: Some("usd".into()), ..Default::default() }).unwrap();
    assert_eq!(usd.total, 0);
    for bad in [
        SearchRequest { amount_kind: Some("cash".into()), ..Default::default() },
        SearchRequest { currency: Some("dollar".into()), ..Default::default() },
    ] {
        let e = c.search(&bad).unwrap_err().to_string();
        assert!(e.contains("amount kind") || e.contains("ISO 4217"), "{e}");
    }
    // What an article with money is indexed under.
    let doc = khabar::Pipeline::builtin().unwrap().analyze("رصدت الحكومة 2.5 مليار دولار و5 في المئة", None).unwrap();
    assert_eq!(khabar_index::writer::amount_terms(&doc), ["money", "money:USD", "percent"]);
}

#[test]
fn title_only_articles_are_found() {
    assert!(ids("عنوان", true).contains(&8));
}

#[test]
fn entity_facets_filter_and_count() {
    let c = corpus();
    let top = c.entities("", None, 50);
    assert!(!top.is_empty(), "no entities indexed");
    for e in top.iter().take(5) {
        let r = c
            .search(&SearchRequest {
                entity: Some(e.id.clone()),
                collapse: false,
                limit: 50,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(r.total as u64, e.articles, "{}", e.id);
        for h in &r.hits {
            assert!(c.article(h.id).unwrap().unwrap().entities.contains(&e.id));
        }
        let d = c.entity(&e.id).unwrap().unwrap();
        assert_eq!(d.timeline.iter().map(|(_, n)| n).sum::<u64>(), e.articles);
        assert!(d.co_mentions.iter().all(|x| x.id != e.id));
    }
    assert!(c.entity("NOPE").is_err());
    assert!(c.entity("PERS:لا يوجد").unwrap().is_none());
}

#[test]
fn articles_are_stored() {
    let a = corpus().article(4).unwrap().unwrap();
    assert_eq!(a.source, "aleqtisadiya");
    assert_eq!(a.date.as_deref(), Some("2015-07-25 08:00:00"));
    assert!(a.text.contains("أرامكو"));
    assert!(corpus().article(999).unwrap().is_none());
}

#[test]
fn an_interrupted_run_resumes_without_duplicates() {
    let recs = records();
    let dir = tempfile::tempdir().unwrap();
    let tok = ArabicTokenizer::builtin().unwrap();
    {
        let mut w = CorpusWriter::create(
            dir.path(),
            tok.clone(),
            &WriterOptions {
                threads: 1,
                ..Default::default()
            },
        )
        .unwrap();
        for r in &recs[..5] {
            w.add(r, None, signature(&r.text).as_ref()).unwrap();
        }
        w.commit(6).unwrap();
        for r in &recs[5..8] {
            w.add(r, None, signature(&r.text).as_ref()).unwrap();
        }
        // Dropped without a commit: as if killed.
    }
    assert!(CorpusWriter::create(dir.path(), tok.clone(), &WriterOptions::default()).is_err());
    let mut w = CorpusWriter::resume(
        dir.path(),
        tok.clone(),
        &WriterOptions {
            threads: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(w.checkpoint().next_line, 6);
    assert_eq!(w.checkpoint().articles, 5);
    for r in &recs[..5] {
        w.observe(r.id, signature(&r.text).as_ref());
    }
    for r in &recs[5..] {
        w.add(r, None, signature(&r.text).as_ref()).unwrap();
    }
    let cp = w.finish(recs.len() as u64 + 1).unwrap();
    assert_eq!(cp.articles, recs.len() as u64);
    let c = Corpus::open(dir.path(), tok).unwrap();
    assert_eq!(c.num_docs(), recs.len() as u64);
    let r = c
        .search(&SearchRequest {
            query: "حفتر".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        r.hits.len(),
        2,
        "the duplicate pair still collapses after resuming"
    );
}
