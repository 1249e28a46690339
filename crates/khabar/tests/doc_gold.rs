//! The document evaluation set (tests/docs/gold.jsonl) on gold entity mentions, without
//! models: articles, linking, quotes and times must stay above 0.9. The full pipeline
//! figures come from `khabar eval doc crates/khabar/tests/docs/gold.jsonl`.

use khabar::{Document, Entity, EntityType, Span};

fn doc_of(rec: &serde_json::Value) -> (Document, Vec<usize>) {
    let text = rec["text"].as_str().unwrap();
    let date = rec["date"].as_str().map(|d| khabar::parse_date(d).unwrap());
    let d = khabar::bare_document(text, date);
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    (d, bytes)
}

fn sp(v: &serde_json::Value, b: &[usize]) -> Span {
    Span::new(
        b[v["start"].as_u64().unwrap() as usize],
        b[v["end"].as_u64().unwrap() as usize],
    )
}

#[test]
fn gold_set_scores_above_target() {
    let body = include_str!("docs/gold.jsonl");
    let (mut heads_ok, mut heads_sys, mut heads_gold) = (0, 0, 0);
    let (mut t_ok, mut t_sys, mut t_gold) = (0, 0, 0);
    let (mut q_ok, mut q_sys, mut q_gold) = (0, 0, 0);
    let (mut pairs_ok, mut pairs) = (0, 0);
    let mut docs = 0;
    for line in body.lines() {
        let rec: serde_json::Value = serde_json::from_str(line).unwrap();
        docs += 1;
        let (mut d, b) = doc_of(&rec);
        khabar::articles::detect(&mut d);
        let gh: Vec<Span> = rec["articles"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| !a["headline"].is_null())
            .map(|a| sp(&a["headline"], &b))
            .collect();
        let sh: Vec<Span> = d.articles.iter().filter_map(|a| a.headline).collect();
        heads_gold += gh.len();
        heads_sys += sh.len();
        heads_ok += sh.iter().filter(|h| gh.contains(h)).count();
        // Sentences never straddle a headline.
        for h in &sh {
            assert!(d.sentences.iter().all(|s| s.end <= h.start
                || s.start >= h.end
                || (s.start >= h.start && s.end <= h.end)));
        }
        let gents = rec["entities"].as_array().unwrap();
        d.entities = gents
            .iter()
            .map(|e| Entity {
                span: sp(e, &b),
                kind: EntityType::parse(e["type"].as_str().unwrap()).unwrap(),
                id: String::new(),
            })
            .collect();
        let gold_cluster: Vec<i64> = gents
            .iter()
            .map(|e| e["cluster"].as_i64().unwrap())
            .collect();
        khabar::link::link(&mut d);
        // Pairwise agreement over gold mentions (spans may lose a clitic; match by order).
        for i in 0..gents.len() {
            for j in i + 1..gents.len() {
                pairs += 1;
                if (gold_cluster[i] == gold_cluster[j]) == (d.entities[i].id == d.entities[j].id) {
                    pairs_ok += 1;
                }
            }
        }
        let quotes = khabar::quotes::find_quotes(&d);
        let gq = rec["quotes"].as_array().unwrap();
        q_gold += gq.len();
        q_sys += quotes.len();
        for q in &quotes {
            let hit = gq.iter().find(|g| {
                let g_sp = sp(g, &b);
                let inter =
                    q.span
                        .end
                        .min(g_sp.end)
                        .saturating_sub(q.span.start.max(g_sp.start)) as f64;
                let union = (q.span.end.max(g_sp.end) - q.span.start.min(g_sp.start)) as f64;
                inter / union >= 0.8
            });
            if let Some(g) = hit {
                let ok = match (g["speaker"].as_i64(), &q.speaker) {
                    (None, None) => true,
                    (Some(c), Some(id)) => d
                        .entities
                        .iter()
                        .zip(&gold_cluster)
                        .any(|(e, gc)| &e.id == id && *gc == c),
                    _ => false,
                };
                q_ok += usize::from(ok);
            }
        }
        let times = khabar::times::find_times(&d);
        let gt = rec["times"].as_array().unwrap();
        t_gold += gt.len();
        t_sys += times.len();
        for t in &times {
            let ok = gt.iter().any(|g| {
                let g_sp = sp(g, &b);
                g_sp.start < t.span.end
                    && t.span.start < g_sp.end
                    && g["value"].as_str() == t.value.as_deref()
            });
            t_ok += usize::from(ok);
        }
    }
    let f = |ok: usize, sys: usize, gold: usize| {
        let (p, r) = (
            ok as f64 / sys.max(1) as f64,
            ok as f64 / gold.max(1) as f64,
        );
        2.0 * p * r / (p + r).max(1e-9)
    };
    assert!(docs >= 40);
    let (fh, fq, ft) = (
        f(heads_ok, heads_sys, heads_gold),
        f(q_ok, q_sys, q_gold),
        f(t_ok, t_sys, t_gold),
    );
    let link = pairs_ok as f64 / pairs as f64;
    eprintln!("headlines F1 {fh:.3}, quotes F1 {fq:.3}, times F1 {ft:.3}, linking pairwise accuracy {link:.3}");
    assert!(fh >= 0.9, "headlines {fh}");
    assert!(fq >= 0.9, "quotes {fq}");
    assert!(ft >= 0.9, "times {ft}");
    assert!(link >= 0.95, "linking {link}");
}
