//! NER behaviour: the built-in model loads and finds the seed article's entities (golden
//! output), and damaged model files are errors, never panics.
//!
//! To update the golden file after retraining a model:
//! `KHABAR_BLESS=1 cargo test -p khabar --test ner` and review the diff of
//! `tests/data/ner-seed.golden`.

use khabar::ner::{Model, NerTagger, KIND, VERSION};
use khabar::{CodepointIndex, Pipeline};
use khabar_model::{Blob, Bundle};

const SEED: &str = include_str!("../../../examples/seed-article.txt");

fn render(text: &str) -> String {
    let p = Pipeline::builtin().expect("builtin pipeline");
    let doc = p.analyze(text, None).expect("analyze");
    let idx = CodepointIndex::new(doc.text());
    let mut out = String::new();
    for e in &doc.entities {
        out += &format!("{}..{}\t{}\t{}\t{}\n", idx.cp(e.span.start), idx.cp(e.span.end), e.kind.as_str(), e.id, doc.slice(e.span));
    }
    out
}

#[test]
fn seed_article_entities_match_the_golden_file() {
    let got = render(SEED);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ner-seed.golden");
    if std::env::var_os("KHABAR_BLESS").is_some() {
        std::fs::write(path, &got).unwrap();
    }
    let want = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(got, want, "entity output changed; if intended, rerun with KHABAR_BLESS=1 and review the diff");
}

#[test]
fn seed_article_has_the_main_people_and_places() {
    let got = render(SEED);
    for must in ["PERS\tE", "LOC\tE"] {
        assert!(got.contains(must), "{got}");
    }
    assert!(got.lines().any(|l| l.contains("\tPERS\tE") && l.ends_with("\tفائز السراج")), "{got}");
    assert!(got.contains("ليبيا"), "{got}");
}

#[test]
fn entity_ids_and_records_are_consistent() {
    let p = Pipeline::builtin().unwrap();
    let doc = p.analyze(SEED, None).unwrap();
    assert!(!doc.entities.is_empty());
    for e in &doc.entities {
        let rec = doc.entity_index.iter().find(|r| r.id == e.id).expect("every mention id has a record");
        assert!(rec.variants.iter().any(|v| v == doc.slice(e.span)));
    }
    let total: usize = doc.entity_index.iter().map(|r| r.mentions).sum();
    assert_eq!(total, doc.entities.len());
    // Spans are sorted, non-empty and never start with a separated conjunction.
    for w in doc.entities.windows(2) {
        assert!(w[0].span.start < w[1].span.start);
    }
}

fn model_err(bytes: Vec<u8>) -> String {
    match NerTagger::from_blob(Blob::Owned(bytes)) {
        Ok(_) => panic!("damaged model accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn damaged_model_files_are_clear_errors() {
    let good = khabar::models::NER.to_vec();
    assert!(Model::from_blob(Blob::Owned(good.clone())).is_ok());
    // Empty and truncated.
    assert!(model_err(Vec::new()).contains("shorter than"));
    let mut t = good.clone();
    t.truncate(good.len() / 2);
    assert!(model_err(t).contains("truncated"));
    // Not a model at all.
    assert!(model_err(b"B-PERS I-PERS O O this is a text file, not a model".to_vec()).contains("not a khabar model"));
    // Another version and another kind.
    let payload = &good[khabar_model::HEADER_LEN..];
    let e = model_err(Bundle::encode(KIND, VERSION + 1, payload));
    assert!(e.contains("version") && e.contains(&format!("expected {VERSION}")), "{e}");
    let e = model_err(Bundle::encode(*b"SEGM", VERSION, payload));
    assert!(e.contains("wrong kind"), "{e}");
    // A valid frame around a payload that does not fit together.
    let e = model_err(Bundle::encode(KIND, VERSION, b"garbage"));
    assert!(e.contains("payload ends inside field"), "{e}");
    let e = model_err(Bundle::encode(KIND, VERSION, &payload[..payload.len() - 5]));
    assert!(e.contains("payload ends") || e.contains("NER model"), "{e}");
    // Flipped byte: checksum.
    let mut f = good.clone();
    let k = f.len() - 10;
    f[k] ^= 1;
    assert!(model_err(f).contains("checksum"));
}

#[test]
fn arbitrary_payloads_never_panic() {
    let good = khabar::models::NER.to_vec();
    let payload = &good[khabar_model::HEADER_LEN..];
    let mut x: u64 = 0x1234_5678;
    for cut in [0usize, 1, 7, 8, 50, 200, 1000] {
        let _ = NerTagger::from_blob(Blob::Owned(Bundle::encode(KIND, VERSION, &payload[..cut.min(payload.len())])));
    }
    for _ in 0..50 {
        let mut p = payload[..payload.len().min(4096)].to_vec();
        for _ in 0..8 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let i = (x as usize) % p.len();
            p[i] = (x >> 32) as u8;
        }
        let _ = NerTagger::from_blob(Blob::Owned(Bundle::encode(KIND, VERSION, &p)));
    }
}

fn entities_of(text: &str) -> (khabar::Document, Vec<(String, &'static str)>) {
    let p = Pipeline::builtin().expect("builtin pipeline");
    let doc = p.analyze(text, None).expect("analyze");
    let ents = doc.entities.iter().map(|e| (doc.slice(e.span).to_string(), e.kind.as_str())).collect();
    (doc, ents)
}

#[test]
fn the_name_after_a_title_in_a_speaker_phrase_is_a_person() {
    let (doc, ents) = entities_of("وأوضح المدير الإقليمي للبنك ساروج كومار جاه أن القرض سيدعم برامج الحماية الاجتماعية.");
    assert!(ents.contains(&("ساروج كومار جاه".to_string(), "PERS")), "{ents:?}");
    let q = &doc.quotes[0];
    let id = doc.entities.iter().find(|e| doc.slice(e.span) == "ساروج كومار جاه").map(|e| e.id.clone());
    assert_eq!(q.speaker, id);
    // An addressee after the name is not part of it.
    let (_, ents) = entities_of("وقال قائد الشرطة جون بلمار للصحفيين إن التحقيق مستمر.");
    assert!(ents.contains(&("جون بلمار".to_string(), "PERS")), "{ents:?}");
}

#[test]
fn an_institution_speaking_is_an_organization() {
    let (_, ents) = entities_of("أعلنت وزارة الأوقاف السعودية أن صلاة العيد ستقام في المساجد.");
    assert!(ents.contains(&("وزارة الأوقاف السعودية".to_string(), "ORG")), "{ents:?}");
}

#[test]
fn sources_and_titles_alone_are_not_names() {
    let (_, ents) = entities_of("وذكرت مصادر دبلوماسية أن الجلسة ستناقش خرق حظر الأسلحة. وقال مصدر أمني إن المهاجمين استخدموا سيارة مفخخة.");
    assert!(ents.iter().all(|(_, k)| *k != "PERS"), "{ents:?}");
}

#[test]
fn an_institution_in_the_title_is_not_the_start_of_the_name() {
    let (_, ents) = entities_of("وأوضح رئيس لجنة التصوير الضوئي حسان مبروك أن المسابقة بدأت.");
    assert!(ents.contains(&("حسان مبروك".to_string(), "PERS")), "{ents:?}");
    assert!(!ents.iter().any(|(t, k)| *k == "PERS" && t.contains("لجنة")), "{ents:?}");
}

#[test]
fn a_feminine_plural_or_possessed_noun_after_the_verb_is_not_a_name() {
    let (_, ents) = entities_of("وصرحت مقيمة في المدينة إن الانفجار هز الحي. وقال محللون إن الأسعار سترتفع. وذكر طفولته في المؤتمر.");
    assert!(ents.iter().all(|(_, k)| *k != "PERS"), "{ents:?}");
    // A rare foreign surname in a real ه stays a person (`وقال بيدرسن`, `جاه`).
    let (_, ents) = entities_of("وأشار جاه إلى أن القرض سيدعم البرامج.");
    assert!(ents.contains(&("جاه".to_string(), "PERS")), "{ents:?}");
}

#[test]
fn a_surname_alone_later_in_the_story_is_the_same_person() {
    let (doc, _) =
        entities_of("نفى المتحدث باسم الحكومة الجزائرية عمار بلحيمر أن تكون الحكومة قد قررت التأجيل. وكان بلحيمر قد صرح بأن الدخول المدرسي سيكون في موعده.");
    let ids: Vec<&str> = doc.entities.iter().filter(|e| doc.slice(e.span).contains("بلحيمر")).map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 2, "{:?}", doc.entities);
    assert_eq!(ids[0], ids[1]);
}

fn orgs(ents: &[(String, &'static str)]) -> Vec<String> {
    ents.iter()
        .filter(|(_, k)| *k == "ORG")
        .map(|(s, _)| s.clone())
        .collect()
}

#[test]
fn institutions_named_by_their_function_are_organizations() {
    let (_, ents) = entities_of(
        "وشارك الجيش الأردني في المناورات التي نظمتها وزارة الدفاع. ورفع البنك المركزي المصري سعر الفائدة أمس. \
         وعقدت الهيئة العامة للاستثمار اجتماعا مع ممثلي منظمة العفو الدولية السبت.",
    );
    let orgs = orgs(&ents);
    for want in [
        "الجيش الأردني",
        "وزارة الدفاع",
        "البنك المركزي المصري",
        "الهيئة العامة للاستثمار",
        "منظمة العفو الدولية",
    ] {
        assert!(orgs.iter().any(|o| o == want), "{want} not in {orgs:?}");
    }
    // Police, embassies and consulates: with an adjective, or in construct with a name;
    // some region's police (`شرطة المنطقة`) names no one body.
    let (_, ents) = entities_of("وقالت الشرطة التركية إن القنصلية الأميركية أغلقت. وأعلنت شرطة دبي القبض على المتهم. وتدخلت شرطة المنطقة.");
    let found = self::orgs(&ents);
    for want in ["الشرطة التركية", "القنصلية الأميركية", "شرطة دبي"] {
        assert!(found.iter().any(|o| o == want), "{want} not in {found:?}");
    }
    assert!(!found.iter().any(|o| o.contains("المنطقة")), "{found:?}");
    // Institutes, observatories and foundations.
    let (_, ents) = entities_of("وقال المرصد السوري لحقوق الإنسان إن القصف استمر. وأعلنت مؤسسة النقد أن الاحتياطي تراجع. وذكر معهد الاقتصاد الألماني أن النمو تباطأ.");
    let found = self::orgs(&ents);
    for want in ["المرصد السوري لحقوق الإنسان", "مؤسسة النقد", "معهد الاقتصاد الألماني"] {
        assert!(found.iter().any(|o| o == want), "{want} not in {found:?}");
    }
}

#[test]
fn an_institution_ends_where_its_name_ends() {
    // The adjective that completes a ministry's name is part of it, whether the tagger found
    // the first two words (`وزارة الشؤون`) or the institution pass found the name.
    let (_, ents) = entities_of(
        "أقامت وزارة الشؤون الاجتماعية أمس حفل استقبال. وأعلنت وزارة الخدمة المدنية عن وظائف. \
         وأطلق مجلس التنمية السياحية خطة جديدة.",
    );
    let orgs = orgs(&ents);
    for want in ["وزارة الشؤون الاجتماعية", "وزارة الخدمة المدنية", "مجلس التنمية السياحية"] {
        assert!(orgs.iter().any(|o| o == want), "{want} not in {orgs:?}");
    }
}

#[test]
fn a_bare_institution_noun_or_a_title_is_not_an_organization() {
    // `الحكومة` alone names no body in particular; `رئيس الحكومة العراقية` is the prime
    // minister's title; an adjective after the name describes the word before it.
    let (_, ents) = entities_of(
        "وقالت الحكومة إنها قررت التأجيل. وزار رئيس الحكومة العراقية بغداد. وخلال جلسة مجلس الوزراء الأسبوعية ناقش الوزراء الميزانية.",
    );
    let orgs = orgs(&ents);
    assert!(
        orgs.iter()
            .all(|o| !o.contains("الحكومة") && !o.contains("الأسبوعية")),
        "{orgs:?}"
    );
}

#[test]
fn the_anercorp_convention_leaves_institutions_out() {
    let text = "وأعلنت وزارة الخارجية المصرية أن الوزير سيزور عمان.";
    let news = Pipeline::builtin().unwrap().analyze(text, None).unwrap();
    let p = Pipeline::builder()
        .ner_convention(khabar::ner::Convention::Anercorp)
        .build()
        .unwrap();
    let anercorp = p.analyze(text, None).unwrap();
    let has_ministry = |d: &khabar::Document| {
        d.entities
            .iter()
            .any(|e| d.slice(e.span).starts_with("وزارة"))
    };
    assert!(has_ministry(&news), "{:?}", news.entities);
    assert!(!has_ministry(&anercorp), "{:?}", anercorp.entities);
    assert_eq!(
        "anercorp".parse::<khabar::ner::Convention>(),
        Ok(khabar::ner::Convention::Anercorp)
    );
    assert!("ANER"
        .parse::<khabar::ner::Convention>()
        .unwrap_err()
        .contains("news"));
}

#[test]
fn a_name_ends_before_a_title_joined_by_and() {
    // The tagger alone reads `الوفاق والمشير` as one organization.
    let (_, ents) =
        entities_of("واجتمع فائز السراج رئيس حكومة الوفاق والمشير خليفة حفتر في باريس.");
    assert!(ents.iter().all(|(s, _)| !s.contains("المشير")), "{ents:?}");
    assert!(
        ents.contains(&("حكومة الوفاق".to_string(), "ORG")),
        "{ents:?}"
    );
    assert!(
        ents.contains(&("خليفة حفتر".to_string(), "PERS")),
        "{ents:?}"
    );
}

#[test]
fn a_name_after_a_rank_is_a_person() {
    let (_, ents) =
        entities_of("وكان فائز السراج قد التقى الأسبوع الماضي المشير خليفة حفتر في باريس.");
    assert!(
        ents.contains(&("خليفة حفتر".to_string(), "PERS")),
        "{ents:?}"
    );
}

#[test]
fn a_name_is_never_cut_at_a_letter_that_looks_like_a_clitic() {
    // ب ل ك ف begin these names; the segmenter alone would split `بشار` into ب + شار.
    let (_, ents) = entities_of("وقال بشار الأسد إن بلال وكمال وفيصل زاروا لبنان وبغداد وكركوك.");
    for name in ["بشار الأسد", "بلال", "كمال", "فيصل", "لبنان", "بغداد", "كركوك"] {
        assert!(ents.iter().any(|(s, _)| s == name), "`{name}` missing or cut: {ents:?}");
    }
    // A real conjunction or preposition still stays out of the name.
    let (_, ents) = entities_of("التقى السراج وحفتر في باريس وبغداد.");
    assert!(ents.iter().any(|(s, _)| s == "باريس") && ents.iter().any(|(s, _)| s == "بغداد"), "{ents:?}");
    assert!(ents.iter().all(|(s, _)| !s.starts_with('و')), "{ents:?}");
    // A place the knowledge base knows whole keeps its first letter even where the training
    // counts favour the rest (`ون`, `اليرمو` are no places).
    let (_, ents) = entities_of("وتحدث في مدينة بون أمس، وانتقل اللاعب من باليرمو إلى روما.");
    for name in ["بون", "باليرمو"] {
        assert!(ents.iter().any(|(s, _)| s == name || s.starts_with(&format!("{name} "))), "`{name}` missing or cut: {ents:?}");
    }
    // A name whose rest reads as و + a word (`وروسيا`, "and Russia") keeps its ب: a
    // preposition never comes before the conjunction. With و in front, the و still goes.
    let (_, ents) = entities_of("وقع عامين مع فريق بوروسيا دورتموند، بعدما درب هيرتا برلين وبوروسيا مونشنغلادباخ.");
    for name in ["بوروسيا دورتموند", "بوروسيا مونشنغلادباخ"] {
        assert!(ents.iter().any(|(s, _)| s == name || s.starts_with(&format!("{name} "))), "`{name}` missing or cut: {ents:?}");
    }
}

#[test]
fn currencies_are_not_names_in_news_but_misc_under_anercorp() {
    let text = "وارتفع سعر الدولار أمام الجنيه المصري بينما تراجع اليورو في أسواق لندن.";
    let (_, news) = entities_of(text);
    for cur in ["الدولار", "الجنيه", "اليورو", "الجنيه المصري"] {
        assert!(news.iter().all(|(s, _)| s != cur), "{cur} reported as a name: {news:?}");
    }
    assert!(news.contains(&("لندن".to_string(), "LOC")), "{news:?}");
    let p = Pipeline::builder().ner_convention(khabar::ner::Convention::Anercorp).build().unwrap();
    let doc = p.analyze("وارتفع الدولار بينما تراجع الدولار واليورو.", None).unwrap();
    let kinds: Vec<_> = doc.entities.iter().map(|e| e.kind.as_str()).collect();
    // Under ANERcorp's convention whatever the tagger finds stays (it tags currencies MISC).
    assert!(kinds.iter().all(|k| *k == "MISC"), "{kinds:?}");
}

#[test]
fn the_model_records_and_checks_its_knowledge_base() {
    let model = Model::from_blob(Blob::Static(khabar::models::NER)).unwrap();
    assert!(model.has_kb(), "the built-in model uses the built-in knowledge base");
    // Another knowledge base (here: a tiny one) is refused by name, never used silently.
    let other = std::sync::Arc::new(khabar_kb::Kb::builtin_for_tests());
    let err = Model::from_blob_with_kb(Blob::Static(khabar::models::NER), other).unwrap_err().to_string();
    assert!(err.contains("knowledge base"), "{err}");
}

#[test]
fn entities_carry_a_fine_type_under_their_class() {
    use khabar::ner::subtype::SUBTYPES;
    let p = Pipeline::builtin().unwrap();
    let doc = p.analyze(SEED, None).unwrap();
    let sub = |name: &str| doc.entity_index.iter().find(|r| r.name == name).and_then(|r| r.subtype);
    // The built-in model's classifier on the seed: the two Libyan leaders are politicians,
    // Libya is a nation, Paris a city.
    assert_eq!(sub("فائز السراج"), Some("Politician"));
    assert_eq!(sub("ليبيا"), Some("Nation"));
    assert_eq!(sub("باريس"), Some("Population-Center"));
    // Whatever it says, a subtype always falls under its record's class.
    for r in &doc.entity_index {
        if let Some(s) = r.subtype {
            assert!(SUBTYPES.iter().any(|(_, n, c)| *n == s && *c == r.kind), "{} {:?} {s}", r.name, r.kind);
        }
    }
}

#[test]
fn a_model_file_without_a_subtype_section_still_loads_and_gives_none() {
    // Issue 12's first model files ended at the knowledge-base checksum: strip the section
    // from the built-in model and reframe it as such a file.
    let bundle = Bundle::parse(Blob::Static(khabar::models::NER), KIND, VERSION).unwrap();
    let mut m = Model::from_blob(Blob::Static(khabar::models::NER)).unwrap();
    assert!(!m.subtypes().is_empty());
    m.set_subtypes(Default::default(), "none");
    let bare = m.to_bytes();
    assert!(bare.len() < bundle.blob_bytes().len());
    let tagger = NerTagger::from_blob(Blob::Owned(bare)).expect("a model without subtypes loads");
    assert!(tagger.model().subtypes().is_empty());
    let p = Pipeline::builder().ner_model(Blob::Owned(tagger.model().to_bytes())).build().unwrap();
    let doc = p.analyze(SEED, None).unwrap();
    assert!(!doc.entity_index.is_empty() && doc.entity_index.iter().all(|r| r.subtype.is_none()));
}

/// The organizations of `text` found by the built-in pipeline, as written.
fn organizations(text: &str) -> Vec<String> {
    let p = Pipeline::builtin().expect("builtin pipeline");
    let doc = p.analyze(text, None).expect("analyze");
    doc.entities.iter().filter(|e| e.kind.as_str() == "ORG").map(|e| doc.slice(e.span).to_string()).collect()
}

#[test]
fn a_long_organization_name_ends_where_news_ends_it() {
    // The name extents learned from unlabeled news (`khabar train extents`) complete names
    // the tagger alone cut short, with a clitic on the name's first word too.
    assert_eq!(
        organizations("وأعلنت هيئة الأمر بالمعروف والنهي عن المنكر في مكة المكرمة أمس عن حملة جديدة."),
        ["هيئة الأمر بالمعروف والنهي عن المنكر"]
    );
    assert_eq!(organizations("وأحالت الشرطة القضية لهيئة التحقيق والادعاء العام في الرياض."), ["هيئة التحقيق والادعاء العام"]);
    // Where the text does not go on with the name, the name is not run on.
    assert_eq!(organizations("وقالت وزارة الداخلية في بيان إن الحادث وقع مساء أمس."), ["وزارة الداخلية"]);
}

#[test]
fn the_built_in_model_carries_its_learned_name_extents_and_they_survive_a_round_trip() {
    let m = Model::from_blob(Blob::Static(khabar::models::NER)).expect("model");
    assert!(m.extents().len() > 50, "{} names with extents", m.extents().len());
    let again = Model::from_blob(Blob::Owned(m.to_bytes())).expect("re-read");
    assert_eq!(again.extents(), m.extents());
}

#[test]
fn the_built_in_model_written_back_is_the_committed_file_byte_for_byte() {
    // The tables a model is read into for tagging (weights, subtypes) are its only copy:
    // writing it back must lose nothing and reorder nothing.
    let m = Model::from_blob(Blob::Static(khabar::models::NER)).expect("model");
    assert!(m.to_bytes() == khabar::models::NER, "the re-written model differs from models/ner.khm");
}

#[test]
fn a_quoted_name_after_a_body_noun_is_an_organization_without_its_marks() {
    let (_, ents) = entities_of("وقال لصحيفة \"بليك\" إن الصفقة فشلت، وأسس موقع «جروف شارك» وباعته مجموعة «إل.في.آم.آش» الفرنسية.");
    for name in ["بليك", "جروف شارك", "إل.في.آم.آش"] {
        assert!(ents.contains(&(name.to_string(), "ORG")), "{name}: {ents:?}");
    }
    // An institute's quoted name: the name alone, never with one of its marks.
    let (_, ents) = entities_of("ويتوقع معهد \"إنفو\" في ميونيخ أن يزيد الناتج بنسبة 1.9 في المائة.");
    assert!(ents.contains(&("إنفو".to_string(), "ORG")), "{ents:?}");
    // A university's: the name, not a place (`تورنتو` was the city).
    let (_, ents) = entities_of("وابتكر باحثون في جامعة \"تورنتو\" الكندية جهازا جديدا.");
    assert!(ents.contains(&("تورنتو".to_string(), "ORG")), "{ents:?}");
    assert!(ents.iter().all(|(n, _)| !n.contains('"')), "{ents:?}");
    // Quoted words after a noun that names no body stay what the tagger says.
    let (_, ents) = entities_of("ووصف الوزير الاتفاق بأنه \"خطوة مهمة\" نحو السلام.");
    assert!(ents.iter().all(|(n, _)| n != "خطوة مهمة"), "{ents:?}");
}

#[test]
fn a_country_name_used_as_its_adjective_is_no_mention() {
    // `السياسة السعودية` is "Saudi policy"; the labeled corpora leave such uses untagged.
    let (_, ents) = entities_of("انتقد الكاتب السياسة السعودية في المنطقة، بينما زار الوفد السعودية أمس.");
    let saudi: Vec<_> = ents.iter().filter(|(s, _)| s == "السعودية").collect();
    assert_eq!(saudi.len(), 1, "{ents:?}");
}

#[test]
fn organizations_the_labeled_text_never_names_are_found_from_what_news_writes_about_them() {
    // `داعش` and `هيومن رايتس ووتش` are in no labeled corpus; the built-in model learned them
    // from unlabeled news (`khabar train orgs`).
    let (_, ents) = entities_of("وفر عناصر داعش من المدينة بعد معارك مع الجيش. وقالت منظمة هيومن رايتس ووتش إن المدنيين قتلوا.");
    assert!(ents.contains(&("داعش".to_string(), "ORG")), "{ents:?}");
    assert!(ents.iter().any(|(t, k)| *k == "ORG" && t.ends_with("هيومن رايتس ووتش")), "{ents:?}");
    // A learned name inside a person's name the tagger found stays the person's.
    let (_, ents) = entities_of("وقال زعيم الجماعة عبدالملك الحوثي إن المعارك مستمرة.");
    assert!(ents.contains(&("عبدالملك الحوثي".to_string(), "PERS")), "{ents:?}");
    assert!(!ents.iter().any(|(_, k)| *k == "ORG"), "{ents:?}");
}

#[test]
fn the_built_in_model_carries_the_organizations_learned_from_news() {
    let model = khabar::ner::Model::from_blob(khabar_model::Blob::Static(khabar::models::NER)).expect("built-in model");
    let names: Vec<&str> = model.org_names().names().iter().map(|n| n.core.as_str()).collect();
    assert!(names.contains(&"داعش") && names.contains(&"الحوثي"), "{names:?}");
    assert!(model.recipe().contains("organization names: "), "the recipe says how they were learned");
}

#[test]
fn a_club_named_like_its_city_is_an_organization_where_the_story_writes_it_after_a_team_noun() {
    let (_, ents) = entities_of("وقع عامين مع فريق بوروسيا دورتموند. وقال مدرب دورتموند إن اللاعب سيبقى.");
    let dortmund: Vec<_> = ents.iter().filter(|(s, _)| s.contains("دورتموند")).collect();
    assert_eq!(dortmund.len(), 2, "{ents:?}");
    assert!(dortmund.iter().all(|(_, ty)| *ty == "ORG"), "{ents:?}");
    // After a place noun the same name is the city.
    let (_, ents) = entities_of("سافر فريق مارسيليا إلى ليون. ويقع ملعب النادي في مدينة مارسيليا الفرنسية. وخسر مارسيليا المباراة.");
    let types: Vec<_> = ents.iter().filter(|(s, _)| s == "مارسيليا").map(|(_, ty)| *ty).collect();
    assert_eq!(types, ["ORG", "LOC", "ORG"], "{ents:?}");
    // A person's team leaves the person a person, and a story with no team noun keeps its city.
    let (_, ents) = entities_of("قال فريق ترامب إن الرئيس سيزور دورتموند الأسبوع المقبل.");
    assert!(ents.iter().any(|(s, ty)| s == "ترامب" && *ty == "PERS"), "{ents:?}");
    assert!(ents.iter().any(|(s, ty)| s == "دورتموند" && *ty == "LOC"), "{ents:?}");
}

#[test]
fn a_place_or_body_ends_where_the_name_of_its_office_holder_begins() {
    // The tagger ran the title's complement into the holder's name as one place.
    let (_, ents) = entities_of("وقد تابع وكيل إمارة منطقة القصيم عبدالعزيز الحميدان أعمال إعادة التيار الكهربائي.");
    assert!(ents.iter().any(|(s, ty)| s == "القصيم" && *ty == "LOC"), "{ents:?}");
    assert!(ents.iter().any(|(s, ty)| s == "عبدالعزيز الحميدان" && *ty == "PERS"), "{ents:?}");
    let (_, ents) = entities_of("وقال رئيس بلدية تشاتانوغا أندي بيرك لشبكة سي إن إن إن التحقيق مستمر.");
    assert!(ents.iter().any(|(s, ty)| s == "بلدية تشاتانوغا" && *ty == "ORG"), "{ents:?}");
    assert!(ents.iter().any(|(s, ty)| s == "أندي بيرك" && *ty == "PERS"), "{ents:?}");
    // A facility named after a person stays whole.
    let (_, ents) = entities_of("وقال مدير مطار حامد كرزاي الدولي إن الرحلات عادت.");
    assert!(ents.iter().all(|(_, ty)| *ty != "PERS"), "{ents:?}");
}

#[test]
fn a_generic_place_noun_stays_outside_the_place_it_heads() {
    // The tagger took `ولاية` into the name; the labeled corpora mostly leave it out.
    let (_, ents) = entities_of("وقالت مصادر إعلامية أمريكية إن سجناء من ولاية كاليفورنيا فروا.");
    assert!(ents.iter().any(|(s, ty)| s == "كاليفورنيا" && *ty == "LOC"), "{ents:?}");
    assert!(ents.iter().all(|(s, _)| !s.starts_with("ولاية")), "{ents:?}");
    // Where the word after it is no place on its own, the noun is part of the name.
    let (_, ents) = entities_of("وتقع مدينة نصر شرق القاهرة.");
    assert!(ents.iter().any(|(s, _)| s == "مدينة نصر"), "{ents:?}");
}

#[test]
fn a_mention_after_a_clitic_keeps_its_first_word_when_linked() {
    // The NER stage leaves the ل of `لشركة` out of the name; the linker read the name's words
    // from whole tokens only, took `وايمو` for its first, found `ايمو` attested and cut the
    // span's first letter instead: `ركة وايمو`.
    let (doc, ents) = entities_of("وتورطت فيه مركبة مملوكة لشركة وايمو. واصطدمت بسيارة وايمو.");
    assert!(ents.iter().any(|(s, ty)| s == "شركة وايمو" && *ty == "ORG"), "{ents:?}");
    assert!(doc.entity_index.iter().any(|r| r.name == "شركة وايمو"), "{:?}", doc.entity_index);
}

#[test]
fn a_company_written_with_sharika_keeps_it_in_its_name() {
    // The news convention keeps the head of a company's name, as it keeps `وزارة`.
    let (_, ents) = entities_of("وتعتزم شركة سامسونغ طرح هاتف جديد في الأسواق.");
    assert!(ents.iter().any(|(s, ty)| s == "شركة سامسونغ" && *ty == "ORG"), "{ents:?}");
    // A municipality too.
    let (_, ents) = entities_of("بحضور رئيس بلدية شقراء المهندس عبدالله الحمود.");
    assert!(ents.iter().any(|(s, ty)| s == "بلدية شقراء" && *ty == "ORG"), "{ents:?}");
    // Without a name after it the noun names no company.
    let (_, ents) = entities_of("وتعمل شركة تابعة لها في دبي.");
    assert!(ents.iter().all(|(s, _)| !s.contains("شركة")), "{ents:?}");
}

#[test]
fn a_name_never_holds_one_quotation_mark_of_a_pair() {
    // Without the pass the tagger gave `ملعب "لوفتس رود` and `آيفون 6 إس"` here.
    let text = "وتقام المباراة على ملعب \"لوفتس رود\" في العاصمة البريطانية لندن. ومن المحتمل أن يحمل الهاتف الاسم \"آيفون 6 إس\" أو \"آيفون 7\".";
    let (_, ents) = entities_of(text);
    assert!(!ents.is_empty());
    for (name, _) in &ents {
        let pairs = name.matches('"').count() % 2 == 0 && name.matches('«').count() == name.matches('»').count();
        assert!(pairs, "`{name}` holds one mark of a pair: {ents:?}");
    }
}

#[test]
fn a_quoted_name_keeps_its_first_letter_and_an_agencys_quoted_name_is_an_organization() {
    // `وكالة` reads as و + ك + ال to the clitic stripping; its quoted name is still the
    // agency's, and the marks delimit it (`وام`, not و + `ام`).
    let (_, ents) = entities_of("وذكرت وكالة \"وام\" أن الشركة ستطرح أسهمها، ونقلت وكالة \"بلومبرغ\" الخبر.");
    for name in ["وام", "بلومبرغ"] {
        assert!(ents.contains(&(name.to_string(), "ORG")), "{name}: {ents:?}");
    }
}
