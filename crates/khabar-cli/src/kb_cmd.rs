//! `khabar train kb` and `khabar kb` (look a name up).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use khabar::ner::fane::{FaneMap, Titles};
use khabar_kb::build::Builder;
use khabar_kb::Kb;
use khabar_model::Blob;

/// Building flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar train kb --out models/kb.khm")]
pub struct TrainArgs {
    /// Where to write the knowledge base.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// GeoNames folder (cities_ar.jsonl.gz, countries.json, continents.json).
    #[arg(long, value_name = "DIR", default_value = "../shared/data/geonames")]
    pub geonames: PathBuf,
    /// CLDR folder (ar.xml, subdivisions-ar.xml).
    #[arg(long, value_name = "DIR", default_value = "../shared/data/cldr")]
    pub cldr: PathBuf,
    /// Wikidata name parts (latin<TAB>arabic<TAB>count).
    #[arg(long, value_name = "PATH", default_value = "../shared/data/names/wikidata_en_ar.tsv")]
    pub names: PathBuf,
    /// The hand-checked list of names the sources lack (each row with its source).
    #[arg(long, value_name = "PATH", default_value = "crates/khabar-kb/data/curated.tsv")]
    pub curated: PathBuf,
    /// ANERcorp's training split, for the names it tags (never the test split).
    #[arg(long, value_name = "PATH", default_value = "../shared/data/anercorp/train.txt")]
    pub anercorp: PathBuf,
    /// WikiFANE Gold, for the names it tags (mapped to four classes as for training).
    #[arg(long, value_name = "PATH", default_value = "../shared/data/fane/wikifane_gold.txt")]
    pub wikifane: PathBuf,
    /// NewsFANE Gold's training file, for the names it tags.
    #[arg(long, value_name = "PATH", default_value = "../shared/data/fane/newsfane_gold_train.txt")]
    pub newsfane: PathBuf,
}

/// Lookup flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar kb عمان\n  khabar kb --kb models/kb.khm 'الولايات المتحدة'")]
pub struct LookupArgs {
    /// Names to look up (as written; normalized as the KB's keys are).
    #[arg(required = true)]
    pub names: Vec<String>,
    /// Knowledge-base file (default: the built-in one).
    #[arg(long, value_name = "PATH")]
    pub kb: Option<PathBuf>,
}

pub fn train(a: TrainArgs) -> Result<()> {
    let t0 = Instant::now();
    let mut b = Builder::new();
    let geo = b.add_geonames(&a.geonames)?;
    b.add_cldr(&a.cldr, &geo)?;
    b.add_name_parts(&a.names)?;
    b.add_curated(&a.curated)?;
    // Names of the labeled corpora with their class and count; the tagger does not read
    // these (its own leave-fold-out gazetteer covers them), later stages do.
    let aner = khabar::ner::train::read(&a.anercorp).with_context(|| format!("reading {}", a.anercorp.display()))?;
    let titles = Titles::learn(&aner, 3);
    let count = crate::ner_cmd::news_count()?;
    let map = FaneMap::default();
    let mut names: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut corpora = vec![aner];
    for p in [&a.wikifane, &a.newsfane] {
        corpora.push(crate::ner_cmd::read_fane(p, &map, &titles, &count)?);
    }
    for s in corpora.iter().flatten() {
        let tags: Vec<usize> = s.iter().map(|(_, t)| khabar::ner::tag_index(t).unwrap_or(0)).collect();
        for (x, y, ty) in khabar::ner::score::chunks(&tags) {
            let name = s[x..y].iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" ");
            *names.entry((name, khabar::ner::TYPES[ty].to_string())).or_default() += 1;
        }
    }
    for ((name, class), n) in &names {
        b.add_corpus_name(name, class, *n);
    }
    let mut recipe = format!("command: {}\n", std::env::args().collect::<Vec<_>>().join(" "));
    for p in [
        a.geonames.join("cities_ar.jsonl.gz"),
        a.geonames.join("countries.json"),
        a.geonames.join("continents.json"),
        a.cldr.join("ar.xml"),
        a.cldr.join("subdivisions-ar.xml"),
        a.names.clone(),
        a.curated.clone(),
        a.anercorp.clone(),
        a.wikifane.clone(),
        a.newsfane.clone(),
    ] {
        recipe += &format!("source: {} sha256 {}\n", p.display(), crate::ner_cmd::sha256(&p));
    }
    for ((source, kind), n) in b.counts() {
        recipe += &format!("candidates: {source} {kind} {n}\n");
    }
    let bytes = b.finish(&recipe)?;
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    let kb = Kb::from_blob(Blob::Owned(bytes.clone())).with_context(|| format!("re-reading {}", a.out.display()))?;
    eprint!("{recipe}");
    eprintln!(
        "wrote {} ({} bytes, {} keys, {} candidates) in {:.1}s",
        a.out.display(),
        bytes.len(),
        kb.len(),
        kb.candidate_count(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn lookup(a: LookupArgs) -> Result<()> {
    let kb = match &a.kb {
        Some(p) => std::sync::Arc::new(Kb::from_path(p)?),
        None => khabar::models::kb()?,
    };
    for name in &a.names {
        println!("{name} (key `{}`):", khabar_kb::key(name));
        let mut any = false;
        for c in kb.lookup(name) {
            any = true;
            let coords = c.coordinates().map(|(la, lo)| format!(" {la:.4},{lo:.4}")).unwrap_or_default();
            println!(
                "  {:<12} {:<8?} prior {:>10} {}{}{}{}",
                c.kind.name(),
                c.source,
                c.prior,
                c.country_code().map(|s| format!("country {s} ")).unwrap_or_default(),
                c.geonameid().map(|g| format!("geonameid {g} ")).unwrap_or_default(),
                c.currency_code().map(|s| format!("currency {s} ")).unwrap_or_default(),
                coords
            );
        }
        if !any {
            println!("  (not in the knowledge base)");
        }
    }
    Ok(())
}

/// `khabar train countries` flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar train countries --out models/countries.tsv")]
pub struct CountriesArgs {
    /// Where to write the country table.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// GeoNames folder (countries.json, cities_ar.jsonl.gz).
    #[arg(long, value_name = "DIR", default_value = "../shared/data/geonames")]
    pub geonames: PathBuf,
    /// CLDR folder (ar.xml).
    #[arg(long, value_name = "DIR", default_value = "../shared/data/cldr")]
    pub cldr: PathBuf,
    /// The hand-checked list of short country names (its `country` rows).
    #[arg(long, value_name = "PATH", default_value = "crates/khabar-kb/data/curated.tsv")]
    pub curated: PathBuf,
}

pub fn train_countries(a: CountriesArgs) -> Result<()> {
    let table = khabar_kb::build::country_table(&a.geonames, &a.cldr, &a.curated)?;
    let parsed = khabar_kb::countries::Countries::parse(&table).map_err(anyhow::Error::msg)?;
    std::fs::write(&a.out, &table).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!("wrote {} ({} countries, {} bytes)", a.out.display(), parsed.len(), table.len());
    Ok(())
}
