//! End-to-end tests of the `khabar` command: what a user types, what they see.

use std::io::Write;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const SEED: &str = include_str!("../../../examples/seed-article.txt");

fn khabar() -> Command {
    Command::cargo_bin("khabar").unwrap()
}

fn seed_path() -> String {
    format!("{}/../../examples/seed-article.txt", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn analyze_prints_the_contract_for_the_seed() {
    let out = khabar().args(["analyze", &seed_path(), "--date", "2017-08-01"]).assert().success().get_output().stdout.clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["text"], SEED);
    assert_eq!(v["date"], "2017-08-01");
    assert!(v["tokens"].as_array().unwrap().len() > 300);
}

#[test]
fn fields_choose_what_is_computed_and_written() {
    let full: Value = serde_json::from_slice(
        &khabar().args(["analyze", &seed_path(), "--date", "2017-08-01"]).assert().success().get_output().stdout,
    )
    .unwrap();
    let out = khabar()
        .args(["analyze", &seed_path(), "--date", "2017-08-01", "--fields", "entities,entity_index,quotes,times"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["entities", "entity_index", "quotes", "schema", "text", "times"]);
    for f in ["entities", "entity_index", "quotes", "times"] {
        assert_eq!(v[f], full[f], "{f}");
    }
    // JSONL keeps one line per record, `id` right after `schema`.
    let rec = serde_json::json!({"url": "u1", "text": "قال فائز السراج أمس إن الحوار مستمر."}).to_string();
    let out = khabar()
        .args(["analyze", "--input", "jsonl", "--id-field", "url", "--fields", "quotes", "-"])
        .write_stdin(format!("{rec}\n"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let line = String::from_utf8(out).unwrap();
    assert!(line.starts_with("{\"schema\":1,\"id\":\"u1\",\"text\":"), "{line}");
    assert!(line.contains("\"quotes\":[") && !line.contains("\"tokens\""), "{line}");
}

#[test]
fn unknown_fields_and_fields_with_a_text_format_are_refused() {
    khabar()
        .args(["analyze", "--fields", "entities,speakers", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field `speakers`").and(predicate::str::contains("entity_index")));
    khabar()
        .args(["analyze", "--fields", "entities", "--format", "conll", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--fields"));
}

#[test]
fn stdin_and_every_format_work() {
    for (fmt, needle) in [("jsonl", "\"schema\":1"), ("conll", "# text = "), ("text", "[1] ")] {
        khabar()
            .args(["analyze", "--format", fmt, "-"])
            .write_stdin("قال الرئيس إن الاجتماع كان مثمرا.")
            .assert()
            .success()
            .stdout(predicate::str::contains(needle));
    }
}

#[test]
fn empty_input_is_a_valid_empty_document() {
    let out = khabar().args(["analyze", "-"]).write_stdin("").assert().success().get_output().stdout.clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["text"], "");
    assert_eq!(v["tokens"].as_array().unwrap().len(), 0);
}

#[test]
fn invalid_utf8_names_the_file_and_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.txt");
    std::fs::write(&p, b"\xd9\x82\xd8\xa7\xd9\x84 \xff\xfe rest").unwrap();
    khabar()
        .args(["analyze", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.txt: invalid UTF-8 at byte offset 7"));
    khabar().args(["analyze", "--lossy", p.to_str().unwrap()]).assert().success().stdout(predicate::str::contains("\u{FFFD}"));
}

#[test]
fn invalid_dates_and_flags_are_refused_clearly() {
    for bad in ["2017-13-45", "yesterday", "2017-02-30"] {
        khabar()
            .args(["analyze", "--date", bad, "-"])
            .write_stdin("نص")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("invalid date `{bad}`")));
    }
    khabar().args(["analyze", "--format", "xml"]).assert().code(2).stderr(predicate::str::contains("xml"));
    khabar().args(["analyze", "--ner-convention", "onto", "-"]).assert().code(2).stderr(predicate::str::contains("news, anercorp"));
    khabar().args(["analyze", "/no/such/file.txt"]).assert().code(2).stderr(predicate::str::contains("cannot open /no/such/file.txt"));
}

#[test]
fn a_document_over_the_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.txt");
    let mut f = std::fs::File::create(&p).unwrap();
    // Sparse file: 200 MB, no newline, costs no disk.
    f.set_len(200_000_000).unwrap();
    f.flush().unwrap();
    khabar()
        .args(["analyze", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("big.txt is 200 MB; the largest single document khabar analyzes is 16 MB"));
}

#[test]
fn jsonl_mode_writes_one_line_per_input_line_reports_bad_lines_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("in.jsonl");
    let mut lines = Vec::new();
    for i in 0..40 {
        lines.push(format!(r#"{{"id": {i}, "text": "قال الوزير {i} إن الاتفاق قائم.", "date": "2015-07-2{} 10:00:00"}}"#, i % 9 + 1));
    }
    lines.insert(7, "{not json".to_string());
    lines.insert(20, r#"{"id": "no-text"}"#.to_string());
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    let assert = khabar()
        .args(["analyze", "--input", "jsonl", "--id-field", "id", "--date-field", "date", p.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("in.jsonl:8: malformed JSON"))
        .stderr(predicate::str::contains("in.jsonl:21: record has no `text` field"))
        .stderr(predicate::str::contains("40 records analyzed, 2 skipped"));
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let mut recs: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(recs.len(), 42, "one output line per input line");
    // Output line N is input line N: the skipped lines leave error records in their place.
    assert_eq!(out.lines().nth(7).unwrap(), r#"{"line":8,"id":null,"error":"malformed JSON: key must be a string at line 1 column 2"}"#);
    assert_eq!(recs[20], serde_json::json!({"line": 21, "id": "no-text", "error": "record has no `text` field (set --text-field)"}));
    recs.retain(|r| r.get("error").is_none());
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["id"], i, "input order is kept");
        assert!(r["text"].as_str().unwrap().contains(&format!(" {i} ")));
        assert_eq!(r["date"], format!("2015-07-2{}", i % 9 + 1));
    }
    khabar()
        .args(["analyze", "--input", "jsonl", "--strict", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stopped by --strict"));
}

#[test]
fn jsonl_reads_gzip_and_skips_an_endless_line_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("in.jsonl.gz");
    let f = std::fs::File::create(&p).unwrap();
    let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
    writeln!(gz, r#"{{"text": "خبر أول."}}"#).unwrap();
    // A 3 MB line with no newline until its end, above a 1 MB --max-bytes.
    let long = format!(r#"{{"text": "{}"}}"#, "ا".repeat(1_500_000));
    writeln!(gz, "{long}").unwrap();
    writeln!(gz, r#"{{"text": "خبر ثالث."}}"#).unwrap();
    gz.finish().unwrap();
    let assert = khabar()
        .args(["analyze", "--input", "jsonl", "--max-bytes", "1000000", p.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains(":2: line is 3000012 bytes"));
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(out.lines().count(), 3);
    assert!(out.lines().nth(1).unwrap().starts_with(r#"{"line":2,"id":null,"error":"line is 3000012 bytes, longer than 2000000 bytes (twice --max-bytes 1000000"#));
}

#[test]
fn the_id_field_comes_right_after_schema_in_the_contracts_key_order() {
    let out = khabar()
        .args(["analyze", "--input", "jsonl", "--id-field", "url", "-"])
        .write_stdin(r#"{"url": "u1", "text": "قال الوزير."}"#)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let plain = khabar().args(["analyze", "--format", "jsonl", "-"]).write_stdin("قال الوزير.").assert().success().get_output().stdout.clone();
    let plain = String::from_utf8(plain).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), plain.replacen(r#"{"schema":1,"#, r#"{"schema":1,"id":"u1","#, 1));
}

#[test]
fn a_truncated_gzip_keeps_every_complete_line_then_reports_where_it_broke() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..3000 {
        writeln!(gz, r#"{{"id": {i}, "text": "قال الوزير {i} إن الاتفاق قائم ويشمل بنودا عدة منها {} بندا."}}"#, i * 7).unwrap();
    }
    let full = gz.finish().unwrap();
    let cut = &full[..full.len() * 2 / 3];
    let p = dir.path().join("cut.jsonl.gz");
    std::fs::write(&p, cut).unwrap();
    // What can be decompressed from the damaged file, line by line.
    let mut readable = Vec::new();
    let _ = std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(cut), &mut readable);
    let complete = readable.iter().filter(|&&b| b == b'\n').count();
    assert!(complete > 600, "{complete}");
    let assert = khabar().args(["analyze", "--input", "jsonl", "--id-field", "id"]).arg(&p).assert().code(2);
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cut.jsonl.gz: line {}: cannot read further ({complete} records analyzed and written, 0 skipped before it)", complete + 1)),
        "{stderr}"
    );
    let ids: Vec<u64> = String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, (0..complete as u64).collect::<Vec<_>>());
}

#[test]
fn a_file_where_no_line_can_be_analyzed_fails() {
    khabar()
        .args(["analyze", "--input", "jsonl", "-"])
        .write_stdin("garbage\n[1, 2]\n{\"title\": \"no text\"}\n")
        .assert()
        .code(2)
        .stdout(predicate::str::contains(r#"{"line":3,"id":null,"error":"record has no `text` field"#))
        .stderr(predicate::str::contains("none of its 3 lines could be analyzed"));
}

#[test]
fn model_errors_name_the_file_and_say_the_os_error_once() {
    let dir = tempfile::tempdir().unwrap();
    let model = format!("{}/../../models/ner.khm", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&model).unwrap();
    let cut = dir.path().join("truncated.khm");
    std::fs::write(&cut, &bytes[..bytes.len() / 9]).unwrap();
    khabar()
        .args(["analyze", "--ner-model"])
        .arg(&cut)
        .arg("-")
        .write_stdin("نص.")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("truncated.khm"));
    let missing = dir.path().join("missing.khm");
    let assert = khabar().args(["analyze", "--ner-model"]).arg(&missing).arg("-").write_stdin("نص.").assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("missing.khm: No such file or directory"), "{stderr}");
    assert_eq!(stderr.matches("No such file or directory").count(), 1, "{stderr}");
}

#[test]
fn help_reads_well() {
    khabar().arg("--help").assert().success().stdout(predicate::str::contains("Arabic news understanding"));
    khabar()
        .args(["analyze", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--text-field").and(predicate::str::contains("Examples:")));
}

#[test]
fn the_ner_convention_flag_chooses_whether_ministries_are_organizations() {
    let text = "وأعلنت وزارة الخارجية المصرية أن الوزير سيزور عمان.";
    let orgs = |convention: &str| -> Vec<String> {
        let out = khabar().args(["analyze", "--ner-convention", convention, "-"]).write_stdin(text).assert().success().get_output().stdout.clone();
        let v: Value = serde_json::from_slice(&out).unwrap();
        let chars: Vec<char> = text.chars().collect();
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "ORG")
            .map(|e| chars[e["start"].as_u64().unwrap() as usize..e["end"].as_u64().unwrap() as usize].iter().collect())
            .collect()
    };
    assert_eq!(orgs("news"), vec!["وزارة الخارجية المصرية".to_string()]);
    assert!(orgs("anercorp").iter().all(|o| !o.contains("وزارة")));
}

#[test]
fn the_text_rendering_marks_amounts_with_their_values() {
    let out = khabar()
        .args(["analyze", "--format", "text", "--date", "2018-02-01", "-"])
        .write_stdin("رصدت الحكومة نحو 2.5 مليار دولار، وارتفع التضخم 7.5 في المئة حتى نهاية 2025.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("<2.5 مليار دولار>"), "{out}");
    assert!(out.contains("amount: 2.5 مليار دولار → money 2500000000 USD (approx.)"), "{out}");
    assert!(out.contains("amount: 7.5 في المئة → percent 7.5 %"), "{out}");
    assert!(out.contains("time: نهاية 2025 → 2025 (END)"), "{out}");
}

#[test]
fn retraining_subtypes_of_a_damaged_model_names_it_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let model = format!("{}/../../models/ner.khm", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&model).unwrap();
    let cut = dir.path().join("cut.khm");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let out = dir.path().join("out.khm");
    khabar()
        .args(["train", "subtypes", "--model"])
        .arg(&cut)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cut.khm").and(predicate::str::contains("truncated")));
    assert!(!out.exists(), "no model written from a damaged one");
}

#[test]
fn train_orgs_learns_a_name_news_writes_after_body_nouns_and_the_tagger_then_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("news.jsonl");
    let mut lines = String::new();
    for n in 0..30 {
        // Each article's opening differs (copies are counted once).
        let after = ["إن مقاتليه هاجموا المدينة", "مسؤوليته عن الهجوم", "في بيان أمس", "على الموقع"][n % 4];
        let body = if n < 12 { format!("وأعلن تنظيم داعش {after}.") } else { "وفر عناصر داعش من المدينة بعد المعارك.".to_string() };
        lines += &format!("{{\"text\": \"الخبر {n}: {body}\"}}\n");
    }
    std::fs::write(&corpus, lines).unwrap();
    let labeled = dir.path().join("labeled.txt");
    std::fs::write(&labeled, "وقال O\nالمتحدث O\nإن O\nالمعارك O\nانتهت O\n. O\n\n").unwrap();
    // Every labeled corpus is the small all-O file: no word is a name there.
    let train_orgs = |corpus: &std::path::Path, out: &std::path::Path| {
        let mut c = khabar();
        c.args(["train", "orgs", "--out"]).arg(out).arg("--orgs-corpus").arg(corpus);
        for flag in ["--orgs-anercorp", "--orgs-wikifane", "--orgs-newsfane"] {
            c.arg(flag).arg(&labeled);
        }
        c
    };
    let out = dir.path().join("orgs.khm");
    let listed = train_orgs(&corpus, &out).arg("--list").assert().success().get_output().stdout.clone();
    let listed = String::from_utf8(listed).unwrap();
    assert_eq!(listed, "داعش\t12\t30\t\n", "one name: 12 uses after تنظيم of 30");
    let text = dir.path().join("t.txt");
    std::fs::write(&text, "وفر عناصر داعش من المدينة بعد معارك مع الجيش.").unwrap();
    khabar()
        .arg("analyze")
        .arg(&text)
        .arg("--ner-model")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"text\":\"داعش\"").or(predicate::str::contains("\"text\": \"داعش\"")));
    // A corpus that is not there is named, and nothing is written.
    let missing = dir.path().join("none.khm");
    train_orgs(&dir.path().join("absent.jsonl"), &missing).assert().failure().stderr(predicate::str::contains("absent.jsonl"));
    assert!(!missing.exists());
}

#[test]
fn train_ner_offers_the_extents_and_the_organization_names_their_own_corpora() {
    // Both steps of `train ner` read unlabeled news; each has its own flags (a debug build
    // also checks that no two flattened arguments share an id).
    let help = khabar().args(["train", "ner", "--help"]).assert().success().get_output().stdout.clone();
    let help = String::from_utf8(help).unwrap();
    for flag in ["--extents-corpus", "--extents-mb", "--orgs-corpus", "--orgs-mb", "--no-orgs"] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}
