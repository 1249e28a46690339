//! CoNLL exact-span scoring, with conlleval's rules for reading chunks off BIO tags:
//! a chunk starts at `B-X`, or at `I-X` when the previous tag is `O` or of another type;
//! it ends before `O`, `B-*` or a tag of another type. A predicted chunk is correct when
//! its first token, last token and type all match a gold chunk.

use std::fmt::Write;

use super::features::{is_begin, tag_type, TYPES};

/// Chunks `(start, end_exclusive, type 1..=4)` of a tag-index sequence, by conlleval's rules.
pub fn chunks(tags: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let ty = tag_type(t);
        let continues = t != 0 && !is_begin(t) && open.is_some_and(|(_, oty)| oty == ty);
        if !continues {
            if let Some((s, oty)) = open.take() {
                out.push((s, i, oty));
            }
            if t != 0 {
                open = Some((i, ty));
            }
        }
    }
    if let Some((s, oty)) = open {
        out.push((s, tags.len(), oty));
    }
    out
}

/// Precision, recall and F1, in percent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prf {
    /// Correct / predicted.
    pub precision: f64,
    /// Correct / gold.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

fn prf(tp: u64, pred: u64, gold: u64) -> Prf {
    let p = if pred > 0 { 100.0 * tp as f64 / pred as f64 } else { 0.0 };
    let r = if gold > 0 { 100.0 * tp as f64 / gold as f64 } else { 0.0 };
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    Prf { precision: p, recall: r, f1: f }
}

/// Precision, recall and F1 as fractions from counts, 1.0 where a denominator is empty
/// (nothing found: nothing wrong; nothing to find: nothing missed), for the real-news
/// fixtures' scores (entities, quotes).
pub fn fractions(correct: usize, system: usize, gold: usize) -> (f64, f64, f64) {
    let p = if system == 0 { 1.0 } else { correct as f64 / system as f64 };
    let r = if gold == 0 { 1.0 } else { correct as f64 / gold as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

/// Accumulates chunk counts over sentences or documents.
#[derive(Clone, Debug, Default)]
pub struct Scorer {
    /// Correct chunks per type (index 1..=4; 0 unused).
    pub correct: [u64; 5],
    /// Gold chunks per type.
    pub gold: [u64; 5],
    /// Predicted chunks per type.
    pub predicted: [u64; 5],
    /// Tokens seen (tag-level scoring only).
    pub tokens: u64,
    /// Tokens whose tag is exactly right.
    pub tokens_correct: u64,
}

impl Scorer {
    /// Scores one sentence of gold and predicted tag indices (same length).
    pub fn add_tags(&mut self, gold: &[usize], pred: &[usize]) {
        self.tokens += gold.len() as u64;
        self.tokens_correct += gold.iter().zip(pred).filter(|(g, p)| g == p).count() as u64;
        self.add_spans(&chunks(gold), &chunks(pred));
    }

    /// Scores chunks given directly as `(start, end, type)` (any unit: tokens or bytes).
    pub fn add_spans(&mut self, gold: &[(usize, usize, usize)], pred: &[(usize, usize, usize)]) {
        for g in gold {
            self.gold[g.2] += 1;
        }
        for p in pred {
            self.predicted[p.2] += 1;
            if gold.contains(p) {
                self.correct[p.2] += 1;
            }
        }
    }

    /// Scores of one type (1..=4).
    pub fn of_type(&self, ty: usize) -> Prf {
        prf(self.correct[ty], self.predicted[ty], self.gold[ty])
    }

    /// Micro-averaged scores over all types.
    pub fn micro(&self) -> Prf {
        prf(self.correct.iter().sum(), self.predicted.iter().sum(), self.gold.iter().sum())
    }

    /// Micro-averaged over persons, places and organizations only (the classes every
    /// annotation scheme shares; FANE has no MISC events or currencies, for instance).
    pub fn micro_plo(&self) -> Prf {
        let sum = |v: &[u64]| v[1..=3].iter().sum::<u64>();
        prf(sum(&self.correct), sum(&self.predicted), sum(&self.gold))
    }

    /// A table in conlleval's spirit: one line per type and the micro average.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{:<6} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}", "type", "precision", "recall", "F1", "gold", "found", "correct");
        for ty in 1..=4 {
            let m = self.of_type(ty);
            let _ = writeln!(
                s,
                "{:<6} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>7} {:>7}",
                TYPES[ty], m.precision, m.recall, m.f1, self.gold[ty], self.predicted[ty], self.correct[ty]
            );
        }
        let m = self.micro();
        let _ = writeln!(
            s,
            "{:<6} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>7} {:>7}",
            "micro",
            m.precision,
            m.recall,
            m.f1,
            self.gold.iter().sum::<u64>(),
            self.predicted.iter().sum::<u64>(),
            self.correct.iter().sum::<u64>()
        );
        let m = self.micro_plo();
        let sum = |v: &[u64]| v[1..=3].iter().sum::<u64>();
        let _ = writeln!(
            s,
            "{:<6} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>7} {:>7}  (PERS/LOC/ORG only)",
            "PLO",
            m.precision,
            m.recall,
            m.f1,
            sum(&self.gold),
            sum(&self.predicted),
            sum(&self.correct)
        );
        if self.tokens > 0 {
            let _ = writeln!(s, "token accuracy {:.2}% over {} tokens", 100.0 * self.tokens_correct as f64 / self.tokens as f64, self.tokens);
        }
        s
    }
}
