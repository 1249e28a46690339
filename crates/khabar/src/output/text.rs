//! A rendering for people: stories, sentences with their entities, times and amounts
//! marked, quotes with their speakers, and the entity index.
//!
//! ```text
//! date: 2017-08-01
//! ══ story 2 ══ headline: تونس: التعاون الأمني والقضائي مع ليبيا قائم
//! [7] أكد وزير الخارجية التونسي [خميس الجهيناوي]E5 أن …
//!     quote (أكد) by خميس الجهيناوي [E5]: التعاون الأمني …
//!     time: أمس الأول → 2017-07-30
//!     amount: 2.5 مليار دولار → money 2500000000 USD
//! ```

use std::fmt::Write;

use crate::{Document, Span};

fn inside(s: Span, outer: Span) -> bool {
    s.start >= outer.start && s.end <= outer.end
}

/// Renders `doc` for reading in a terminal.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    match doc.date {
        Some(d) => {
            let _ = writeln!(out, "date: {d}");
        }
        None => {
            let _ = writeln!(out, "date: (none: relative times are not resolved)");
        }
    }
    let name_of = |id: &str| {
        doc.entity_index
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut story = 0;
    for (i, s) in doc.sentences.iter().enumerate() {
        // Story breaks before the sentence that opens a story.
        while story < doc.articles.len() && doc.articles[story].span.start <= s.start {
            let a = &doc.articles[story];
            story += 1;
            match a.headline {
                Some(h) => {
                    let _ = writeln!(out, "══ story {story} ══ headline: {}", doc.slice(h));
                }
                None => {
                    let _ = writeln!(out, "══ story {story} ══");
                }
            }
        }
        // The sentence with entities as [mention]Eid, times as {time = value}, amounts as <amount>.
        let mut marks: Vec<(u32, u32, String, String)> = Vec::new();
        for e in doc.entities.iter().filter(|e| inside(e.span, *s)) {
            marks.push((e.span.start, e.span.end, "[".into(), format!("]{}", e.id)));
        }
        for t in doc.times.iter().filter(|t| inside(t.span, *s)) {
            if marks.iter().any(|m| m.0 < t.span.end && t.span.start < m.1) {
                continue;
            }
            marks.push((
                t.span.start,
                t.span.end,
                "{".into(),
                format!(" = {}}}", t.value.as_deref().unwrap_or("?")),
            ));
        }
        for a in doc.amounts.iter().filter(|a| inside(a.span, *s)) {
            if marks.iter().any(|m| m.0 < a.span.end && a.span.start < m.1) {
                continue;
            }
            marks.push((a.span.start, a.span.end, "<".into(), ">".into()));
        }
        marks.sort_by_key(|m| (m.0, std::cmp::Reverse(m.1)));
        let mut line = String::new();
        let mut at = s.start;
        for (a, b, open, close) in &marks {
            if *a < at {
                continue;
            }
            line.push_str(doc.slice(Span { start: at, end: *a }));
            line.push_str(open);
            line.push_str(doc.slice(Span { start: *a, end: *b }));
            line.push_str(close);
            at = *b;
        }
        line.push_str(doc.slice(Span {
            start: at,
            end: s.end,
        }));
        let _ = writeln!(out, "[{}] {}", i + 1, line.replace('\n', " "));
        for q in doc
            .quotes
            .iter()
            .filter(|q| q.span.start >= s.start && q.span.start < s.end)
        {
            let who = match (&q.speaker, q.speaker_span) {
                (Some(id), _) => format!("{} [{id}]", name_of(id)),
                (None, Some(sp)) => format!("«{}» (not an entity)", doc.slice(sp)),
                (None, None) => "unknown speaker".to_string(),
            };
            let cue = q
                .cue
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let _ = writeln!(out, "    quote{cue} by {who}: {}", doc.slice(q.span));
        }
        for t in doc.times.iter().filter(|t| inside(t.span, *s)) {
            let _ = writeln!(
                out,
                "    time: {} → {}{}",
                doc.slice(t.span),
                t.value.as_deref().unwrap_or("unresolved"),
                t.modifier.map(|m| format!(" ({})", m.as_str())).unwrap_or_default()
            );
        }
        for a in doc.amounts.iter().filter(|a| inside(a.span, *s)) {
            let _ = writeln!(
                out,
                "    amount: {} → {} {}{}{}",
                doc.slice(a.span),
                a.kind.as_str(),
                crate::output::v1::AmountValue(a.value).display(),
                a.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default(),
                if a.approx { " (approx.)" } else { "" }
            );
        }
    }
    if !doc.entity_index.is_empty() {
        let _ = writeln!(out, "entities:");
        for r in &doc.entity_index {
            let _ = writeln!(
                out,
                "    {} {} {} ×{} ({}){}",
                r.id,
                r.kind.as_str(),
                r.name,
                r.mentions,
                r.variants.join(" | "),
                r.subtype.map(|s| format!(" · {s}")).unwrap_or_default()
            );
        }
    }
    if !doc.repairs.is_empty() {
        let _ = writeln!(out, "repairs:");
        for r in &doc.repairs {
            let _ = writeln!(out, "    {} → {}", doc.slice(r.span), r.replacement);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Article, Entity, EntityRecord, EntityType, Quote, Time};

    #[test]
    fn renders_stories_entities_quotes_and_times() {
        let text = "قال فائز السراج أمس إن الاتفاق صامد.";
        let mut d = Document::new(text, crate::parse_date("2017-08-01").ok());
        d.sentences = vec![Span::new(0, text.len())];
        d.articles = vec![Article {
            span: Span::new(0, text.len()),
            headline: None,
        }];
        let name = text.find("فائز").unwrap();
        d.entities = vec![Entity {
            span: Span::new(name, name + "فائز السراج".len()),
            kind: EntityType::Pers,
            id: "E1".into(),
        }];
        d.entity_index = vec![EntityRecord {
            id: "E1".into(),
            kind: EntityType::Pers,
            name: "فائز السراج".into(),
            variants: vec!["فائز السراج".into()],
            mentions: 1,
            subtype: Some("Politician"),
            place: None,
        }];
        let t = text.find("أمس").unwrap();
        d.times = vec![Time {
            modifier: None,
            span: Span::new(t, t + "أمس".len()),
            value: Some("2017-07-31".into()),
        }];
        let q = text.find("الاتفاق").unwrap();
        d.quotes = vec![Quote {
            span: Span::new(q, text.len() - 1),
            cue: Some("قال".into()),
            speaker: Some("E1".into()),
            speaker_span: None,
        }];
        let r = render(&d);
        assert!(r.contains("══ story 1 ══"), "{r}");
        assert!(r.contains("[فائز السراج]E1"), "{r}");
        assert!(r.contains("{أمس = 2017-07-31}"), "{r}");
        assert!(
            r.contains("quote (قال) by فائز السراج [E1]: الاتفاق صامد"),
            "{r}"
        );
        assert!(r.contains("E1 PERS فائز السراج ×1 (فائز السراج) · Politician"), "{r}");
    }
}
