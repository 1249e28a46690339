//! The amounts layer on worked examples of every form the issue names, through the full
//! pipeline (so the knowledge base names the currencies and the NER stage finds the places
//! that decide a bare `ريال`), and its invariants on arbitrary input.

use khabar::{AmountKind, Document, Pipeline};
use proptest::prelude::*;

fn pipeline() -> &'static Pipeline {
    use std::sync::OnceLock;
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::builtin().expect("built-in models load"))
}

fn analyze(text: &str) -> Document {
    pipeline().analyze(text, Some(khabar::parse_date("2018-02-01").unwrap())).unwrap()
}

/// (text, kind, value, unit, approx) of every amount.
fn amounts(text: &str) -> Vec<(String, &'static str, f64, Option<String>, bool)> {
    let d = analyze(text);
    d.amounts.iter().map(|a| (d.slice(a.span).to_string(), a.kind.as_str(), a.value, a.unit.clone(), a.approx)).collect()
}

fn one(text: &str) -> (String, &'static str, f64, Option<String>, bool) {
    let v = amounts(text);
    assert_eq!(v.len(), 1, "{text}: {v:?}");
    v[0].clone()
}

fn a(t: &str, kind: &'static str, value: f64, unit: &str) -> (String, &'static str, f64, Option<String>, bool) {
    (t.to_string(), kind, value, Some(unit.to_string()).filter(|u| !u.is_empty()), false)
}

fn approx(mut x: (String, &'static str, f64, Option<String>, bool)) -> (String, &'static str, f64, Option<String>, bool) {
    x.4 = true;
    x
}

#[test]
fn money_in_units_of_an_iso_currency() {
    assert_eq!(one("رصدت الحكومة 2.5 مليار دولار للمشروع"), a("2.5 مليار دولار", "money", 2.5e9, "USD"));
    assert_eq!(one("وخصص الاتحاد ملياري يورو للاجئين"), a("ملياري يورو", "money", 2e9, "EUR"));
    assert_eq!(one("بلغت الخسائر ١٢ مليون جنيه مصري"), a("١٢ مليون جنيه مصري", "money", 12e6, "EGP"));
    assert_eq!(one("بقيمة 300 ألف ريال سعودي"), a("300 ألف ريال سعودي", "money", 3e5, "SAR"));
    assert_eq!(one("وبلغت 46 مليون جنيه استرليني، بحسب"), a("46 مليون جنيه استرليني", "money", 46e6, "GBP"));
    assert_eq!(one("بسعر 338 دولارا أميركيا للقطعة"), a("338 دولارا أميركيا", "money", 338.0, "USD"));
    assert_eq!(one("إصدار بقيمة ملياري ريال سعوديا"), a("ملياري ريال سعوديا", "money", 2e9, "SAR"));
    assert_eq!(one("بلغ سعره 50$ دولار"), a("50$ دولار", "money", 50.0, "USD"));
}

#[test]
fn a_bare_shared_currency_takes_the_country_of_the_story() {
    // The places of the document (الرياض, الكويت) decide which ريال or دينار it is.
    assert_eq!(one("أعلنت شركة في الرياض أرباحا بلغت 200 مليون ريال"), a("200 مليون ريال", "money", 2e8, "SAR"));
    assert_eq!(one("وفي الكويت بلغت الميزانية خمسين ألف دينار"), a("خمسين ألف دينار", "money", 5e4, "KWD"));
    // No place says which: the word as written.
    assert_eq!(one("بلغت الأرباح 200 مليون ريال"), a("200 مليون ريال", "money", 2e8, "ريال"));
}

#[test]
fn percentages_in_every_spelling() {
    for (text, span, v) in [
        ("ارتفع التضخم 7.5 في المئة", "7.5 في المئة", 7.5),
        ("تراجع 0.9 بالمئة", "0.9 بالمئة", 0.9),
        ("نمت 3 في المائة سنويا", "3 في المائة", 3.0),
        ("بنسبة 35% من الزوار", "35%", 35.0),
        ("بنسبة ٣٫٢٪ فقط", "٣٫٢٪", 3.2),
        ("وصلت إلى 5ر2 % سنويا", "5ر2 %", 2.5),
    ] {
        assert_eq!(one(text), a(span, "percent", v, "%"), "{text}");
    }
}

#[test]
fn counts_take_the_counted_noun_as_written() {
    assert_eq!(one("قتل 5 آلاف مقاتل"), a("5 آلاف مقاتل", "count", 5000.0, "مقاتل"));
    assert_eq!(one("أصيب ثلاثة أطفال"), a("ثلاثة أطفال", "count", 3.0, "أطفال"));
    assert_eq!(one("حكم البلاد عشرين عاما"), a("عشرين عاما", "count", 20.0, "عاما"));
    assert_eq!(one("وتستمر الرحلة يومين"), a("يومين", "count", 2.0, "يومين"));
    assert_eq!(one("تزن 11 طنًا من المواد"), a("11 طنًا", "count", 11.0, "طنًا"));
    assert_eq!(one("عدد مراكز الاقتراع 18 ألفًا و678 قاضيًا"), a("18 ألفًا و678 قاضيًا", "count", 18678.0, "قاضيًا"));
}

#[test]
fn number_words_and_scales() {
    assert_eq!(one("تضم ثلاثمائة وخمسين ألف لاجئ"), a("ثلاثمائة وخمسين ألف لاجئ", "count", 350_000.0, "لاجئ"));
    assert_eq!(one("شارك خمسة وعشرون لاعبا"), a("خمسة وعشرون لاعبا", "count", 25.0, "لاعبا"));
    assert_eq!(one("وصل مئتان مقاتل"), a("مئتان مقاتل", "count", 200.0, "مقاتل"));
    assert_eq!(one("دفع ألفين جنيه"), a("ألفين جنيه", "money", 2000.0, "جنيه"));
    assert_eq!(one("تكلف نصف مليون دولار"), a("نصف مليون دولار", "money", 5e5, "USD"));
    assert_eq!(one("تبرع بمليون ونصف دولار"), a("مليون ونصف دولار", "money", 1.5e6, "USD"));
    // `قدرت بـ` (estimated at) makes it approximate.
    assert_eq!(one("قدرت بمليون ونصف دولار"), approx(a("مليون ونصف دولار", "money", 1.5e6, "USD")));
    assert_eq!(one("وقع أحد عشر لاعبا"), a("أحد عشر لاعبا", "count", 11.0, "لاعبا"));
    assert_eq!(one("تراكم 8 مليارات و300 مليون طن"), a("8 مليارات و300 مليون طن", "count", 8.3e9, "طن"));
}

#[test]
fn digits_of_both_scripts_and_their_separators() {
    assert_eq!(one("انضم ٣٬٥٠٠ جندي"), a("٣٬٥٠٠ جندي", "count", 3500.0, "جندي"));
    assert_eq!(one("بلغ 1,500,000 زائر"), a("1,500,000 زائر", "count", 1.5e6, "زائر"));
    // A comma before exactly three digits groups thousands; otherwise it is a decimal comma.
    assert_eq!(one("بلغ 1,5 مليون زائر"), a("1,5 مليون زائر", "count", 1.5e6, "زائر"));
    assert_eq!(one("سعره 4,99 دولار"), a("4,99 دولار", "money", 4.99, "USD"));
    assert_eq!(one("بلغت ٥٧ مليار ريال سعودي"), a("٥٧ مليار ريال سعودي", "money", 57e9, "SAR"));
    // 4.1 × 10⁹ exactly, not 4099999999.9999995.
    assert_eq!(one("تجاوزت 4.1 مليار دولار").2, 4_100_000_000.0);
}

#[test]
fn ranges_give_two_amounts_sharing_the_unit() {
    assert_eq!(amounts("نمو بين 3 و5 في المئة"), vec![a("3", "percent", 3.0, "%"), a("5 في المئة", "percent", 5.0, "%")]);
    assert_eq!(
        amounts("تتراوح بين 500 مليون دولار إلى مليار دولار"),
        vec![a("500 مليون دولار", "money", 5e8, "USD"), a("مليار دولار", "money", 1e9, "USD")]
    );
    assert_eq!(amounts("تكلف من 3 إلى 5 ملايين دولار"), vec![a("3", "money", 3e6, "USD"), a("5 ملايين دولار", "money", 5e6, "USD")]);
}

#[test]
fn approximation_cues_stay_outside_the_span() {
    assert_eq!(one("شارك نحو 300 شخص"), approx(a("300 شخص", "count", 300.0, "شخص")));
    assert_eq!(one("يعيش فيها حوالي 200 ألف مدني"), approx(a("200 ألف مدني", "count", 2e5, "مدني")));
    assert_eq!(one("قتل أكثر من 25 حوثيا"), approx(a("25 حوثيا", "count", 25.0, "حوثيا")));
    assert_eq!(one("بتكلفة أقل من 40 دولارا"), approx(a("40 دولارا", "money", 40.0, "USD")));
    assert_eq!(one("غمرت المياه ما يقارب 2500 هكتار"), approx(a("2500 هكتار", "count", 2500.0, "هكتار")));
    assert_eq!(one("يبلغ زهاء 70 بالمئة"), approx(a("70 بالمئة", "percent", 70.0, "%")));
    assert_eq!(one("وصلت قرابة 60 فلسطينيا"), approx(a("60 فلسطينيا", "count", 60.0, "فلسطينيا")));
    // A bound: below, and "and some" after the figure; a cue is read past a bracket.
    assert_eq!(one("سجلت دون 1100 دولار للأوقية"), approx(a("1100 دولار", "money", 1100.0, "USD")));
    assert_eq!(one("لم يفز منذ خمس سنوات ونيف"), approx(a("خمس سنوات", "count", 5.0, "سنوات")));
    assert_eq!(one("يضم أكثر من (120) كشافا").4, true);
    // `من دون` is "without", not a bound.
    assert_eq!(one("لعب من دون 3 لاعبين"), a("3 لاعبين", "count", 3.0, "لاعبين"));
}

#[test]
fn bounds_written_after_the_amount_or_with_a_feminine_verb_are_approximate() {
    assert_eq!(one("وأجلت 13 بلدية في لبنان على الأقل اللاجئين."), approx(a("13 بلدية", "count", 13.0, "بلدية")));
    assert_eq!(one("وطردت 3664 لاجئا سوريا على أقل تقدير."), approx(a("3664 لاجئا", "count", 3664.0, "لاجئا")));
    assert_eq!(one("ومنعت الأهالي من الدخول لمدة تزيد على خمس ساعات."), approx(a("خمس ساعات", "count", 5.0, "ساعات")));
}

#[test]
fn a_pronoun_or_the_word_number_after_a_figure_is_no_counted_noun() {
    assert_eq!(one("وأدت الأزمة إلى اعتقال 7 منهم بطلب من القضاء."), a("7", "number", 7.0, ""));
    assert_eq!(one("وبذلك يرتفع إلى 162 عدد الفلسطينيين الذين قتلوا."), a("162", "number", 162.0, ""));
    assert_eq!(one("وألقي القبض على اثنين منهم أمس."), a("اثنين", "number", 2.0, ""));
    // `كمية` ("quantity") is no ك + `مية` (a hundred).
    assert!(amounts("تمكن رجال الجمارك من ضبط كمية من الثمار.").is_empty());
}

#[test]
fn two_figures_joined_by_wa_share_the_second_ones_unit() {
    assert_eq!(amounts("ينتميان إلى الجيل نفسه (40 و46 عاما) ويستخدمان الشبكات."), vec![a("40", "count", 40.0, "عاما"), a("46 عاما", "count", 46.0, "عاما")]);
    // In a list of three each figure takes the last one's unit.
    assert_eq!(
        amounts("وتراوحت آجال السندات بين 5 و7 و10 سنوات."),
        vec![a("5", "count", 5.0, "سنوات"), a("7", "count", 7.0, "سنوات"), a("10 سنوات", "count", 10.0, "سنوات")]
    );
    // A metric prefix written apart from its unit is one unit.
    assert_eq!(one("على مسافة 50 كيلو مترا إلى الشمال."), a("50 كيلو مترا", "count", 50.0, "كيلو مترا"));
    // After a hundred the counted noun is singular, and a span of time is still a count.
    assert_eq!(one("ووصفت الخطوة بالعدوان الأكبر منذ 200 عام."), a("200 عام", "count", 200.0, "عام"));
}

#[test]
fn a_number_after_a_place_is_not_part_of_its_name() {
    assert_eq!(one("اعتقلت الشرطة في جميع انحاء تركيا 590 شخصا"), a("590 شخصا", "count", 590.0, "شخصا"));
    // A bare number after a place's name is part of a name (a conference, a festival).
    assert_eq!(amounts("والقائم على مبادئ جنيف 1 بتشكيل هيئة حكم"), vec![]);
    // After an organization's name the number is part of it.
    assert_eq!(amounts("وقالت قناة فرانس 24 إن الوفد وصل"), vec![]);
}

#[test]
fn glued_words_still_give_their_amounts() {
    assert_eq!(one("أنفقت أكثرمن 200 مليون ريال سعودي"), approx(a("200 مليون ريال سعودي", "money", 2e8, "SAR")));
    assert_eq!(one("وصلت و200مليون دولار"), a("200مليون دولار", "money", 2e8, "USD"));
}

#[test]
fn dates_years_clock_times_ordinals_and_names_are_not_amounts() {
    for text in [
        "وصل في 15 مارس 2018 إلى تونس",
        "منذ عام 2011 والبلاد في أزمة",
        "يبدأ الاجتماع الساعة 10:30 صباحا",
        "انطلقت الدورة 35 للمهرجان",
        "وفقا للمادة 5 من الدستور",
        "بتاريخ 15/3/2018",
        "في 24 شوال 1436 هـ",
        "للتواصل أرسل إلى 0555123456",
        "قرار رقم 37 لعام 2013",
    ] {
        assert_eq!(amounts(text), vec![], "{text}");
    }
}

#[test]
fn a_score_is_two_numbers() {
    assert_eq!(amounts("فاز الفريق 2-1 على ضيفه"), vec![a("2", "number", 2.0, ""), a("1", "number", 1.0, "")]);
    assert_eq!(amounts("خسر 3-صفر أمام كرواتيا"), vec![a("3", "number", 3.0, ""), a("صفر", "number", 0.0, "")]);
}

#[test]
fn trillion_chains_beyond_exact_doubles_do_not_panic() {
    let text = format!("بلغ الدين {} دولار", ["تريليون"; 40].join(" "));
    let d = analyze(&text);
    for a in &d.amounts {
        assert!(a.value.is_finite(), "{a:?}");
    }
    assert_eq!(one("بلغ 28 تريليون دولار").2, 28e12);
    let big = one("وصل إلى 9007199254740993 ألف شخص");
    assert_eq!(big.1, "count");
    assert!(big.2 > 9e18);
    // The contract writes such a value as a decimal and still parses.
    let json = khabar::output::v1::to_json(&analyze("وصل إلى 9007199254740993 ألف شخص"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["amounts"][0]["value"].as_f64().unwrap() > 9e18);
}

#[test]
fn the_contract_writes_integers_as_integers() {
    let json = khabar::output::v1::to_json(&analyze("رصدت 2.5 مليار دولار و7.5 في المئة"));
    assert!(json.contains(r#""value":2500000000,"unit":"USD","approx":false"#), "{json}");
    assert!(json.contains(r#""value":7.5,"unit":"%""#), "{json}");
}

fn numbery() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "نحو ", "أكثر من ", "أكثرمن", "بين ", " و", "و", "إلى ", "-", " ", "،", ".", "%", "٪", "$", "(", ")", "1", "25", "2.5", "1,5",
        "1,500", "٣٬٥٠٠", "١٢٫٥", "9007199254740993", "5ر2", "مليون ", "ملايين ", "مليار ", "ملياري ", "تريليون ", "ألف ", "آلاف ",
        "ألفين ", "ثلاثة ", "خمسة وعشرون ", "مئتان ", "ثلاثمائة ", "نصف ", "ونصف ", "دولار ", "دولارا ", "ريال ", "سعودي ", "يورو ",
        "جنيه ", "مصري ", "في المئة ", "بالمئة ", "شخص ", "أطفال ", "يومين ", "عام ", "2018 ", "الساعة ", "10:30", "الدورة ",
        "فرانس ", "صفر", "الرياض ", "ـ", "\u{064B}", "\u{200F}", "😀",
    ]);
    prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Amounts are non-empty spans in the text, sorted, with finite values, a known kind
    /// and a non-empty unit when they have one; the cue words are never inside a span.
    #[test]
    fn amounts_keep_the_contract_on_arbitrary_text(text in numbery()) {
        let d = analyze(&text);
        let mut last = (0, 0);
        for a in &d.amounts {
            prop_assert!(a.span.start < a.span.end && a.span.end as usize <= text.len());
            prop_assert!(text.is_char_boundary(a.span.start as usize) && text.is_char_boundary(a.span.end as usize));
            prop_assert!((a.span.start, a.span.end) >= last);
            last = (a.span.start, a.span.end);
            prop_assert!(a.value.is_finite());
            prop_assert!(AmountKind::parse(a.kind.as_str()) == Some(a.kind));
            prop_assert!(a.unit.as_deref() != Some(""));
            let s = d.slice(a.span);
            prop_assert!(!s.starts_with("نحو") && !s.starts_with("أكثر"), "{s}");
        }
    }
}
