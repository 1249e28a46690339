//! An organization's short name, given in parentheses after its full name in some
//! articles, is one corpus entity with it: listed once, searched and shown together.

use khabar_index::analyzer::ArabicTokenizer;
use khabar_index::dedup::signature;
use khabar_index::search::{Corpus, SearchRequest};
use khabar_index::writer::{ArticleRecord, CorpusWriter, WriterOptions};

const ARTICLES: [&str; 4] = [
    "أعلن الاتحاد الدولي لكرة القدم (فيفا) اليوم أن البطولة المقبلة ستقام في قطر بمشاركة 48 منتخبا.",
    "وقال الاتحاد الدولي لكرة القدم (فيفا) في بيان صدر أمس إن لجنته التنفيذية اجتمعت في زيورخ لبحث ملف الانتخابات.",
    "وفرض فيفا عقوبات مالية على النادي بعد أحداث الشغب التي شهدتها المباراة الأخيرة في الدوري.",
    "وذكر فيفا في بيان أن التصويت على الرئيس الجديد سيجري في شهر فبراير المقبل في زيورخ.",
];

fn corpus() -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = khabar::Pipeline::builtin().expect("pipeline");
    let options = WriterOptions { threads: 1, ..Default::default() };
    let mut w = CorpusWriter::create(dir.path(), ArabicTokenizer::builtin().expect("tokenizer"), &options).expect("writer");
    for (i, text) in ARTICLES.iter().enumerate() {
        let r = ArticleRecord { id: i as u64 + 1, title: String::new(), text: text.to_string(), date: Some(format!("2015-08-0{}", i + 1)), source: "t".into(), url: format!("u{i}") };
        let doc = pipeline.analyze(text, None).expect("analysis");
        w.add(&r, Some(&doc), signature(text).as_ref()).expect("add");
    }
    w.finish(ARTICLES.len() as u64 + 1).expect("finish");
    let c = Corpus::open(dir.path(), ArabicTokenizer::builtin().expect("tokenizer")).expect("open");
    (dir, c)
}

#[test]
fn a_short_name_in_parentheses_joins_its_organization_across_the_corpus() {
    let (_dir, c) = corpus();
    let orgs = c.entities("", Some("ORG"), 10);
    assert_eq!(orgs.len(), 1, "{orgs:?}");
    let fifa = &orgs[0];
    assert_eq!(fifa.id, "ORG:اتحاد دولي لكره قدم");
    assert_eq!(fifa.articles, 4, "the two articles that write only فيفا count too");
    // The short name finds the entity, and filters by either id give all four articles.
    assert_eq!(c.entities("فيفا", None, 10).first().map(|e| e.id.as_str()), Some(fifa.id.as_str()));
    for id in [fifa.id.as_str(), "ORG:فيفا", "فيفا"] {
        let r = c.search(&SearchRequest { entity: Some(id.into()), collapse: false, limit: 10, ..Default::default() }).expect("search");
        assert_eq!(r.total, 4, "{id}");
    }
    // The short name's page is the full name's, with both forms among the variants.
    let page = c.entity("ORG:فيفا").expect("page").expect("entity");
    assert_eq!(page.entity.id, fifa.id);
    assert_eq!(page.timeline.iter().map(|(_, n)| n).sum::<u64>(), 4);
    let forms: Vec<&str> = page.variants.iter().map(|(v, _)| v.as_str()).collect();
    assert!(forms.contains(&"فيفا") && forms.contains(&"الاتحاد الدولي لكرة القدم"), "{forms:?}");
    assert!(page.co_mentions.iter().all(|e| e.id != fifa.id && e.id != "ORG:فيفا"));
    // Places list it once among their neighbours, by the full name's id.
    let places = c.places(&SearchRequest::default(), 10).expect("places");
    let zurich = places.iter().find(|p| p.name == "زيورخ").expect("زيورخ resolved");
    assert_eq!(zurich.co_mentions.iter().map(|(id, _, n)| (id.as_str(), *n)).collect::<Vec<_>>(), [(fifa.id.as_str(), 2)]);
    // An article that writes only the short name lists the entity by its corpus id.
    assert!(c.article(3).expect("article").expect("stored").entities.contains(&fifa.id));
}
