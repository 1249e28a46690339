//! Sentence and token agreement with a UD treebank that carries raw `# text` (UD Arabic-PUD).
//!
//! Gold tokens: a punctuation or symbol row is a token of its own; other rows joined by
//! `SpaceAfter=No` form one orthographic word (clitic rows rejoin their host, as ANERcorp
//! writes them). Each gold token is located in `# text`, so agreement is measured on exact
//! byte spans. Gold sentences: each treebank sentence; the texts are joined with a space,
//! and the splitter must find the boundaries again.

use crate::corpus::ConlluSentence;
use crate::{split_sentences, tokenize, Span};

/// Precision, recall and F1 of predicted against gold spans.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Prf {
    /// Spans predicted.
    pub predicted: usize,
    /// Spans in the gold standard.
    pub gold: usize,
    /// Spans in both.
    pub correct: usize,
}

impl Prf {
    /// correct / predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    /// correct / gold.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Prf) {
        self.predicted += o.predicted;
        self.gold += o.gold;
        self.correct += o.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Agreement figures over a treebank.
#[derive(Debug, Default, Clone)]
pub struct Agreement {
    /// Token spans.
    pub tokens: Prf,
    /// Sentence spans over the joined text.
    pub sentences: Prf,
    /// Sentences whose gold tokens could not all be located in `# text` (skipped for tokens).
    pub unaligned: usize,
    /// A sample of disagreements: (gold tokens, predicted tokens) of a sentence.
    pub examples: Vec<(String, String)>,
}

/// The gold orthographic tokens of a sentence, as byte spans of its `# text`.
pub fn gold_tokens(s: &ConlluSentence, text: &str) -> Option<Vec<Span>> {
    let mut words: Vec<String> = Vec::new();
    let mut glue = false;
    for row in &s.rows {
        let punct = matches!(row.upos.as_str(), "PUNCT" | "SYM");
        if glue && !punct && words.last().is_some_and(|w| !is_punct_word(w)) {
            if let Some(w) = words.last_mut() {
                w.push_str(&row.form);
            }
        } else {
            words.push(row.form.clone());
        }
        glue = row.no_space_after() && !punct;
    }
    let mut spans = Vec::with_capacity(words.len());
    let mut at = 0;
    for w in &words {
        let rest = text.get(at..)?;
        let skip = rest.len() - rest.trim_start().len();
        let start = at + skip;
        if !text.get(start..)?.starts_with(w.as_str()) {
            return None;
        }
        spans.push(Span::new(start, start + w.len()));
        at = start + w.len();
    }
    Some(spans)
}

fn is_punct_word(w: &str) -> bool {
    w.chars().all(|c| !c.is_alphanumeric())
}

fn compare(pred: &[Span], gold: &[Span]) -> Prf {
    let g: std::collections::HashSet<&Span> = gold.iter().collect();
    Prf { predicted: pred.len(), gold: gold.len(), correct: pred.iter().filter(|p| g.contains(p)).count() }
}

/// Measures khabar's tokenizer and sentence splitter against `sentences`.
pub fn measure(sentences: &[ConlluSentence], max_examples: usize) -> Agreement {
    let mut a = Agreement::default();
    let mut joined = String::new();
    let mut gold_sents = Vec::new();
    for s in sentences {
        let Some(text) = s.text() else { continue };
        match gold_tokens(s, text) {
            Some(gold) => {
                let pred: Vec<Span> = tokenize(text).into_iter().map(|t| t.span).collect();
                let prf = compare(&pred, &gold);
                if prf.correct != prf.gold.max(prf.predicted) && a.examples.len() < max_examples {
                    let show = |v: &[Span]| v.iter().map(|sp| &text[sp.range()]).collect::<Vec<_>>().join(" | ");
                    a.examples.push((show(&gold), show(&pred)));
                }
                a.tokens.add(prf);
            }
            None => a.unaligned += 1,
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        let start = joined.len();
        joined.push_str(text.trim());
        gold_sents.push(Span::new(start, joined.len()));
    }
    let pred = split_sentences(&joined, &tokenize(&joined));
    a.sentences = compare(&pred, &gold_sents);
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::ConlluRow;

    fn row(form: &str, upos: &str, glued: bool) -> ConlluRow {
        ConlluRow {
            form: form.into(),
            lemma: "_".into(),
            upos: upos.into(),
            feats: "_".into(),
            misc: if glued { "SpaceAfter=No".into() } else { "_".into() },
        }
    }

    #[test]
    fn clitic_rows_rejoin_and_punctuation_stays_apart() {
        let s = ConlluSentence {
            comments: vec![("text".into(), "نشرتها للسلطة, أمس.".into())],
            rows: vec![
                row("نشرت", "VERB", true),
                row("ها", "PRON", false),
                row("ل", "ADP", true),
                row("لسلطة", "NOUN", true),
                row(",", "PUNCT", false),
                row("أمس", "NOUN", true),
                row(".", "PUNCT", false),
            ],
        };
        let text = s.text().unwrap();
        let spans = gold_tokens(&s, text).unwrap();
        let words: Vec<_> = spans.iter().map(|sp| &text[sp.range()]).collect();
        assert_eq!(words, vec!["نشرتها", "للسلطة", ",", "أمس", "."]);
        let a = measure(&[s], 5);
        assert_eq!(a.tokens.f1(), 1.0);
        assert_eq!(a.sentences.correct, 1);
    }
}
