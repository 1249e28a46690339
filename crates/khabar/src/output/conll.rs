//! CoNLL-style rendering: one token per line (`index  token  norm  segments  stem  kind  entity`),
//! a blank line between sentences. Entity tags are BIO over tokens.

use std::fmt::Write;

use crate::{CodepointIndex, Document};

/// Renders `doc` as CoNLL lines. Offsets are code points, like the JSON contract.
pub fn render(doc: &Document) -> String {
    let idx = CodepointIndex::new(doc.text());
    let mut out = String::new();
    let _ = writeln!(out, "# text = {}", doc.text().replace('\n', " "));
    let mut sent = 0usize;
    let mut n = 0usize;
    for t in &doc.tokens {
        while sent < doc.sentences.len() && doc.sentences[sent].end <= t.span.start {
            sent += 1;
            if n > 0 {
                out.push('\n');
            }
            n = 0;
        }
        n += 1;
        let tag = doc
            .entities
            .iter()
            .find(|e| e.span.start <= t.span.start && t.span.end <= e.span.end.max(t.span.end) && t.span.start < e.span.end)
            .map(|e| format!("{}-{}", if e.span.start >= t.span.start { "B" } else { "I" }, e.kind.as_str()))
            .unwrap_or_else(|| "O".to_string());
        let _ = writeln!(
            out,
            "{n}\t{}\t{}\t{}\t{}\t{}\t{}\t{}..{}",
            doc.slice(t.span),
            t.norm,
            t.segments.join("+"),
            t.stem.as_deref().unwrap_or("_"),
            t.kind.as_str(),
            tag,
            idx.cp(t.span.start),
            idx.cp(t.span.end)
        );
    }
    out
}
