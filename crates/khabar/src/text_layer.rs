//! The text layer as a pipeline stage: tokens, sentences, glued-word repair, clitic
//! segments, normalized forms and stems.
//!
//! Everything derived from a word (its repair, and each part's norm, segments and stem)
//! depends on the word's surface alone, and news vocabulary is Zipfian, so word analyses
//! are memoized per thread: most tokens cost one hash lookup instead of an fst walk, a
//! segmenter pass and a Snowball run.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use khabar_text::repair::Repairer;
use khabar_text::segment::{SegmentRole, Segmenter};
use khabar_text::stem::Stemmer;
use khabar_text::{normalize::normalize_into, split_sentences, tokenize, Profile, Span, TokenKind};
use rustc_hash::FxHashMap;

use crate::{Annotator, Document, Repair, Result, Token};

/// Word analyses kept per thread before the memo is cleared (bounded memory).
const MEMO_CAPACITY: usize = 200_000;

static NEXT_LAYER_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// (owning layer id, surface → analysis). A thread that switches between pipelines
    /// with different models or profiles starts a fresh memo.
    static MEMO: RefCell<(u64, FxHashMap<Box<str>, Rc<WordAnalysis>>)> = RefCell::new((0, FxHashMap::default()));
}

/// What the layer derives from one word token's surface.
struct WordAnalysis {
    /// Where a glued word is split (byte offsets in the surface), and its corrected spacing.
    repair: Option<String>,
    /// One entry per resulting token (one, or several for a repaired word).
    parts: Vec<Part>,
}

struct Part {
    /// Byte range inside the surface.
    start: usize,
    end: usize,
    norm: String,
    segments: Vec<String>,
    base: usize,
    stem: Option<String>,
}

pub(crate) struct TextLayer {
    id: u64,
    profile: Profile,
    segmenter: Segmenter,
    repairer: Repairer,
    stemmer: Stemmer,
}

impl TextLayer {
    pub(crate) fn new(profile: Profile, segmenter: Segmenter, repairer: Repairer) -> TextLayer {
        let id = NEXT_LAYER_ID.fetch_add(1, Ordering::Relaxed);
        TextLayer { id, profile, segmenter, repairer, stemmer: Stemmer::default() }
    }

    fn norm(&self, surface: &str) -> String {
        let mut norm = String::with_capacity(surface.len());
        normalize_into(surface, self.profile, &mut norm);
        if norm.is_empty() {
            // Only removable marks (a free-standing tatweel dash, a lone harakah): the
            // contract has no empty strings, and the mark itself is the best form.
            norm.push_str(surface);
        }
        norm
    }

    fn word_part(&self, surface: &str, start: usize, end: usize) -> Part {
        let word = &surface[start..end];
        let norm = self.norm(word);
        let segs = self.segmenter.segment(word);
        let base = segs.iter().position(|s| s.role == SegmentRole::Base).unwrap_or(0);
        // Stem the base: Snowball alone leaves stacked proclitics (والمعلمون → والمعلم).
        let stem = if segs.len() == 1 {
            self.stemmer.stem(&norm).into_owned()
        } else {
            let base_form = segs.get(base).map(|s| s.form.as_str()).unwrap_or(word);
            self.stemmer.stem(&self.norm(base_form)).into_owned()
        };
        let segments = segs.into_iter().map(|s| s.form).collect();
        Part { start, end, norm, segments, base, stem: Some(stem).filter(|s| !s.is_empty()) }
    }

    fn analyze_word(&self, surface: &str) -> WordAnalysis {
        let points = self.repairer.split(surface).filter(|p| valid_split(surface, p));
        let Some(points) = points else {
            return WordAnalysis { repair: None, parts: vec![self.word_part(surface, 0, surface.len())] };
        };
        let mut parts = Vec::with_capacity(points.len() + 1);
        let mut last = 0;
        for &p in points.iter().chain(std::iter::once(&surface.len())) {
            parts.push(self.word_part(surface, last, p));
            last = p;
        }
        WordAnalysis { repair: Some(khabar_text::repair::respace(surface, &points)), parts }
    }

    fn word(&self, surface: &str) -> Rc<WordAnalysis> {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.0 != self.id {
                *m = (self.id, FxHashMap::default());
            }
            if let Some(a) = m.1.get(surface) {
                return Rc::clone(a);
            }
            let a = Rc::new(self.analyze_word(surface));
            if m.1.len() >= MEMO_CAPACITY {
                m.1.clear();
            }
            m.1.insert(surface.into(), Rc::clone(&a));
            a
        })
    }
}

/// Segments of a number token: `و2006`, `بـ34.3` split each proclitic letter off the number.
fn number_segments(surface: &str) -> (Vec<String>, usize) {
    if !surface.starts_with(khabar_text::chars::is_arabic_letter) {
        return (vec![surface.to_string()], 0);
    }
    let digits = surface.find(khabar_text::chars::is_digit).unwrap_or(surface.len());
    let mut segs: Vec<String> = surface[..digits].chars().filter(|&c| c != '\u{0640}').map(String::from).collect();
    segs.push(surface[digits..].to_string());
    let base = segs.len() - 1;
    (segs, base)
}

impl Annotator for TextLayer {
    fn name(&self) -> &'static str {
        "text"
    }

    fn annotate(&self, doc: &mut Document) -> Result<()> {
        let text = doc.shared_text();
        let raw = tokenize(&text);
        doc.sentences = split_sentences(&text, &raw);
        let mut tokens = std::mem::take(&mut doc.tokens);
        // Room for the parts of repaired words too (about 1 token in 100 in news; 1 in 8
        // reserved): growing past the reservation would double a long document's largest
        // vector while both copies are alive.
        tokens.reserve(raw.len() + raw.len() / 8 + 16);
        for (k, t) in raw.iter().enumerate() {
            // A cancelled analysis stops here (checked every few thousand tokens: cheap).
            if k % 4096 == 0 && crate::pipeline::stopped() {
                break;
            }
            let surface = &text[t.span.range()];
            if t.kind != TokenKind::Word {
                let (segments, base) =
                    if t.kind == TokenKind::Number { number_segments(surface) } else { (vec![surface.to_string()], 0) };
                tokens.push(Token { span: t.span, kind: t.kind, norm: self.norm(surface), segments, base, stem: None, repaired: false });
                continue;
            }
            let a = self.word(surface);
            let at = t.span.start as usize;
            for p in &a.parts {
                tokens.push(Token {
                    span: Span::new(at + p.start, at + p.end),
                    kind: TokenKind::Word,
                    norm: p.norm.clone(),
                    segments: p.segments.clone(),
                    base: p.base,
                    stem: p.stem.clone(),
                    repaired: a.repair.is_some(),
                });
            }
            if let Some(replacement) = &a.repair {
                doc.repairs.push(Repair { span: t.span, replacement: replacement.clone() });
            }
        }
        doc.tokens = tokens;
        Ok(())
    }
}

/// Split points must be strictly increasing char boundaries strictly inside the word.
fn valid_split(word: &str, points: &[usize]) -> bool {
    !points.is_empty()
        && points.windows(2).all(|w| w[0] < w[1])
        && points.iter().all(|&p| p > 0 && p < word.len() && word.is_char_boundary(p))
}
