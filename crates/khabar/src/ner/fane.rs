//! WikiFANE / NewsFANE (Alotaibi and Lee, COLING 2014) as training data for the tagger.
//!
//! FANE differs from what the tagger sees at run time in three ways, each undone here so
//! that a FANE sentence looks like the pipeline's tokens of raw news text:
//!
//! * **Partial clitic segmentation.** و ف ب ل ك (and a stray ا) stand as tokens of their
//!   own, and so do pronoun suffixes (`ان ه`, `حصة ها`). khabar's tokenizer keeps clitics
//!   on their word, so they are joined back: a proclitic onto the word after it, a suffix
//!   onto the word before it (ة written ت before it: `حصتها`). The joined token takes the
//!   word's tag. A run of single letters inside one name is an abbreviation spelled out
//!   (`د ب ا`, DPA) and stays as it is, as news writes it.
//! * **Fifty fine types.** They are mapped to ANERcorp's four classes by [`FaneMap`]
//!   (documented with the figures behind each contested choice in `docs/ner.md`).
//! * **Span conventions.** FANE puts a person's title inside the name (`الامير فيصل`,
//!   `الشيخ …`); ANERcorp and readers keep it out, so leading titles leave the span.
//!
//! Missing hamzas and ي for final ى need no repair: the tagger's features are computed on
//! the `search`-normalized form, which folds both (`اعلن` and `أعلن` are one word to it).
//! FANE's `لال…` for ل + ال + ا… (`لالاتحاد`) is written `لل…` when the unlabeled news
//! corpus spells it that way more often (`للاتحاد`), and kept otherwise (`لالتزام`).

use std::collections::HashMap;

use khabar_text::corpus::TaggedSentence;
use khabar_text::normalize::normalize;
use khabar_text::Profile;

/// The coarse class (`O`, `PERS`, `LOC`, `ORG`, `MISC`) of each FANE fine type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaneMap {
    classes: HashMap<String, &'static str>,
}

/// The default mapping: ACE's person subtypes are PERS; organizations ORG; GPEs (nations,
/// cities, provinces, continents), natural locations and facilities LOC, as ANERcorp tags
/// countries, cities and places; vehicles, weapons and products MISC, ANERcorp's class for
/// other names; `Group` (nationalities and groups of people: `الصينيون`, `الشيوعيون`) is not a
/// name, as in ANERcorp (`العرب` is O there 77 times).
const DEFAULT_MAP: &[(&str, &str)] = &[
    ("Politician", "PERS"),
    ("Artist", "PERS"),
    ("Religious_PER", "PERS"),
    ("Other_PER", "PERS"),
    ("Athlete", "PERS"),
    ("Scientist", "PERS"),
    ("Businessperson", "PERS"),
    ("Engineer", "PERS"),
    ("Lawyer", "PERS"),
    ("Police", "PERS"),
    ("Group", "O"),
    ("Government", "ORG"),
    ("Non-Governmental", "ORG"),
    ("Commercial", "ORG"),
    ("Educational", "ORG"),
    ("Media", "ORG"),
    ("Religious_ORG", "ORG"),
    ("Sports", "ORG"),
    ("Medical-Science", "ORG"),
    ("Entertainment", "ORG"),
    ("Nation", "LOC"),
    ("Population-Center", "LOC"),
    ("State-or-Province", "LOC"),
    ("County-or-District", "LOC"),
    ("GPE-Cluster", "LOC"),
    ("Continent", "LOC"),
    ("Water-Body", "LOC"),
    ("Land-Region-Natural", "LOC"),
    ("Celestial", "LOC"),
    ("Building-Grounds", "LOC"),
    ("Airport", "LOC"),
    ("Path", "LOC"),
    ("Subarea-Facility", "LOC"),
    ("Plant", "LOC"),
    ("Air", "MISC"),
    ("Water", "MISC"),
    ("Land", "MISC"),
    ("Projectile", "MISC"),
    ("Shooting", "MISC"),
    ("Blunt", "MISC"),
    ("Exploding", "MISC"),
    ("Nuclear", "MISC"),
    ("Chemical", "MISC"),
    ("Sharp", "MISC"),
    ("Book", "MISC"),
    ("Software", "MISC"),
    ("Hardware", "MISC"),
    ("Movie", "MISC"),
    ("Sound", "MISC"),
    ("Food", "MISC"),
    ("Drug", "MISC"),
];

const CLASSES: [&str; 5] = ["O", "PERS", "LOC", "ORG", "MISC"];

impl Default for FaneMap {
    fn default() -> Self {
        FaneMap { classes: DEFAULT_MAP.iter().map(|&(t, c)| (t.to_string(), c)).collect() }
    }
}

impl FaneMap {
    /// The default mapping with overrides `Type=CLASS,Type=CLASS` (e.g.
    /// `Building-Grounds=O,Book=O`); also accepts a coarse group name for ACE's groups
    /// `Facility`, `Vehicle`, `Weapon`, `Product`.
    ///
    /// # Errors
    /// An unknown type or class, named.
    pub fn with_overrides(spec: &str) -> Result<FaneMap, String> {
        let mut m = FaneMap::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (ty, class) = item.split_once('=').ok_or_else(|| format!("`{item}`: expected Type=CLASS"))?;
            let class = CLASSES
                .iter()
                .find(|c| c.eq_ignore_ascii_case(class.trim()))
                .ok_or_else(|| format!("`{item}`: unknown class `{class}` (expected O, PERS, LOC, ORG or MISC)"))?;
            let types: Vec<&str> = match ty.trim() {
                "Facility" => vec!["Building-Grounds", "Airport", "Path", "Subarea-Facility", "Plant"],
                "Vehicle" => vec!["Air", "Water", "Land"],
                "Weapon" => vec!["Projectile", "Shooting", "Blunt", "Exploding", "Nuclear", "Chemical", "Sharp"],
                "Product" => vec!["Book", "Software", "Hardware", "Movie", "Sound", "Food", "Drug"],
                t if m.classes.contains_key(t) => vec![t],
                t => return Err(format!("`{item}`: unknown FANE type `{t}`")),
            };
            for t in types {
                m.classes.insert(t.to_string(), class);
            }
        }
        Ok(m)
    }

    /// The coarse class of a fine type; `None` for a type FANE does not have.
    pub fn class(&self, fine: &str) -> Option<&'static str> {
        self.classes.get(fine).copied()
    }

    /// The coarse tag (`B-PERS`, `O`, …) of a FANE tag (`B-Politician`, `O`).
    ///
    /// # Errors
    /// A tag that is neither `O` nor `B-`/`I-` and a known fine type.
    pub fn tag(&self, tag: &str) -> Result<String, String> {
        if tag == "O" {
            return Ok("O".into());
        }
        let (bio, fine) = tag.split_once('-').filter(|(b, _)| matches!(*b, "B" | "I")).ok_or_else(|| format!("unknown tag `{tag}`"))?;
        let class = self.class(fine).ok_or_else(|| format!("unknown FANE type `{fine}` in tag `{tag}`"))?;
        Ok(if class == "O" { "O".into() } else { format!("{bio}-{class}") })
    }

    /// The mapping as `Type=CLASS` lines, sorted (for the training recipe).
    pub fn describe(&self) -> String {
        let mut v: Vec<_> = self.classes.iter().map(|(t, c)| format!("{t}={c}")).collect();
        v.sort();
        v.join(",")
    }
}

/// The fine type of a FANE tag (`Politician` of `B-Politician`; `O` for O).
fn type_of(tag: &str) -> &str {
    tag.split_once('-').map_or("O", |(_, t)| t)
}

const PROCLITICS: &[&str] = &["و", "ف", "ب", "ل", "ك", "ا"];
const ENCLITICS: &[&str] = &["ه", "ها", "هم", "هما", "هن", "كم", "كما", "كن", "نا", "ني", "ي"];

fn is_word(tok: &str) -> bool {
    tok.chars().count() >= 2 && tok.chars().all(khabar_text::chars::is_arabic_letter)
}

fn single_letter(tok: &str) -> bool {
    let mut c = tok.chars();
    matches!((c.next(), c.next()), (Some(ch), None) if khabar_text::chars::is_arabic_letter(ch))
}

/// Whether token `i` is one letter of an abbreviation spelled out inside a name (`د ب ا`):
/// a single letter in a name, next to another single letter of the same name.
fn in_abbreviation(sent: &[(String, String)], i: usize) -> bool {
    let (tok, tag) = &sent[i];
    if !single_letter(tok) || tag == "O" {
        return false;
    }
    let same_name_letter = |j: usize| {
        sent.get(j).is_some_and(|(t, g)| single_letter(t) && g != "O" && type_of(g) == type_of(tag))
    };
    (i > 0 && same_name_letter(i - 1) && !sent[i].1.starts_with("B-")) || (same_name_letter(i + 1) && sent[i + 1].1.starts_with("I-"))
}

/// The coarse tag of a joined token: the word's, except that a clitic inside the same name
/// keeps the name's position (`جامعة العلوم و التكنولوجيا`: `والتكنولوجيا` continues it).
fn joined_tag(clitic: &str, word: &str) -> String {
    if clitic != "O" && word != "O" && type_of(clitic) == type_of(word) {
        clitic.to_string()
    } else {
        word.to_string()
    }
}

/// Rebuilds surface tokens from a FANE sentence (fine tags kept; see the module docs).
/// `count` gives a word's frequency in unlabeled news, to spell `لال…` as news does.
pub fn reattach(sent: &[(String, String)], count: &dyn Fn(&str) -> u32) -> TaggedSentence {
    let mut out: TaggedSentence = Vec::with_capacity(sent.len());
    // Proclitics waiting for their word: (surface, tag).
    let mut pending: Vec<(String, String)> = Vec::new();
    for (i, (tok, tag)) in sent.iter().enumerate() {
        let abbrev = in_abbreviation(sent, i);
        if !abbrev && PROCLITICS.contains(&tok.as_str()) && sent.get(i + 1).is_some_and(|(n, _)| is_word(n) || PROCLITICS.contains(&n.as_str())) {
            pending.push((tok.clone(), tag.clone()));
            continue;
        }
        if !abbrev && pending.is_empty() && ENCLITICS.contains(&tok.as_str()) && tag == "O" {
            if let Some((prev, _)) = out.last_mut().filter(|(p, _)| is_word(p)) {
                if let Some(stem) = prev.strip_suffix('ة') {
                    *prev = format!("{stem}ت");
                }
                prev.push_str(tok);
                continue;
            }
        }
        if is_word(tok) && !pending.is_empty() {
            let mut surface: String = pending.iter().map(|(p, _)| p.as_str()).collect();
            surface.push_str(tok);
            let ctag = pending.iter().rev().find(|(_, t)| t != "O").map_or("O", |(_, t)| t.as_str());
            let t = joined_tag(ctag, tag);
            pending.clear();
            out.push((respell_lal(&surface, count), t));
            continue;
        }
        // A proclitic with no word after it stays a token of its own.
        out.append(&mut pending);
        out.push((respell_lal(tok, count), tag.clone()));
    }
    out.append(&mut pending);
    out
}

/// `لالاتحاد` → `للاتحاد` when news writes it so more often (see the module docs).
fn respell_lal(tok: &str, count: &dyn Fn(&str) -> u32) -> String {
    let Some(rest) = tok.strip_prefix('ل') else { return tok.to_string() };
    if rest.starts_with("ال") && rest.chars().count() >= 4 {
        let ll = format!("لل{}", &rest["ال".len()..]);
        if count(&ll) > count(tok) {
            return ll;
        }
    }
    tok.to_string()
}

/// Words that stand before a person's name and are not part of it (`الرئيس`, `الامير`,
/// `الشيخ`), by their `search`-normalized form without و/ف.
#[derive(Clone, Debug, Default)]
pub struct Titles {
    words: std::collections::HashSet<String>,
}

impl Titles {
    /// The project's list of ranks and honorifics plus the words ANERcorp's annotation
    /// keeps outside persons: in `anercorp` (training sentences with ANERcorp's tags), words
    /// tagged O right before a person at least `min` times and part of a person at most a
    /// tenth as often.
    pub fn learn(anercorp: &[TaggedSentence], min: u32) -> Titles {
        let mut before: HashMap<String, u32> = HashMap::new();
        let mut inside: HashMap<String, u32> = HashMap::new();
        for s in anercorp {
            for k in 0..s.len() {
                let w = key(&s[k].0);
                if s[k].1.ends_with("PERS") || s[k].1.ends_with("PER") {
                    *inside.entry(w).or_default() += 1;
                } else if s[k].1 == "O" && s.get(k + 1).is_some_and(|(_, t)| t == "B-PERS" || t == "B-PER") {
                    *before.entry(w).or_default() += 1;
                }
            }
        }
        let mut words: std::collections::HashSet<String> = super::institutions::person_titles().iter().map(|s| s.to_string()).collect();
        for (w, b) in before {
            if b >= min && inside.get(&w).copied().unwrap_or(0) * 10 <= b && w.chars().count() >= 3 {
                words.insert(w);
            }
        }
        Titles { words }
    }

    /// Whether a token is a title.
    pub fn contains(&self, tok: &str) -> bool {
        self.words.contains(&key(tok))
    }

    /// The titles, sorted (for the recipe and docs).
    pub fn sorted(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.words.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

fn key(tok: &str) -> String {
    let n = normalize(tok, Profile::Search);
    match n.strip_prefix('و').or_else(|| n.strip_prefix('ف')) {
        Some(rest) if rest.starts_with("ال") => rest.to_string(),
        _ => n,
    }
}

/// A FANE sentence as tagger training data: surface tokens rebuilt, tags mapped to
/// ANERcorp's classes, titles moved out of persons' names.
///
/// # Errors
/// A tag that is not FANE's (named).
pub fn to_training(sent: &[(String, String)], map: &FaneMap, titles: &Titles, count: &dyn Fn(&str) -> u32) -> Result<TaggedSentence, String> {
    let joined = reattach(sent, count);
    let mut out: TaggedSentence = Vec::with_capacity(joined.len());
    for (tok, tag) in joined {
        let coarse = map.tag(&tag)?;
        out.push((tok, coarse));
    }
    // An I- after a type mapped to O (or after O) starts a name.
    for k in 0..out.len() {
        if let Some(ty) = out[k].1.strip_prefix("I-").map(str::to_string) {
            let continues = k > 0 && out[k - 1].1.ends_with(&ty) && out[k - 1].1 != "O";
            if !continues {
                out[k].1 = format!("B-{ty}");
            }
        }
    }
    // Titles at the head of a person's name leave it: the next word begins the name.
    for k in 0..out.len() {
        if out[k].1 == "B-PERS" && titles.contains(&out[k].0) && out.get(k + 1).is_some_and(|(_, t)| t == "I-PERS") {
            out[k].1 = "O".into();
            out[k + 1].1 = "B-PERS".into();
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(s: &str) -> Vec<(String, String)> {
        s.split_whitespace()
            .map(|p| {
                let (w, t) = p.split_once('/').unwrap_or((p, "O"));
                (w.to_string(), t.to_string())
            })
            .collect()
    }

    fn words(s: &TaggedSentence) -> String {
        s.iter().map(|(w, t)| if t == "O" { w.clone() } else { format!("{w}/{t}") }).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn clitics_join_their_words_and_take_the_words_tag() {
        let none = |_: &str| 0;
        let s = reattach(&sent("و قال ان ه سيزور ب المانيا/B-Nation و حصة ها"), &none);
        assert_eq!(words(&s), "وقال انه سيزور بالمانيا/B-Nation وحصتها");
        // Two proclitics, then a name.
        let s = reattach(&sent("و ب مصر/B-Nation ."), &none);
        assert_eq!(words(&s), "وبمصر/B-Nation .");
        // A conjunction inside a name continues it.
        let s = reattach(&sent("جامعة/B-Educational العلوم/I-Educational و/I-Educational التكنولوجيا/I-Educational"), &none);
        assert_eq!(words(&s), "جامعة/B-Educational العلوم/I-Educational والتكنولوجيا/I-Educational");
    }

    #[test]
    fn spelled_out_abbreviations_stay_letters() {
        let none = |_: &str| 0;
        let s = reattach(&sent("فرانكفورت/B-Population-Center ( د/B-Media ب/I-Media ا/I-Media )"), &none);
        assert_eq!(words(&s), "فرانكفورت/B-Population-Center ( د/B-Media ب/I-Media ا/I-Media )");
        // A proclitic before punctuation has no word to join.
        let s = reattach(&sent("قال و :"), &none);
        assert_eq!(words(&s), "قال و :");
    }

    #[test]
    fn lal_is_spelled_as_news_spells_it() {
        let count = |w: &str| match w {
            "للاتحاد" => 900,
            "لالاتحاد" => 1,
            "لالتزام" => 50,
            "للتزام" => 0,
            _ => 0,
        };
        let s = reattach(&sent("لالاتحاد لالتزام"), &count);
        assert_eq!(words(&s), "للاتحاد لالتزام");
    }

    #[test]
    fn fine_types_map_to_four_classes_and_titles_leave_names() {
        let map = FaneMap::default();
        let titles = Titles::learn(&[], 3);
        let s = to_training(
            &sent("التقى الامير/B-Politician فيصل/I-Politician ب الصينيين/B-Group في مطار/B-Airport القاهرة/I-Airport و ب وزارة/B-Government الخارجية/I-Government"),
            &map,
            &titles,
            &|_| 0,
        )
        .unwrap();
        assert_eq!(words(&s), "التقى الامير فيصل/B-PERS بالصينيين في مطار/B-LOC القاهرة/I-LOC وبوزارة/B-ORG الخارجية/I-ORG");
        let m = FaneMap::with_overrides("Facility=O, Book=MISC").unwrap();
        assert_eq!(m.tag("B-Airport").unwrap(), "O");
        assert_eq!(m.tag("I-Book").unwrap(), "I-MISC");
        assert!(FaneMap::with_overrides("Airport=PLACE").unwrap_err().contains("unknown class"));
        assert!(map.tag("B-Spaceship").unwrap_err().contains("Spaceship"));
    }

    #[test]
    fn titles_are_learned_from_anercorp_convention() {
        let aner = vec![sent("قال الوزير/O زيد/B-PERS"), sent("و الوزير/O عمرو/B-PERS"), sent("الوزير/O خالد/B-PERS"), sent("محمد/B-PERS عباس/I-PERS")];
        let t = Titles::learn(&aner, 3);
        assert!(t.contains("الوزير") && t.contains("والوزير") && t.contains("الشيخ"));
        assert!(!t.contains("محمد"));
    }
}
