//! The seed article (examples/seed-article.txt): the contract's values for articles,
//! times, quotes and linking, on hand-set entity mentions (no models needed).

use khabar::{Document, Entity, EntityType, Span};

const SEED: &str = include_str!("data/seed-article.txt");

fn seed_doc() -> Document {
    let date = khabar::parse_date("2017-08-01").unwrap();
    khabar::bare_document(SEED, Some(date))
}

fn cp(s: Span) -> (usize, usize) {
    (
        SEED[..s.start as usize].chars().count(),
        SEED[..s.end as usize].chars().count(),
    )
}

fn mentions(d: &mut Document, names: &[(&str, EntityType)]) {
    for (name, kind) in names {
        for (b, _) in SEED.match_indices(name) {
            // Whole words only (a clitic in front is allowed).
            let before = SEED[..b].chars().last();
            let after = SEED[b + name.len()..].chars().next();
            let ok_before =
                before.is_none_or(|c| !c.is_alphabetic() || matches!(c, 'و' | 'ل' | 'ب'));
            let ok_after = after.is_none_or(|c| !c.is_alphabetic());
            if ok_before
                && ok_after
                && !d
                    .entities
                    .iter()
                    .any(|e| (e.span.start as usize) < b + name.len() && b < e.span.end as usize)
            {
                d.entities.push(Entity {
                    span: Span::new(b, b + name.len()),
                    kind: *kind,
                    id: String::new(),
                });
            }
        }
    }
    d.entities.sort_by_key(|e| e.span.start);
}

#[test]
fn seed_articles_and_headline() {
    let mut d = seed_doc();
    khabar::articles::detect(&mut d);
    let arts: Vec<_> = d
        .articles
        .iter()
        .map(|a| (cp(a.span), a.headline.map(cp)))
        .collect();
    assert_eq!(
        arts,
        vec![((0, 1607), None), ((1608, 2169), Some((1608, 1651)))]
    );
    assert!(d.sentences.iter().any(|s| cp(*s) == (1608, 1651)));
}

#[test]
fn seed_times() {
    let d = seed_doc();
    let t: Vec<_> = khabar::times::find_times(&d)
        .into_iter()
        .map(|t| (cp(t.span), t.value))
        .collect();
    assert_eq!(t[0], ((309, 318), Some("2017-07-30".to_string())));
    assert!(t.iter().any(|x| x.1.as_deref() == Some("2017-W30")));
    assert!(t.iter().any(|x| x.1.as_deref() == Some("2018-03")));
}

#[test]
fn seed_linking_and_quotes() {
    let mut d = seed_doc();
    khabar::articles::detect(&mut d);
    use EntityType::*;
    mentions(
        &mut d,
        &[
            ("وزارة الخارجية الأمريكية", Org),
            ("فائز السراج", Pers),
            ("فايز السراج", Pers),
            ("خليفة حفتر", Pers),
            ("خميس الجهيناوي", Pers),
            ("الجهيناوي", Pers),
            ("السراج", Pers),
            ("حفتر", Pers),
            ("الولاياتالمتحدة", Loc),
            ("فرانس 24", Org),
        ],
    );
    khabar::link::link(&mut d);
    let rec = d
        .entity_index
        .iter()
        .find(|r| r.name == "فائز السراج")
        .unwrap();
    assert_eq!(rec.variants, vec!["فائز السراج", "فايز السراج", "السراج"]);
    assert_eq!(rec.mentions, 4);
    let hafter = d
        .entity_index
        .iter()
        .find(|r| r.name == "خليفة حفتر")
        .unwrap();
    assert_eq!(hafter.mentions, 5, "{:?}", hafter);
    assert_eq!(hafter.variants, vec!["خليفة حفتر", "حفتر"]);
    let quotes = khabar::quotes::find_quotes(&d);
    let q0 = quotes
        .iter()
        .find(|q| cp(q.span) == (326, 591))
        .expect("the embassy quote");
    assert_eq!(q0.cue.as_deref(), Some("أكد"));
    assert_eq!(q0.speaker, None);
    let id_of = |name: &str| {
        d.entity_index
            .iter()
            .find(|r| r.name == name)
            .unwrap()
            .id
            .clone()
    };
    let jh = id_of("خميس الجهيناوي");
    let by_jh: Vec<_> = quotes
        .iter()
        .filter(|q| q.speaker.as_deref() == Some(jh.as_str()))
        .collect();
    assert_eq!(by_jh.len(), 2);
    assert!(quotes.iter().any(
        |q| q.speaker.as_deref() == Some(id_of("خليفة حفتر").as_str())
            && d.slice(q.span).starts_with("إنه لا يوجد")
    ));
    // The participle مؤكدة reports the ministry.
    assert!(quotes.iter().any(|q| q.cue.as_deref() == Some("مؤكدة")
        && q.speaker.as_deref() == Some(id_of("وزارة الخارجية الأمريكية").as_str())));
    // «فرانس 24» is a name, not a quote.
    assert!(!quotes.iter().any(|q| d.slice(q.span) == "فرانس 24"));
}

#[test]
fn invalid_dates_are_refused_with_a_clear_message() {
    for bad in ["2017-13-45", "أمس", "2017-02-30", "17-08-01", ""] {
        let e = khabar::parse_date(bad).unwrap_err().to_string();
        assert!(e.contains("invalid date") && e.contains(bad), "{e}");
    }
    assert_eq!(khabar::parse_date("2017-08-01").unwrap().to_string(), "2017-08-01");
    // Without a date, relative times are null and absolute ones still resolve.
    let mut d = seed_doc();
    d.date = None;
    let t = khabar::times::find_times(&d);
    assert_eq!(t[0].value, None);
    assert!(t.iter().any(|x| x.value.as_deref() == Some("2018-03")));
}
