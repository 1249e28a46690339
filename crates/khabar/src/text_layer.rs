//! The text layer as a pipeline stage: tokens, sentences, glued-word repair, clitic
//! segments, normalized forms and stems.

use khabar_text::repair::Repairer;
use khabar_text::segment::{SegmentRole, Segmenter};
use khabar_text::stem::Stemmer;
use khabar_text::{normalize::normalize_into, split_sentences, tokenize, Profile, Span, TokenKind};

use crate::{Annotator, Document, Repair, Result, Token};

pub(crate) struct TextLayer {
    profile: Profile,
    segmenter: Segmenter,
    repairer: Repairer,
    stemmer: Stemmer,
}

impl TextLayer {
    pub(crate) fn new(profile: Profile, segmenter: Segmenter, repairer: Repairer) -> TextLayer {
        TextLayer { profile, segmenter, repairer, stemmer: Stemmer::default() }
    }

    fn push_token(&self, doc_text: &str, span: Span, kind: TokenKind, repaired: bool, out: &mut Vec<Token>) {
        let surface = &doc_text[span.range()];
        let mut norm = String::with_capacity(surface.len());
        normalize_into(surface, self.profile, &mut norm);
        if norm.is_empty() {
            // Only removable marks (a free-standing tatweel dash, a lone harakah): the
            // contract has no empty strings, and the mark itself is the best form.
            norm.push_str(surface);
        }
        let (segments, base, stem) = if kind == TokenKind::Word {
            let segs = self.segmenter.segment(surface);
            let base = segs.iter().position(|s| s.role == SegmentRole::Base).unwrap_or(0);
            // Stem the base: Snowball alone leaves stacked proclitics (والمعلمون → والمعلم).
            let stem = if segs.len() == 1 {
                self.stemmer.stem_cached(&norm)
            } else {
                let mut base_norm = String::new();
                normalize_into(segs.get(base).map(|s| s.form.as_str()).unwrap_or(surface), self.profile, &mut base_norm);
                self.stemmer.stem_cached(&base_norm)
            };
            (segs.into_iter().map(|s| s.form).collect(), base, Some(stem).filter(|s| !s.is_empty()))
        } else if kind == TokenKind::Number && surface.starts_with(|c: char| khabar_text::chars::is_arabic_letter(c)) {
            // `و2006`, `بـ34.3`: each proclitic letter is a segment, then the number.
            let digits = surface.find(|c: char| khabar_text::chars::is_digit(c)).unwrap_or(surface.len());
            let mut segs: Vec<String> = surface[..digits].chars().filter(|&c| c != '\u{0640}').map(String::from).collect();
            segs.push(surface[digits..].to_string());
            let base = segs.len() - 1;
            (segs, base, None)
        } else {
            (vec![surface.to_string()], 0, None)
        };
        out.push(Token { span, kind, norm, segments, base, stem, repaired });
    }
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
        tokens.reserve(raw.len());
        for t in &raw {
            if t.kind == TokenKind::Word {
                let surface = &text[t.span.range()];
                let points = self.repairer.split(surface).filter(|p| valid_split(surface, p));
                if let Some(points) = points {
                    let mut replacement = String::with_capacity(surface.len() + points.len());
                    let mut last = 0;
                    for &p in &points {
                        replacement.push_str(&surface[last..p]);
                        replacement.push(' ');
                        let part = Span::new(t.span.start as usize + last, t.span.start as usize + p);
                        self.push_token(&text, part, TokenKind::Word, true, &mut tokens);
                        last = p;
                    }
                    replacement.push_str(&surface[last..]);
                    let part = Span::new(t.span.start as usize + last, t.span.end as usize);
                    self.push_token(&text, part, TokenKind::Word, true, &mut tokens);
                    doc.repairs.push(Repair { span: t.span, replacement });
                    continue;
                }
            }
            self.push_token(&text, t.span, t.kind, false, &mut tokens);
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
