//! Named-entity recognition: an averaged structured perceptron over BIO tags with Viterbi
//! decoding, rich lexical features, word clusters learned from unlabeled news text and
//! gazetteers mined from the training data. See `docs/ner.md` for the design and figures.
//!
//! The tagger works on the pipeline's tokens sentence by sentence. A mention keeps the
//! token's conjunction and preposition clitics out of its span where the segmenter
//! splits them off and the rest of the token starts with the next segment as written
//! (`وحفتر` → `حفتر`, `والسراج` → `السراج`); `للسراج` (ل + ال written `لل`) stays whole.

#[cfg(feature = "train")]
pub mod fane;
pub mod fixture;
pub mod extents;
mod features;
mod institutions;
mod marks;
mod model;
mod months;
pub mod orgnames;
pub mod score;
mod speakers;
mod weights;
pub mod subtype;
#[cfg(feature = "train")]
pub mod train;
#[cfg(feature = "train")]
pub mod wordlex;

use std::collections::HashMap;

use khabar_model::Blob;
use khabar_text::normalize::normalize;
use khabar_text::{Profile, Span};

pub use features::{tag_index, FeatureSet, TAGS, TYPES};
pub use model::{MentionTok, Model, KIND, VERSION};
pub(crate) use institutions::is_person_title;

use crate::{Annotator, Document, Entity, EntityRecord, EntityType, Result};

/// Which names the NER stage reports.
///
/// ANERcorp, which the tagger learns from, leaves institutions named by their function
/// outside every name (`وزارة الخارجية المصرية`, `الحكومة الأردنية`, `البنك المركزي`);
/// readers of news, and most annotation schemes since (OntoNotes, CoNLL), take them as
/// organizations. `News` (the default) adds them; `Anercorp` reports only what the tagger
/// and the speaker-name rules find, for output comparable with ANERcorp's annotation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Convention {
    /// Institutions named by their function are organizations.
    #[default]
    News,
    /// ANERcorp's annotation: they are not names.
    Anercorp,
}

impl std::str::FromStr for Convention {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Convention, String> {
        match s {
            "news" => Ok(Convention::News),
            "anercorp" => Ok(Convention::Anercorp),
            _ => Err(format!("unknown NER convention `{s}` (expected `news` or `anercorp`)")),
        }
    }
}

/// The NER stage: tags tokens with ANERcorp's classes and fills `entities`.
#[derive(Debug)]
pub struct NerTagger {
    model: Model,
    convention: Convention,
}

impl NerTagger {
    /// Loads a NER model.
    ///
    /// # Errors
    /// A model error when the bytes are not a valid NER model (truncated, foreign, of
    /// another version, corrupted).
    pub fn from_blob(blob: Blob) -> Result<NerTagger> {
        Ok(NerTagger { model: Model::from_blob(blob)?, convention: Convention::default() })
    }

    /// The NER stage around a loaded model (e.g. one given its knowledge base with
    /// [`Model::from_blob_with_kb`]).
    pub fn from_model(model: Model) -> NerTagger {
        NerTagger { model, convention: Convention::default() }
    }

    /// Reports names by this convention instead of the default ([`Convention::News`]).
    #[must_use]
    pub fn with_convention(mut self, convention: Convention) -> NerTagger {
        self.convention = convention;
        self
    }

    /// The loaded model.
    pub fn model(&self) -> &Model {
        &self.model
    }
}

impl NerTagger {
    /// Whether a name's first word keeps a letter that looks like a clitic: the whole word
    /// is a known name (knowledge base, training names, self-training) at least as strongly
    /// as the rest is (`بشار` stays, `وحفتر` loses its و), or a place whose rest is none.
    fn whole_is_name(&self, whole: &str, rest: &str) -> bool {
        // A place the knowledge base knows whole, whose rest is no place, keeps its first
        // letter whatever the counts say (`بون`, not ب + `ون`; `باليرمو`, not ب + `اليرمو`).
        // So does a foreign given name known whole whose rest is no name at all and no word
        // of the labeled text (`والتر`, `وودرو`, `فلوريان`; but ب + `ولاية`).
        let m = &self.model;
        // The unlabeled news writes the whole word at least twice as often as its rest on its
        // own (`بشار` against `شار`; `بوروسيا`, whose rest `وروسيا` is mostly "and Russia"):
        // the letter is the name's.
        if m.corpus_keeps_first_letter(whole) {
            return true;
        }
        let ((whole_place, whole_person), (rest_place, rest_person)) = (m.kb_name_kinds(whole), m.kb_name_kinds(rest));
        if !rest_place && (whole_place || (whole_person && !rest_person && !m.is_training_word(rest))) {
            return true;
        }
        let (known, n_whole) = self.model.name_evidence(whole);
        if !known {
            return false;
        }
        let (rest_known, n_rest) = self.model.name_evidence(rest);
        !rest_known || n_whole >= n_rest
    }
}

fn entity_type(ty: usize) -> EntityType {
    match ty {
        1 => EntityType::Pers,
        2 => EntityType::Loc,
        3 => EntityType::Org,
        _ => EntityType::Misc,
    }
}

/// The byte length of a leading proclitic letter `p` in `surface` (with any marks after
/// it), when the surface starts with it.
fn proclitic_len(surface: &str, p: &str) -> Option<usize> {
    let mut it = surface.char_indices();
    let (_, c) = it.next()?;
    if normalize(&c.to_string(), Profile::Search) != p {
        return None;
    }
    for (b, c) in it {
        if !(khabar_text::chars::is_harakah(c) || khabar_text::chars::is_tatweel(c)) {
            return Some(b);
        }
    }
    None
}

/// How many bytes of a token's surface to leave out of an entity that starts with it.
/// `whole_is_name(whole, rest)` (both `search`-normalized) says when a letter that looks like
/// a clitic belongs to the name (`بشار`, not ب + `شار`).
fn clitic_trim(surface: &str, segments: &[String], base: usize, whole_is_name: &dyn Fn(&str, &str) -> bool) -> usize {
    let mut off = 0;
    for (k, seg) in segments.iter().enumerate().take(base) {
        if !matches!(seg.as_str(), "و" | "ف" | "ب" | "ل" | "ك") {
            break;
        }
        let Some(l) = proclitic_len(&surface[off..], seg) else { break };
        let rest = normalize(&surface[off + l..], Profile::Search);
        let next = segments.get(k + 1).map(|s| normalize(s, Profile::Search)).unwrap_or_default();
        if next.is_empty() || !rest.starts_with(&next) {
            break;
        }
        if whole_is_name(&normalize(&surface[off..], Profile::Search), &rest) {
            break;
        }
        off += l;
    }
    off
}

/// Documents up to this many tokens keep every sentence's preprocessing between the
/// tagging and the rules (a few hundred bytes a token: about 10 MB here); longer ones
/// compute it again, so a 16 MiB document's NER memory stays bounded.
const KEEP_INFOS_TOKENS: usize = 50_000;

impl NerTagger {
    /// The final tags (BIO indices) of each sentence of an analyzed document, with the
    /// sentences' token ranges: the tagger, the document pass and the rules, the learned
    /// name extents last when `extend`. `None` when the analysis was cancelled.
    pub(crate) fn sentence_tags(&self, doc: &Document, extend: bool) -> Option<(Vec<std::ops::Range<usize>>, Vec<Vec<usize>>)> {
        let text = doc.shared_text();
        // Sentences as token ranges, tagged together so the document-level consistency
        // pass (`Model::tag_document`) sees every sentence of the document.
        let mut ranges = Vec::new();
        let mut sent = 0usize;
        let mut i = 0usize;
        let toks = &doc.tokens;
        while i < toks.len() {
            while sent < doc.sentences.len() && doc.sentences[sent].end <= toks[i].span.start {
                sent += 1;
            }
            let end_byte = doc.sentences.get(sent).map_or(u32::MAX, |s| s.end);
            let mut j = i + 1;
            while j < toks.len() && toks[j].span.start < end_byte {
                j += 1;
            }
            ranges.push(i..j);
            i = j;
        }
        // `Model::tag_document`, sentence by sentence: each sentence's full preprocessing
        // lives only while it is tagged, and the consistency pass keeps just the few fields
        // it reads (holding every token's `TokInfo` made NER the peak of a long document's
        // memory). The rules below preprocess each sentence again: same values, bounded memory.
        // A document of ordinary length keeps them instead (preprocessing twice was a
        // tenth of the pipeline's time): the same values either way.
        let sentence_infos = |r: &std::ops::Range<usize>| self.model.infos(toks[r.clone()].iter().map(|t| &text[t.span.range()]));
        let keep = toks.len() <= KEEP_INFOS_TOKENS;
        let mut kept: Vec<Vec<features::TokInfo>> = Vec::new();
        let mut tags = Vec::with_capacity(ranges.len());
        let mut keys = Vec::with_capacity(ranges.len());
        for r in &ranges {
            // A cancelled analysis stops between sentences (its result is never used).
            if crate::pipeline::stopped() {
                return None;
            }
            let infos = sentence_infos(r);
            tags.push(self.model.tag_infos(&infos));
            keys.push(infos.iter().map(MentionTok::of).collect::<Vec<_>>());
            if keep {
                kept.push(infos);
            }
        }
        model::retype_clubs(&keys, &mut tags);
        model::propagate_keys(&keys, &mut tags);
        drop(keys);
        for (n, (r, tags)) in ranges.iter().zip(tags.iter_mut()).enumerate() {
            if crate::pipeline::stopped() {
                return None;
            }
            let again;
            let infos = match kept.get(n) {
                Some(i) => i,
                None => {
                    again = sentence_infos(r);
                    &again
                }
            };
            self.model.org_names().tag_untagged(infos, tags);
            institutions::split_complement_names(infos, tags, &self.model);
            for f in speakers::find(&toks[r.clone()], infos, tags, &self.model, self.convention) {
                f.write(tags);
            }
            institutions::split_at_titles(infos, tags);
            for f in institutions::titled_persons(infos, tags, &self.model) {
                f.write(tags);
            }
            institutions::retype_institution_persons(infos, tags);
            institutions::quoted_organizations(infos, tags);
            institutions::untag_adjectival_countries(infos, tags, &self.model);
            if self.convention == Convention::News {
                for f in institutions::find(infos, tags, &self.model) {
                    f.write(tags);
                }
                institutions::extend_organizations(infos, tags, &self.model);
            } else {
                institutions::drop_institutions(infos, tags, &self.model);
            }
            // After the institutions: `شرطة [محافظة الرس]` is the police of a named place.
            institutions::untag_place_heads(infos, tags, &self.model);
            months::untag_months(infos, tags);
            months::untag_trailing_weekdays(infos, tags);
            if extend {
                self.model.extents().extend(infos, tags);
            }
            marks::balance_marks(infos, tags);
        }
        Some((ranges, tags))
    }

    /// The name extents `counter` supports, a nationality adjective never one on its own.
    #[cfg(feature = "train")]
    pub fn finish_extents(&self, counter: &extents::ExtentCounter, cfg: &extents::ExtentConfig) -> extents::NameExtents {
        counter.finish(cfg, &|w| institutions::is_nationality_adjective(&self.model, w))
    }

    /// Counts what follows each organization this tagger finds in an analyzed document
    /// (`khabar train extents`), the learned extents left out.
    #[cfg(feature = "train")]
    pub fn count_extents(&self, doc: &Document, counter: &mut extents::ExtentCounter, max_words: usize) {
        let Some((ranges, tags)) = self.sentence_tags(doc, false) else { return };
        let text = doc.text();
        for (r, tags) in ranges.iter().zip(&tags) {
            let infos = self.model.infos(doc.tokens[r.clone()].iter().map(|t| &text[t.span.range()]));
            for (s, e, ty) in score::chunks(tags) {
                if ty == 3 {
                    counter.add(&infos[s..e], &infos[e..], max_words);
                }
            }
        }
    }
}

impl Annotator for NerTagger {
    fn name(&self) -> &'static str {
        "ner"
    }

    fn annotate(&self, doc: &mut Document) -> Result<()> {
        let text = doc.shared_text();
        let Some((ranges, tags)) = self.sentence_tags(doc, true) else {
            return Ok(());
        };
        let toks = &doc.tokens;
        let mut entities = Vec::new();
        for (r, tags) in ranges.iter().zip(&tags) {
            let slice = &toks[r.clone()];
            let words = || slice.iter().map(|t| &text[t.span.range()]);
            // The sentence's quotation marks, read once, only where it has one.
            let marks = words().any(marks::is_mark).then(|| marks::sentence_marks(words()));
            for (s, e, ty) in score::chunks(tags) {
                let first = &slice[s];
                let surface = &text[first.span.range()];
                // Right after an opening mark the marks delimit the name: `وكالة "وام"` is WAM,
                // not و + `ام`, `«بلاي ستيشن»` not `لاي ستيشن`.
                let after_mark = s > 0 && marks.as_ref().is_some_and(|m| matches!(m[s - 1], Some(marks::Mark::Open(_))));
                let trim = if after_mark { 0 } else { clitic_trim(surface, &first.segments, first.base, &|whole, rest| self.whole_is_name(whole, rest)) };
                let start = first.span.start as usize + trim;
                let end = slice[e - 1].span.end as usize;
                // Currencies are units of amounts, not names, in news (ANERcorp tags them MISC;
                // a tagger trained on FANE, which leaves them untagged, may call them anything).
                if self.convention == Convention::News && self.model.is_currency(&text[start..end.max(start)]) {
                    continue;
                }
                if start < end {
                    entities.push((Span::new(start, end), entity_type(ty)));
                }
            }
        }
        // One record per distinct normalized mention text, ids in order of first mention.
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut records: Vec<EntityRecord> = Vec::new();
        // (record, surface) pairs already in a record's variants: a scan of the variants
        // per mention was quadratic for a name repeated through a long document.
        let mut seen_variants: std::collections::HashSet<(usize, String)> = std::collections::HashSet::new();
        doc.entities.clear();
        for (span, kind) in entities {
            let surface = &text[span.range()];
            let key = normalize(surface, Profile::Search);
            let k = *ids.entry(key).or_insert_with(|| {
                records.push(EntityRecord {
                    id: format!("E{}", records.len() + 1),
                    kind,
                    name: surface.to_string(),
                    variants: Vec::new(),
                    mentions: 0,
                    subtype: None,
                    place: None,
                });
                records.len() - 1
            });
            let rec = &mut records[k];
            rec.mentions += 1;
            if seen_variants.insert((k, surface.to_string())) {
                rec.variants.push(surface.to_string());
            }
            doc.entities.push(Entity { span, kind, id: rec.id.clone() });
        }
        doc.entity_index = records;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn clitics_are_trimmed_only_when_the_rest_reads_as_the_next_segment() {
        let no = |_: &str, _: &str| false;
        assert_eq!(clitic_trim("وحفتر", &segs(&["و", "حفتر"]), 1, &no), "و".len());
        assert_eq!(clitic_trim("والسراج", &segs(&["و", "ال", "سراج"]), 2, &no), "و".len());
        assert_eq!(clitic_trim("للسراج", &segs(&["ل", "ال", "سراج"]), 2, &no), 0);
        assert_eq!(clitic_trim("وبفرنسا", &segs(&["و", "ب", "فرنسا"]), 2, &no), "وب".len());
        assert_eq!(clitic_trim("وَحفتر", &segs(&["و", "حفتر"]), 1, &no), "وَ".len());
        assert_eq!(clitic_trim("حفتر", &segs(&["حفتر"]), 0, &no), 0);
        // A letter that belongs to a known name stays: بشار, not ب + شار; وبشار loses only و.
        let bashar = |whole: &str, _: &str| whole == "بشار";
        assert_eq!(clitic_trim("بشار", &segs(&["ب", "شار"]), 1, &bashar), 0);
        assert_eq!(clitic_trim("وبشار", &segs(&["و", "ب", "شار"]), 2, &bashar), "و".len());
    }

    #[test]
    fn scorer_matches_conlleval_on_a_worked_example() {
        // Worked by hand with conlleval.pl's startOfChunk/endOfChunk rules:
        // gold chunks PERS 0-2, LOC 3-5, ORG 6-8 (I- without B-), MISC 9;
        // predicted PERS 0-2, LOC 3-4, ORG 6-8, MISC 9 (I- after O starts a chunk).
        // conlleval: "processed 10 tokens with 4 phrases; found: 4 phrases; correct: 3.
        // accuracy: 70.00%; precision: 75.00%; recall: 75.00%; FB1: 75.00", LOC FB1 0.00.
        let t = |v: &[&str]| v.iter().map(|s| tag_index(s).unwrap()).collect::<Vec<_>>();
        let gold = t(&["B-PERS", "I-PERS", "O", "B-LOC", "I-LOC", "O", "I-ORG", "I-ORG", "O", "B-MISC"]);
        let pred = t(&["B-PERS", "I-PERS", "O", "B-LOC", "O", "O", "B-ORG", "I-ORG", "O", "I-MISC"]);
        let mut s = score::Scorer::default();
        s.add_tags(&gold, &pred);
        let m = s.micro();
        assert!((m.precision - 75.0).abs() < 1e-9 && (m.recall - 75.0).abs() < 1e-9 && (m.f1 - 75.0).abs() < 1e-9);
        assert_eq!(s.of_type(2).f1, 0.0);
        assert_eq!(s.of_type(3).f1, 100.0);
        assert_eq!((s.tokens, s.tokens_correct), (10, 7));
        // seqeval's README example (conlleval agrees): MISC 0/1, PER 1/1 → micro 50/50/50.
        let mut s = score::Scorer::default();
        s.add_tags(&t(&["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"]), &t(&["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"]));
        s.add_tags(&t(&["B-PER", "I-PER", "O"]), &t(&["B-PER", "I-PER", "O"]));
        let m = s.micro();
        assert!((m.f1 - 50.0).abs() < 1e-9 && (m.precision - 50.0).abs() < 1e-9);
        // A type change inside a run ends the chunk: B-LOC I-ORG is two chunks.
        assert_eq!(score::chunks(&t(&["B-LOC", "I-ORG", "I-ORG"])), vec![(0, 1, 2), (1, 3, 3)]);
    }
}
