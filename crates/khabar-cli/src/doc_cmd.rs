//! `khabar eval doc`: entity linking, quotes, times and headlines against gold documents.
//!
//! Input: JSON Lines, one document per line, spans in Unicode code points:
//! `{"id", "date", "split", "text", "entities": [{start, end, type, cluster}],
//!   "quotes": [{start, end, speaker: cluster|null}], "times": [{start, end, value|null}],
//!   "articles": [{start, end, headline: {start, end}|null}]}`
//! (`crates/khabar/tests/docs/gold.jsonl`, built from `gold.txt` by `build_gold.py`).
//!
//! Metrics:
//! * linking: B-cubed (Cai & Strube 2010's B³sys: twinless mentions count as singletons
//!   on the other side), once on the gold mentions (linker alone) and once end to end on
//!   the tagger's mentions (mentions matched to gold by overlapping spans);
//! * quotes: a system quote is correct when its content span has IoU ≥ 0.8 with a gold one
//!   and its speaker is right (both null, or the system speaker's mentions include a mention
//!   of the gold speaker's cluster); reported with gold mentions and end to end;
//! * times: overlapping span and exactly the same value (and, a second row, the same `mod`);
//! * amounts (`"amounts": [{start, end, kind, value, unit, approx}]`): exact span and the
//!   same kind, value (to 1e-9 relative) and unit (compared `search`-normalized, so `ريالاً`
//!   and `ريالا` are one unit); also by kind, span only, and `approx` on the matched ones;
//! * headlines: exact span.
//!
//! A layer the record has no key for is not scored (the amounts set annotates amounts in
//! some sentences and times in others).

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use khabar::{Document, Entity, EntityType, Span};

use crate::analyze::ModelArgs;

/// Flags.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold JSONL files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Only documents of this split (`tune`, `held`); all by default.
    #[arg(long)]
    pub split: Option<String>,
    /// Print every error, document by document.
    #[arg(long)]
    pub verbose: bool,
    #[command(flatten)]
    pub models: ModelArgs,
}

/// A score with precision and recall (1.0 when there is nothing to score); F1 from both.
trait Measure {
    fn p(&self) -> f64;
    fn r(&self) -> f64;
    fn f(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// `num / den`, or 1.0 when nothing was counted.
fn ratio(num: f64, den: f64) -> f64 {
    if den == 0.0 {
        1.0
    } else {
        num / den
    }
}

#[derive(Default, Clone, Copy)]
struct Prf {
    correct: f64,
    sys: f64,
    gold: f64,
}

impl Measure for Prf {
    fn p(&self) -> f64 {
        ratio(self.correct, self.sys)
    }
    fn r(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
}

/// B-cubed sums: precision sum over system mentions, recall sum over gold mentions.
#[derive(Default)]
struct B3 {
    p_sum: f64,
    p_n: f64,
    r_sum: f64,
    r_n: f64,
}

impl Measure for B3 {
    fn p(&self) -> f64 {
        ratio(self.p_sum, self.p_n)
    }
    fn r(&self) -> f64 {
        ratio(self.r_sum, self.r_n)
    }
}

struct GoldEnt {
    span: (u32, u32),
    kind: String,
    cluster: i64,
}

struct GoldQuote {
    span: (u32, u32),
    speaker: Option<i64>,
}

struct GoldTime {
    span: (u32, u32),
    value: Option<String>,
    modifier: Option<String>,
}

struct GoldAmount {
    span: (u32, u32),
    kind: String,
    value: f64,
    unit: Option<String>,
    approx: bool,
}

const AMOUNT_KINDS: [&str; 4] = ["money", "percent", "count", "number"];

fn span_of(v: &serde_json::Value) -> (u32, u32) {
    (
        v["start"].as_u64().unwrap_or(0) as u32,
        v["end"].as_u64().unwrap_or(0) as u32,
    )
}

fn overlap(a: (u32, u32), b: (u32, u32)) -> u32 {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

fn iou(a: (u32, u32), b: (u32, u32)) -> f64 {
    let i = overlap(a, b) as f64;
    let u = (a.1.max(b.1) - a.0.min(b.0)) as f64;
    if u == 0.0 {
        0.0
    } else {
        i / u
    }
}

/// Greedy one-to-one matching of system to gold items by a score (higher is better, > 0).
fn match_greedy(
    n_sys: usize,
    n_gold: usize,
    score: impl Fn(usize, usize) -> f64,
) -> Vec<Option<usize>> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for s in 0..n_sys {
        for g in 0..n_gold {
            let x = score(s, g);
            if x > 0.0 {
                pairs.push((x, s, g));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    let mut sys_to_gold = vec![None; n_sys];
    let mut used = vec![false; n_gold];
    for (_, s, g) in pairs {
        if sys_to_gold[s].is_none() && !used[g] {
            sys_to_gold[s] = Some(g);
            used[g] = true;
        }
    }
    sys_to_gold
}

#[derive(Default)]
struct Scores {
    link_gold: B3,
    link_e2e: B3,
    mentions: Prf,
    entities: Prf,
    quotes_gold: Prf,
    quotes_e2e: Prf,
    quote_spans: Prf,
    times: Prf,
    times_mod: Prf,
    heads: Prf,
    amounts: Prf,
    amount_spans: Prf,
    amount_kinds: [Prf; 4],
    approx_right: usize,
    approx_n: usize,
    scored: std::collections::BTreeSet<&'static str>,
    /// Whether any gold time has a `mod` key (the `mod` row means nothing otherwise).
    gold_mods: bool,
    docs: usize,
}

pub fn run(a: Args) -> Result<()> {
    let pipeline = a
        .models
        .pipeline(khabar::Profile::Search, khabar::MAX_DOCUMENT_BYTES)?;
    let mut sc = Scores::default();
    for file in &a.files {
        let body = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        for (ln, line) in body.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let rec: serde_json::Value = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not JSON", file.display(), ln + 1))?;
            if let Some(sp) = &a.split {
                if rec["split"].as_str() != Some(sp.as_str()) {
                    continue;
                }
            }
            eval_doc(&pipeline, &rec, &mut sc, a.verbose)
                .with_context(|| format!("{}:{}", file.display(), ln + 1))?;
        }
    }
    println!("documents: {}", sc.docs);
    println!("{:<34} {:>6} {:>6} {:>6}", "measure", "P", "R", "F1");
    let kinds: Vec<String> = AMOUNT_KINDS.iter().map(|k| format!("  {k} (span+value+unit)")).collect();
    let rows: Vec<(&str, &str, &dyn Measure)> = vec![
        ("entities", "linking B3, gold mentions", &sc.link_gold),
        ("entities", "linking B3, end to end", &sc.link_e2e),
        ("entities", "  (mention detection, overlap)", &sc.mentions),
        ("entities", "entities (exact span + type)", &sc.entities),
        ("quotes", "quotes (IoU>=0.8 + speaker), gold", &sc.quotes_gold),
        ("quotes", "quotes (IoU>=0.8 + speaker), e2e", &sc.quotes_e2e),
        ("quotes", "  (quote content spans only)", &sc.quote_spans),
        ("times", "times (exact value)", &sc.times),
        ("times", "  (value and mod)", &sc.times_mod),
        ("articles", "headlines (exact span)", &sc.heads),
        ("amounts", "amounts (span+value+unit)", &sc.amounts),
        ("amounts", kinds[0].as_str(), &sc.amount_kinds[0]),
        ("amounts", kinds[1].as_str(), &sc.amount_kinds[1]),
        ("amounts", kinds[2].as_str(), &sc.amount_kinds[2]),
        ("amounts", kinds[3].as_str(), &sc.amount_kinds[3]),
        ("amounts", "  (exact span only)", &sc.amount_spans),
    ];
    for (layer, name, m) in rows {
        if sc.scored.contains(layer) && (name != "  (value and mod)" || sc.gold_mods) {
            println!("{name:<34} {:>6.3} {:>6.3} {:>6.3}", m.p(), m.r(), m.f());
        }
    }
    if sc.scored.contains("amounts") {
        println!("amounts approx right (matched spans): {}/{}", sc.approx_right, sc.approx_n);
    }
    Ok(())
}

fn eval_doc(
    pipeline: &khabar::Pipeline,
    rec: &serde_json::Value,
    sc: &mut Scores,
    verbose: bool,
) -> Result<()> {
    let text = rec["text"].as_str().context("no text")?;
    let date = rec["date"].as_str().map(khabar::parse_date).transpose()?;
    let id = rec["id"].as_str().unwrap_or("?");
    let doc = pipeline.analyze(text, date)?;
    sc.docs += 1;
    // Code point ↔ byte.
    let idx = khabar::CodepointIndex::new(text);
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let to_byte = |cp: u32| byte_of.get(cp as usize).copied().unwrap_or(text.len());
    let cp = |s: Span| (idx.cp(s.start), idx.cp(s.end));

    let arr = |k: &str| rec[k].as_array().cloned().unwrap_or_default();
    let gents: Vec<GoldEnt> = arr("entities")
        .iter()
        .map(|e| GoldEnt {
            span: span_of(e),
            kind: e["type"].as_str().unwrap_or("MISC").to_string(),
            cluster: e["cluster"].as_i64().unwrap_or(-1),
        })
        .collect();
    let gquotes: Vec<GoldQuote> = arr("quotes")
        .iter()
        .map(|q| GoldQuote {
            span: span_of(q),
            speaker: q["speaker"].as_i64(),
        })
        .collect();
    let gtimes: Vec<GoldTime> = arr("times")
        .iter()
        .map(|t| GoldTime {
            span: span_of(t),
            value: t["value"].as_str().map(str::to_string),
            modifier: t["mod"].as_str().map(str::to_string),
        })
        .collect();
    let has = |k: &str| rec.get(k).is_some();
    if arr("times").iter().any(|t| t.get("mod").is_some()) {
        sc.gold_mods = true;
    }
    for layer in ["entities", "quotes", "times", "articles", "amounts"] {
        if has(layer) {
            sc.scored.insert(layer);
        }
    }
    let gheads: Vec<(u32, u32)> = arr("articles")
        .iter()
        .filter(|a| !a["headline"].is_null())
        .map(|a| span_of(&a["headline"]))
        .collect();

    if has("entities") || has("quotes") {
        // End to end.
        let e2e_ents: Vec<((u32, u32), String)> = doc
            .entities
            .iter()
            .map(|e| (cp(e.span), e.id.clone()))
            .collect();
        // Named entities as CoNLL scores them: a mention counts when its span and type both
        // equal a gold mention's.
        let gold_typed: std::collections::HashSet<((u32, u32), &str)> =
            gents.iter().map(|g| (g.span, g.kind.as_str())).collect();
        for e in &doc.entities {
            let hit = gold_typed.contains(&(cp(e.span), e.kind.as_str()));
            sc.entities.correct += f64::from(u8::from(hit));
            if verbose && !hit {
                eprintln!("{id} entity not in gold: {} {}", e.kind.as_str(), slice(text, cp(e.span)));
            }
        }
        if verbose {
            let sys_typed: std::collections::HashSet<((u32, u32), &str)> =
                doc.entities.iter().map(|e| (cp(e.span), e.kind.as_str())).collect();
            for g in &gents {
                if !sys_typed.contains(&(g.span, g.kind.as_str())) {
                    eprintln!("{id} gold entity missed: {} {}", g.kind, slice(text, g.span));
                }
            }
        }
        sc.entities.sys += doc.entities.len() as f64;
        sc.entities.gold += gents.len() as f64;
        let m = link_score(&e2e_ents, &gents, &mut sc.link_e2e);
        let matched = m.iter().filter(|x| x.is_some()).count() as f64;
        sc.mentions.correct += matched;
        sc.mentions.sys += e2e_ents.len() as f64;
        sc.mentions.gold += gents.len() as f64;
        quote_score(
            &doc,
            &cp,
            &e2e_ents,
            &m,
            &gents,
            &gquotes,
            &mut sc.quotes_e2e,
            Some(&mut sc.quote_spans),
            verbose.then_some(id),
            "e2e",
        );

        // Gold mentions: the linker and the quote finder on the gold mentions.
        let mut gdoc: Document = doc.clone();
        gdoc.entities = gents
            .iter()
            .map(|g| Entity {
                span: Span::new(to_byte(g.span.0), to_byte(g.span.1)),
                kind: EntityType::parse(&g.kind).unwrap_or(EntityType::Misc),
                id: String::new(),
            })
            .collect();
        khabar::link::link(&mut gdoc);
        gdoc.quotes = khabar::quotes::find_quotes(&gdoc);
        let g_ents: Vec<((u32, u32), String)> = gdoc
            .entities
            .iter()
            .map(|e| (cp(e.span), e.id.clone()))
            .collect();
        let gm = link_score(&g_ents, &gents, &mut sc.link_gold);
        if verbose {
            for (i, (s, sid)) in g_ents.iter().enumerate() {
                if let Some(g) = gm[i] {
                    let same_sys: Vec<usize> =
                        (0..g_ents.len()).filter(|&j| g_ents[j].1 == *sid).collect();
                    let same_gold: Vec<usize> = (0..gents.len())
                        .filter(|&k| gents[k].cluster == gents[g].cluster)
                        .collect();
                    if same_sys.len() != same_gold.len() {
                        println!(
                            "{id} link: «{}» {sid} (gold cluster {} has {}, system {})",
                            slice(text, *s),
                            gents[g].cluster,
                            same_gold.len(),
                            same_sys.len()
                        );
                    }
                }
            }
        }
        quote_score(
            &gdoc,
            &cp,
            &g_ents,
            &gm,
            &gents,
            &gquotes,
            &mut sc.quotes_gold,
            None,
            verbose.then_some(id),
            "gold",
        );

}
    if has("times") {
        // Times.
        let stimes: Vec<((u32, u32), Option<String>)> = doc
            .times
            .iter()
            .map(|t| (cp(t.span), t.value.clone()))
            .collect();
        let smods: Vec<Option<&str>> = doc.times.iter().map(|t| t.modifier.map(|m| m.as_str())).collect();
        let tm = match_greedy(stimes.len(), gtimes.len(), |s, g| {
            overlap(stimes[s].0, gtimes[g].span) as f64
        });
        sc.times.sys += stimes.len() as f64;
        sc.times.gold += gtimes.len() as f64;
        sc.times_mod.sys += stimes.len() as f64;
        sc.times_mod.gold += gtimes.len() as f64;
        for (s, g) in tm.iter().enumerate() {
            let ok = g.is_some_and(|g| gtimes[g].value == stimes[s].1);
            if ok && g.is_some_and(|g| gtimes[g].modifier.as_deref() == smods[s]) {
                sc.times_mod.correct += 1.0;
            }
            if ok {
                sc.times.correct += 1.0;
            } else if verbose {
                let gold = g
                    .map(|g| format!("{:?}", gtimes[g].value))
                    .unwrap_or_else(|| "not gold".into());
                println!(
                    "{id} time: «{}» = {:?} (gold {gold})",
                    slice(text, stimes[s].0),
                    stimes[s].1
                );
            }
        }
        if verbose {
            for (g, t) in gtimes.iter().enumerate() {
                if !tm.contains(&Some(g)) {
                    println!(
                        "{id} time missed: «{}» = {:?}",
                        slice(text, t.span),
                        t.value
                    );
                }
            }
        }
}
    if has("articles") {
        // Headlines.
        let sheads: Vec<(u32, u32)> = doc
            .articles
            .iter()
            .filter_map(|a| a.headline.map(cp))
            .collect();
        sc.heads.sys += sheads.len() as f64;
        sc.heads.gold += gheads.len() as f64;
        for h in &sheads {
            if gheads.contains(h) {
                sc.heads.correct += 1.0;
            } else if verbose {
                println!("{id} headline wrong: «{}»", slice(text, *h));
            }
        }
        if verbose {
            for h in &gheads {
                if !sheads.contains(h) {
                    println!("{id} headline missed: «{}»", slice(text, *h));
                }
            }
        }
}
    if has("amounts") {
        amount_score(&doc, rec, &cp, sc, verbose.then_some(id));
    }
    Ok(())
}

/// Amounts: exact spans, then kind, value and unit.
fn amount_score(doc: &Document, rec: &serde_json::Value, cp: &dyn Fn(Span) -> (u32, u32), sc: &mut Scores, verbose: Option<&str>) {
    let text = doc.text();
    let unit_key = |u: Option<&str>| u.map(|u| khabar::normalize_unit(u));
    let gold: Vec<GoldAmount> = rec["amounts"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|g| GoldAmount {
                    span: span_of(g),
                    kind: g["kind"].as_str().unwrap_or("").to_string(),
                    value: g["value"].as_f64().unwrap_or(f64::NAN),
                    unit: g["unit"].as_str().map(str::to_string),
                    approx: g["approx"].as_bool().unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    let kind_ix = |k: &str| AMOUNT_KINDS.iter().position(|x| *x == k);
    for g in &gold {
        if let Some(k) = kind_ix(&g.kind) {
            sc.amount_kinds[k].gold += 1.0;
        }
    }
    sc.amounts.gold += gold.len() as f64;
    sc.amount_spans.gold += gold.len() as f64;
    let mut used = vec![false; gold.len()];
    for a in &doc.amounts {
        let span = cp(a.span);
        let kind = a.kind.as_str();
        sc.amounts.sys += 1.0;
        sc.amount_spans.sys += 1.0;
        if let Some(k) = kind_ix(kind) {
            sc.amount_kinds[k].sys += 1.0;
        }
        let Some(gi) = gold.iter().enumerate().position(|(i, g)| !used[i] && g.span == span) else {
            if let Some(id) = verbose {
                println!("{id} amount not in gold: «{}» {kind} {} {:?}", slice(text, span), a.value, a.unit);
            }
            continue;
        };
        used[gi] = true;
        let g = &gold[gi];
        sc.amount_spans.correct += 1.0;
        sc.approx_n += 1;
        sc.approx_right += usize::from(g.approx == a.approx);
        if g.approx != a.approx {
            if let Some(id) = verbose {
                println!("{id} amount approx: «{}» {} (gold {})", slice(text, span), a.approx, g.approx);
            }
        }
        let same_value = (g.value - a.value).abs() <= 1e-9 * g.value.abs().max(1.0);
        let ok = g.kind == kind && same_value && unit_key(g.unit.as_deref()) == unit_key(a.unit.as_deref());
        if ok {
            sc.amounts.correct += 1.0;
            if let Some(k) = kind_ix(kind) {
                sc.amount_kinds[k].correct += 1.0;
            }
        } else if let Some(id) = verbose {
            println!(
                "{id} amount wrong: «{}» {kind} {} {:?} (gold {} {} {:?})",
                slice(text, span),
                a.value,
                a.unit,
                g.kind,
                g.value,
                g.unit
            );
        }
    }
    if let Some(id) = verbose {
        for (i, g) in gold.iter().enumerate() {
            if !used[i] {
                println!("{id} amount missed: «{}» {} {} {:?}", slice(text, g.span), g.kind, g.value, g.unit);
            }
        }
    }
}

fn slice(text: &str, (a, b): (u32, u32)) -> String {
    text.chars()
        .skip(a as usize)
        .take((b - a) as usize)
        .collect()
}

/// B³sys over one document; returns the system→gold mention matching.
fn link_score(sys: &[((u32, u32), String)], gold: &[GoldEnt], b3: &mut B3) -> Vec<Option<usize>> {
    let m = match_greedy(sys.len(), gold.len(), |s, g| {
        let o = overlap(sys[s].0, gold[g].span) as f64;
        if o > 0.0 {
            o / ((sys[s].0 .1 - sys[s].0 .0).max(gold[g].span.1 - gold[g].span.0) as f64)
        } else {
            0.0
        }
    });
    // Nodes: matched pairs, twinless system, twinless gold.
    let mut nodes: Vec<(Option<String>, Option<i64>)> = Vec::new();
    let mut gold_used = vec![false; gold.len()];
    for (s, g) in m.iter().enumerate() {
        nodes.push((Some(sys[s].1.clone()), g.map(|g| gold[g].cluster)));
        if let Some(g) = g {
            gold_used[*g] = true;
        }
    }
    for (g, used) in gold_used.iter().enumerate() {
        if !used {
            nodes.push((None, Some(gold[g].cluster)));
        }
    }
    let n = nodes.len();
    let mut sys_size: HashMap<&str, f64> = HashMap::new();
    let mut gold_size: HashMap<i64, f64> = HashMap::new();
    let mut both: HashMap<(&str, i64), f64> = HashMap::new();
    for (s, g) in &nodes {
        if let Some(s) = s {
            *sys_size.entry(s.as_str()).or_default() += 1.0;
        }
        if let Some(g) = g {
            *gold_size.entry(*g).or_default() += 1.0;
        }
        if let (Some(s), Some(g)) = (s, g) {
            *both.entry((s.as_str(), *g)).or_default() += 1.0;
        }
    }
    for i in 0..n {
        let (s, g) = &nodes[i];
        let inter = match (s, g) {
            (Some(s), Some(g)) => both[&(s.as_str(), *g)],
            _ => 1.0,
        };
        if let Some(s) = s {
            b3.p_sum += inter / sys_size[s.as_str()];
            b3.p_n += 1.0;
        }
        if let Some(g) = g {
            b3.r_sum += inter / gold_size[g];
            b3.r_n += 1.0;
        }
    }
    m
}

#[allow(clippy::too_many_arguments)]
fn quote_score(
    doc: &Document,
    cp: &dyn Fn(Span) -> (u32, u32),
    ents: &[((u32, u32), String)],
    ent_match: &[Option<usize>],
    gents: &[GoldEnt],
    gold: &[GoldQuote],
    prf: &mut Prf,
    spans: Option<&mut Prf>,
    verbose: Option<&str>,
    mode: &str,
) {
    let sys: Vec<((u32, u32), Option<String>)> = doc
        .quotes
        .iter()
        .map(|q| (cp(q.span), q.speaker.clone()))
        .collect();
    let m = match_greedy(sys.len(), gold.len(), |s, g| {
        let x = iou(sys[s].0, gold[g].span);
        if x >= 0.8 {
            x
        } else {
            0.0
        }
    });
    prf.sys += sys.len() as f64;
    prf.gold += gold.len() as f64;
    if let Some(sp) = spans {
        sp.sys += sys.len() as f64;
        sp.gold += gold.len() as f64;
        sp.correct += m.iter().filter(|x| x.is_some()).count() as f64;
    }
    let text = doc.text();
    for (s, g) in m.iter().enumerate() {
        let Some(g) = g else {
            if let Some(id) = verbose {
                println!("{id} quote ({mode}) not gold: «{}»", slice(text, sys[s].0));
            }
            continue;
        };
        let ok = match (&sys[s].1, gold[*g].speaker) {
            (None, None) => true,
            (Some(sid), Some(c)) => ents
                .iter()
                .enumerate()
                .any(|(i, e)| e.1 == *sid && ent_match[i].is_some_and(|k| gents[k].cluster == c)),
            _ => false,
        };
        if ok {
            prf.correct += 1.0;
        } else if let Some(id) = verbose {
            println!(
                "{id} quote ({mode}) wrong speaker {:?} (gold cluster {:?}): «{}»",
                sys[s].1,
                gold[*g].speaker,
                slice(text, sys[s].0)
            );
        }
    }
    if let Some(id) = verbose {
        for (g, q) in gold.iter().enumerate() {
            if !m.contains(&Some(g)) {
                println!("{id} quote ({mode}) missed: «{}»", slice(text, q.span));
            }
        }
    }
}
