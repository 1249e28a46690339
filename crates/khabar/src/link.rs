//! Entity linking within a document: one id per real-world entity.
//!
//! Mentions are compared by a key built from their words, each normalized with the `search`
//! profile (so ئ/ي, ة/ه, ى/ي, أ/إ/آ/ا, tatweel and diacritics do not matter), leading
//! titles dropped (الرئيس، المشير، الوزير…) and the words joined without spaces, so a glued
//! form (`الولاياتالمتحدة`) meets the spaced one. A proclitic (و ف ب ل ك, and لل for ل+ال)
//! is stripped from a word only when the stripped form is attested in another mention of
//! the document: `وحفتر` joins `حفتر` because `حفتر` occurs, while `وليد` stays whole.
//!
//! Linking runs in two passes:
//! 1. mentions with equal keys form one entity (whatever class the tagger gave each);
//!    An organization's short name written in parentheses right after it joins it, with
//!    the short name's other mentions: `منظمة البلدان المصدرة للبترول (أوبك)` … `أوبك`
//!    (on the last 2,000 SaudiNewsNet articles, 25 of the 33 tagged short names in
//!    parentheses, which were all records of their own before);
//! 2. a shorter person mention whose words are the last words (surname) or the first word
//!    (first name) of a longer person's name joins that person. When several people fit
//!    (`فائز السراج` and `أحمد السراج`, then `السراج`), the one mentioned most recently
//!    before it wins, so people the text tells apart stay apart.
//!
//! The record's name is the fullest form (most words, then longest, then first seen);
//! variants are the distinct surface forms in order of appearance.

use std::collections::HashMap;

use khabar_text::{normalize, Profile, Span, TokenKind};

use crate::{Annotator, Document, EntityRecord, EntityType, Result};

/// The `link` stage.
#[derive(Debug, Default)]
pub struct EntityLinker {}

impl Annotator for EntityLinker {
    fn name(&self) -> &'static str {
        "link"
    }
    fn annotate(&self, doc: &mut Document) -> Result<()> {
        link(doc);
        Ok(())
    }
}

/// Titles and honorifics dropped from the front of a key (normalized forms).
const TITLES: [&str; 30] = [
    "الرئيس",
    "المشير",
    "الوزير",
    "الشيخ",
    "السيد",
    "السيده",
    "الدكتور",
    "الدكتوره",
    "د",
    "الامير",
    "الملك",
    "العقيد",
    "اللواء",
    "الجنرال",
    "الفريق",
    "العميد",
    "الرييس",
    "المستشار",
    "الاستاذ",
    "النايب",
    "الامام",
    "الحاج",
    "السفير",
    "المبعوث",
    "القاضي",
    "الاميره",
    "الملكه",
    "رييس",
    "الشيخه",
    "المهندس",
];

const CLITIC: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// The normalized words of a mention, read from the tokens inside its span (so a repaired
/// glued word gives its parts), or from the text when no token lies inside.
fn mention_words(doc: &Document, span: Span, partial: bool) -> Vec<String> {
    // Tokens are in text order: the mention's tokens by binary search (a scan of every
    // token per mention made long documents quadratic).
    let lo = doc.tokens.partition_point(|t| t.span.start < span.start);
    let hi = lo + doc.tokens[lo..].partition_point(|t| t.span.start <= span.end);
    // With `partial`, a token the span begins inside (the NER stage leaves a clitic out:
    // `ل[شركة وايمو]`) gives its part inside the span; without, only whole tokens count.
    let lo = if partial { lo.saturating_sub(1) } else { lo };
    let mut words: Vec<String> = doc.tokens[lo..hi]
        .iter()
        .filter(|t| {
            let begins = if partial { t.span.end > span.start } else { t.span.start >= span.start };
            begins && t.span.start < span.end && t.span.end <= span.end && t.kind != TokenKind::Punct
        })
        .map(|t| normalize(doc.slice(Span::new(t.span.start.max(span.start) as usize, t.span.end as usize)), Profile::Search))
        .collect();
    if words.is_empty() {
        words = normalize(doc.slice(span), Profile::Search)
            .split_whitespace()
            .map(str::to_string)
            .collect();
    }
    words.retain(|w| !w.is_empty());
    words
}

/// Forms of a word without a proclitic: `وحفتر` → `حفتر`, `للسراج` → `السراج`, `وبباريس` → `باريس`.
fn stripped_forms(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = w.chars().collect();
    if chars.len() < 4 {
        return out;
    }
    if CLITIC.contains(&chars[0]) {
        let rest: String = chars[1..].iter().collect();
        if chars[0] == 'ل' && chars[1] == 'ل' {
            out.push(format!("ا{rest}"));
        }
        out.push(rest);
        if matches!(chars[0], 'و' | 'ف') && CLITIC.contains(&chars[1]) && chars.len() >= 5 {
            let rest2: String = chars[2..].iter().collect();
            if chars[1] == 'ل' && chars[2] == 'ل' {
                out.push(format!("ا{rest2}"));
            }
            out.push(rest2);
        }
    }
    out
}

struct M {
    idx: usize,
    words: Vec<String>,
    key: String,
    kind: EntityType,
    /// Bytes of a clitic to trim from the span's front.
    trim: usize,
    /// Titles were left out of `words`: its first word is not the span's.
    titled: bool,
    /// A clitic was recognized but could not be trimmed from the span (`للأمم`).
    clitic: bool,
}

/// Whether `b` is written in parentheses right after `a`: `a (b)`.
fn is_parenthesized_after(doc: &Document, a: Span, b: Span) -> bool {
    let text = doc.text();
    let (Some(between), Some(after)) = (text.get(a.end as usize..b.start as usize), text.get(b.end as usize..)) else {
        return false;
    };
    between.trim() == "(" && after.trim_start().starts_with(')')
}

/// Leaves out the leading titles of a mention's words (one word always stays); whether any.
fn drop_titles(words: &mut Vec<String>) -> bool {
    let n = words.len();
    while words.len() > 1 && TITLES.contains(&words[0].as_str()) {
        words.remove(0);
    }
    words.len() < n
}

/// Assigns ids and builds `entity_index` from `doc.entities`.
pub fn link(doc: &mut Document) {
    doc.entity_index.clear();
    if doc.entities.is_empty() {
        return;
    }
    doc.entities.sort_by_key(|e| (e.span.start, e.span.end));
    let mut ms: Vec<M> = doc
        .entities
        .iter()
        .enumerate()
        .map(|(idx, e)| {
            let mut words = mention_words(doc, e.span, true);
            let titled = drop_titles(&mut words);
            M {
                idx,
                words,
                key: String::new(),
                kind: e.kind,
                trim: 0,
                clitic: false,
                titled,
            }
        })
        .collect();
    // Attested words: every word of every mention as written (after normalization), whole
    // tokens only: a word the NER stage cut a letter off (`ل[بيد بن ربيعة]` for the poet
    // `لبيد`) attests no form for the other mentions.
    // A mention that begins at a token's start has the same words either way; only one that
    // begins inside a token is read again.
    let whole: Vec<std::borrow::Cow<'_, [String]>> = ms
        .iter()
        .map(|m| {
            let span = doc.entities[m.idx].span;
            let k = doc.tokens.partition_point(|t| t.span.end <= span.start);
            if doc.tokens.get(k).is_some_and(|t| t.span.start < span.start) {
                let mut w = mention_words(doc, span, false);
                drop_titles(&mut w);
                std::borrow::Cow::Owned(w)
            } else {
                std::borrow::Cow::Borrowed(&m.words[..])
            }
        })
        .collect();
    let attested: std::collections::HashSet<String> = whole.iter().flat_map(|w| w.iter().cloned()).collect();
    let compact_attested: std::collections::HashSet<String> = whole.iter().map(|w| w.concat()).collect();
    drop(whole);
    for m in &mut ms {
        if let Some(first) = m.words.first().cloned() {
            // Only the first word carries a proclitic.
            for f in stripped_forms(&first) {
                let mut cand = m.words.clone();
                cand[0] = f.clone();
                let compact = cand.concat();
                if attested.contains(&f) && f != first || compact_attested.contains(&compact) {
                    // Trim the span only when the clitic letters are literally in front: at
                    // the span's first word, not after a title the words leave out.
                    if first.ends_with(f.as_str()) && !m.titled {
                        let letters = first.chars().count() - f.chars().count();
                        let surface = doc.slice(doc.entities[m.idx].span);
                        m.trim = surface.chars().take(letters).map(char::len_utf8).sum();
                    } else {
                        m.clitic = true;
                    }
                    m.words = cand;
                    break;
                }
            }
        }
        m.key = m.words.concat();
    }
    // Trim clitics from spans.
    for m in &ms {
        if m.trim > 0 {
            let e = &mut doc.entities[m.idx];
            if (e.span.len()) > m.trim {
                e.span.start += m.trim as u32;
            }
        }
    }
    // Pass 1: equal keys.
    let mut cluster_of_key: HashMap<String, usize> = HashMap::new();
    let mut cluster: Vec<usize> = vec![usize::MAX; ms.len()];
    let mut n_clusters = 0;
    for (i, m) in ms.iter().enumerate() {
        if m.key.is_empty() {
            continue;
        }
        let c = *cluster_of_key.entry(m.key.clone()).or_insert_with(|| {
            n_clusters += 1;
            n_clusters - 1
        });
        cluster[i] = c;
    }
    // Pass 1b: an organization's short name in parentheses right after it
    // (`منظمة البلدان المصدرة للبترول (أوبك)`) names the same organization, and so do the
    // short name's other mentions: its cluster joins the full name's.
    let mut alias_of: Vec<usize> = (0..n_clusters).collect();
    let root = |alias_of: &[usize], mut c: usize| {
        while alias_of[c] != c {
            c = alias_of[c];
        }
        c
    };
    for i in 1..ms.len() {
        let (a, b) = (&doc.entities[ms[i - 1].idx], &doc.entities[ms[i].idx]);
        if cluster[i - 1] == usize::MAX || cluster[i] == usize::MAX || a.kind != EntityType::Org || b.kind != EntityType::Org {
            continue;
        }
        if is_parenthesized_after(doc, a.span, b.span) {
            let (ra, rb) = (root(&alias_of, cluster[i - 1]), root(&alias_of, cluster[i]));
            if ra != rb {
                alias_of[rb] = ra;
            }
        }
    }
    for c in cluster.iter_mut().filter(|c| **c != usize::MAX) {
        *c = root(&alias_of, *c);
    }
    // Cluster properties: the longest word sequence of its person mentions.
    let mut full: Vec<Vec<String>> = vec![Vec::new(); n_clusters];
    let mut is_pers: Vec<bool> = vec![false; n_clusters];
    for (i, m) in ms.iter().enumerate() {
        let c = cluster[i];
        if c == usize::MAX {
            continue;
        }
        if m.kind == EntityType::Pers {
            is_pers[c] = true;
        }
        if m.words.len() > full[c].len() {
            full[c] = m.words.clone();
        }
    }
    // Pass 2: a short mention joins the person whose fuller name ends (surname) or starts
    // (first name) with its words: the one mentioned last before it, else the only one after.
    //
    // A cluster `d` fits the words `w` when it is a person whose fuller name strictly
    // starts or ends with `w`. Rather than testing every other mention for every mention
    // (quadratic in the document's mentions), each proper prefix and suffix of every
    // person's full name is indexed once, with the mentions of the clusters it fits, in
    // document order; a mention then finds its candidates by one lookup and a binary search.
    let mut fitting: HashMap<&[String], Vec<usize>> = HashMap::new();
    for (d, name) in full.iter().enumerate() {
        if !is_pers[d] {
            continue;
        }
        for len in 1..name.len() {
            for part in [&name[..len], &name[name.len() - len..]] {
                let list = fitting.entry(part).or_default();
                if list.last() != Some(&d) {
                    list.push(d);
                }
            }
        }
    }
    let mut members_of: Vec<Vec<usize>> = vec![Vec::new(); n_clusters];
    for (j, &c) in cluster.iter().enumerate() {
        if c != usize::MAX {
            members_of[c].push(j);
        }
    }
    // For each fitting list: the mentions of its clusters in document order, and for each
    // position the cluster of the mentions from there on when they all share one.
    let mut fit_mentions: HashMap<&[String], (Vec<usize>, Vec<Option<usize>>)> = HashMap::new();
    for (part, ds) in fitting {
        let mut js: Vec<usize> = ds.iter().flat_map(|&d| members_of[d].iter().copied()).collect();
        js.sort_unstable();
        let mut only = vec![None; js.len()];
        let mut seen: Option<Option<usize>> = None; // None: nothing after; Some(None): several
        for (k, &j) in js.iter().enumerate().rev() {
            seen = Some(match seen {
                None => Some(cluster[j]),
                Some(Some(d)) if d == cluster[j] => Some(d),
                Some(_) => None,
            });
            only[k] = seen.flatten();
        }
        fit_mentions.insert(part, (js, only));
    }
    let mut final_c = cluster.clone();
    for i in 0..ms.len() {
        let c = cluster[i];
        if c == usize::MAX || ms[i].kind == EntityType::Loc && !is_pers[c] {
            continue;
        }
        let w = &ms[i].words;
        if full[c].len() > w.len() {
            continue;
        }
        // `c` itself cannot fit `w` (its full name is not longer), so every mention listed
        // is of another cluster.
        let Some((js, only)) = fit_mentions.get(w.as_slice()) else {
            continue;
        };
        let k = js.partition_point(|&j| j < i);
        let chosen = if k > 0 {
            // The one mentioned last before it.
            Some(cluster[js[k - 1]])
        } else {
            // Else the only one after it (`js[k]` is after `i`: `i` is not in the list).
            only.get(js.partition_point(|&j| j <= i)).copied().flatten()
        };
        if let Some(d) = chosen {
            final_c[i] = d;
        }
    }
    // Number clusters by first mention and build records.
    let mut id_of: HashMap<usize, usize> = HashMap::new();
    let mut records: Vec<(Vec<usize>, usize)> = Vec::new();
    for (i, &c) in final_c.iter().enumerate() {
        let c = if c == usize::MAX {
            usize::MAX - 1 - i
        } else {
            c
        };
        let next = id_of.len();
        let id = *id_of.entry(c).or_insert(next);
        if id == records.len() {
            records.push((Vec::new(), id));
        }
        records[id].0.push(i);
    }
    for (members, id) in &records {
        let id_s = format!("E{}", id + 1);
        let mut variants: Vec<String> = Vec::new();
        // A set beside the ordered list: a cluster of thousands of mentions in a long
        // document made `variants.contains` quadratic.
        let mut seen_variants: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut best: Option<(usize, bool, usize, usize)> = None; // (words, no clitic, chars, member)
        let mut votes: HashMap<EntityType, usize> = HashMap::new();
        for &i in members {
            let e = &doc.entities[ms[i].idx];
            let surface = doc.slice(e.span).to_string();
            let nwords = surface.split_whitespace().count().max(ms[i].words.len());
            let chars = surface.chars().count();
            if best.is_none_or(|b| (nwords, !ms[i].clitic, chars) > (b.0, b.1, b.2)) {
                best = Some((nwords, !ms[i].clitic, chars, i));
            }
            if seen_variants.insert(surface.clone()) {
                variants.push(surface);
            }
            *votes.entry(e.kind).or_default() += 1;
        }
        let first_kind = doc.entities[ms[members[0]].idx].kind;
        let kind = votes
            .iter()
            .max_by_key(|(k, n)| (**n, **k == first_kind, std::cmp::Reverse(**k)))
            .map(|(k, _)| *k)
            .unwrap_or(first_kind);
        let name = best
            .map(|b| doc.slice(doc.entities[ms[b.3].idx].span).to_string())
            .unwrap_or_default();
        for &i in members {
            doc.entities[ms[i].idx].id = id_s.clone();
        }
        doc.entity_index.push(EntityRecord {
            id: id_s,
            kind,
            name,
            variants,
            mentions: members.len(),
            subtype: None,
            place: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Entity;

    /// A document with tokens and the given mentions (found by text, in order).
    fn doc_with(text: &str, mentions: &[(&str, EntityType)]) -> Document {
        let mut d = crate::document::bare_document(text, None);
        let mut from = 0;
        for (m, k) in mentions {
            let s = text[from..].find(m).unwrap() + from;
            d.entities.push(Entity {
                span: Span::new(s, s + m.len()),
                kind: *k,
                id: String::new(),
            });
            from = s + m.len();
        }
        d
    }

    fn ids(d: &Document) -> Vec<(String, String)> {
        d.entities
            .iter()
            .map(|e| (d.slice(e.span).to_string(), e.id.clone()))
            .collect()
    }

    use EntityType::*;

    #[test]
    fn variants_surnames_and_clitics_join() {
        let text = "التقى فائز السراج والمشير خليفة حفتر. وقال فايز السراج إن اللقاء مهم. وأكد حفتر ذلك، وقالت مصادر للسراج إن الأمر انتهى.";
        let mut d = doc_with(
            text,
            &[
                ("فائز السراج", Pers),
                ("خليفة حفتر", Pers),
                ("فايز السراج", Pers),
                ("حفتر", Pers),
                ("للسراج", Pers),
            ],
        );
        link(&mut d);
        let v = ids(&d);
        assert_eq!(v[0].1, "E1");
        assert_eq!(v[1].1, "E2");
        assert_eq!(v[2].1, "E1");
        assert_eq!(v[3].1, "E2");
        assert_eq!(v[4].1, "E1");
        assert_eq!(d.entity_index[0].name, "فائز السراج");
        assert_eq!(d.entity_index[0].mentions, 3);
        assert_eq!(
            d.entity_index[0].variants,
            vec!["فائز السراج", "فايز السراج", "للسراج"]
        );
    }

    #[test]
    fn conjunction_clitic_is_trimmed_when_attested() {
        let text = "وصل حفتر إلى باريس. ثم غادر وحفتر بباريس.";
        let mut d = doc_with(
            text,
            &[
                ("حفتر", Pers),
                ("باريس", Loc),
                ("وحفتر", Pers),
                ("بباريس", Loc),
            ],
        );
        link(&mut d);
        let v = ids(&d);
        assert_eq!(
            v,
            vec![
                ("حفتر".into(), "E1".into()),
                ("باريس".into(), "E2".into()),
                ("حفتر".into(), "E1".into()),
                ("باريس".into(), "E2".into())
            ]
        );
    }

    #[test]
    fn glued_and_orthographic_variants() {
        let text =
            "قالت الولايات المتحدة إن الولاياتالمتحدة والأمم المتحدة والامم المتحدة وإيطاليا وايطاليا.";
        let mut d = doc_with(
            text,
            &[
                ("الولايات المتحدة", Loc),
                ("الولاياتالمتحدة", Loc),
                ("الأمم المتحدة", Org),
                ("الامم المتحدة", Org),
                ("إيطاليا", Loc),
                ("ايطاليا", Loc),
            ],
        );
        link(&mut d);
        let v: Vec<String> = d.entities.iter().map(|e| e.id.clone()).collect();
        assert_eq!(v, vec!["E1", "E1", "E2", "E2", "E3", "E3"]);
    }

    #[test]
    fn same_surname_people_stay_apart() {
        let text = "استقبل أحمد السراج شقيقه محمد السراج. وقال محمد السراج إن السراج الأكبر غائب. ثم تحدث أحمد السراج وقال السراج إنه متفائل.";
        let mut d = doc_with(
            text,
            &[
                ("أحمد السراج", Pers),
                ("محمد السراج", Pers),
                ("محمد السراج", Pers),
                ("السراج", Pers),
                ("أحمد السراج", Pers),
                ("السراج", Pers),
            ],
        );
        link(&mut d);
        let v: Vec<String> = d.entities.iter().map(|e| e.id.clone()).collect();
        assert_eq!(v[0], "E1");
        assert_eq!(v[1], "E2");
        assert_eq!(v[2], "E2");
        assert_eq!(v[3], "E2");
        assert_eq!(v[4], "E1");
        assert_eq!(v[5], "E1");
        assert_eq!(d.entity_index.len(), 2);
    }

    #[test]
    fn titles_do_not_split_an_entity() {
        let text = "قال الرئيس ماكرون إن ايمانويل ماكرون سيزور تونس.";
        let mut d = doc_with(text, &[("الرئيس ماكرون", Pers), ("ايمانويل ماكرون", Pers)]);
        link(&mut d);
        assert_eq!(d.entities[0].id, d.entities[1].id);
        assert_eq!(d.entity_index[0].name, "ايمانويل ماكرون");
    }

    #[test]
    fn a_short_name_in_parentheses_joins_the_organization_it_follows() {
        let text = "قالت منظمة البلدان المصدرة للبترول (أوبك) إن الإنتاج ارتفع. وأضافت أوبك أن الأسعار ستتحسن، ورحبت رويترز (واشنطن) بذلك.";
        let mut d = doc_with(
            text,
            &[("منظمة البلدان المصدرة للبترول", Org), ("أوبك", Org), ("أوبك", Org), ("رويترز", Org), ("واشنطن", Loc)],
        );
        link(&mut d);
        let ids: Vec<&str> = d.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids[0], ids[1]);
        assert_eq!(ids[0], ids[2], "the short name's later mention joins too");
        assert_eq!(d.entity_index[0].name, "منظمة البلدان المصدرة للبترول");
        assert_eq!(d.entity_index[0].mentions, 3);
        // A place in parentheses after an organization is not its short name.
        assert_ne!(ids[3], ids[4]);
    }

    #[test]
    fn organizations_apart_from_each_other_stay_apart() {
        // Not `a (b)`: the parenthesis does not follow the first one directly.
        let text = "وقعت أوبك مع وزارة الطاقة (الاتفاق) وبعدها رويترز (وكالة) قالت.";
        let mut d = doc_with(text, &[("أوبك", Org), ("وزارة الطاقة", Org), ("رويترز", Org)]);
        link(&mut d);
        let ids: Vec<&str> = d.entities.iter().map(|e| e.id.as_str()).collect();
        assert_ne!(ids[0], ids[1]);
        assert_ne!(ids[1], ids[2]);
    }
}
