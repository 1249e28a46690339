//! A rendering for people: the text with its layers laid out line by line.

use std::fmt::Write;

use crate::Document;

/// Renders `doc` for reading in a terminal.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(d) = doc.date {
        let _ = writeln!(out, "date: {d}");
    }
    for (i, s) in doc.sentences.iter().enumerate() {
        let _ = writeln!(out, "[{}] {}", i + 1, doc.slice(*s));
        let segs: Vec<String> = doc
            .tokens
            .iter()
            .filter(|t| t.span.start >= s.start && t.span.end <= s.end)
            .map(|t| if t.segments.len() > 1 { t.segments.join("+") } else { doc.slice(t.span).to_string() })
            .collect();
        let _ = writeln!(out, "    segments: {}", segs.join(" "));
    }
    if !doc.repairs.is_empty() {
        let _ = writeln!(out, "repairs:");
        for r in &doc.repairs {
            let _ = writeln!(out, "    {} → {}", doc.slice(r.span), r.replacement);
        }
    }
    out
}
