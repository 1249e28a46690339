//! `khabar index`, `search` and `dedup` end to end on the committed sample.

use assert_cmd::Command;

fn sample_with_bad_lines(dir: &std::path::Path) -> std::path::PathBuf {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../khabar-index/tests/data/sample.jsonl"
    ))
    .unwrap();
    let p = dir.join("in.jsonl");
    std::fs::write(
        &p,
        format!("{src}{{broken\n[1, 2]\n{{\"title\": 5, \"text\": [\"x\"]}}\n"),
    )
    .unwrap();
    p
}

fn khabar() -> Command {
    Command::cargo_bin("khabar").unwrap()
}

#[test]
fn index_reports_bad_lines_and_resume_does_not_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample_with_bad_lines(dir.path());
    let idx = dir.path().join("idx");
    // A first run that stops after 5 lines, as if interrupted after a commit.
    khabar()
        .args(["index", "--text-only", "--quiet", "--limit", "5", "--input"])
        .arg(&input)
        .arg("--index")
        .arg(&idx)
        .assert()
        .success();
    // Without --resume an existing index is refused.
    khabar()
        .args(["index", "--text-only", "--input"])
        .arg(&input)
        .arg("--index")
        .arg(&idx)
        .assert()
        .failure();
    let out = khabar()
        .args(["index", "--text-only", "--resume", "--input"])
        .arg(&input)
        .arg("--index")
        .arg(&idx)
        .assert()
        .success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("line 13:") && err.contains("line 14:") && err.contains("line 15:"),
        "{err}"
    );
    assert!(err.contains("holds 11 articles"), "{err}");
    assert!(err.contains("1 without text indexed by title; 1 without text or title skipped; 3 malformed lines skipped"), "{err}");
    let out = khabar()
        .args(["search", "--format", "json", "--all", "--index"])
        .arg(&idx)
        .arg("حفتر")
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let mut ids: Vec<u64> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_u64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, [1, 2, 3], "no article indexed twice");
    let out = khabar()
        .args(["search", "--index"])
        .arg(&idx)
        .arg("فايز")
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("[فائز]"), "{text}");
}

#[test]
fn dedup_prints_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample_with_bad_lines(dir.path());
    let out = khabar()
        .args(["dedup", "--format", "json", "--verify", "--input"])
        .arg(&input)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let clusters = v["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1);
    let ids: Vec<u64> = clusters[0]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 3]);
    assert!(clusters[0]["articles"][1]["similarity"].as_f64().unwrap() >= 0.8);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("precision 1.000"), "{err}");
}

#[test]
fn index_of_a_truncated_gzip_commits_every_article_read_before_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..3000 {
        std::io::Write::write_all(
            &mut gz,
            format!("{{\"title\": \"خبر {i}\", \"text\": \"قال الوزير {i} إن الاتفاق رقم {} قائم.\"}}\n", i * 7).as_bytes(),
        )
        .unwrap();
    }
    let full = gz.finish().unwrap();
    let cut = &full[..full.len() / 2];
    let mut readable = Vec::new();
    let _ = std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(cut), &mut readable);
    let complete = readable.iter().filter(|&&b| b == b'\n').count();
    let input = dir.path().join("cut.jsonl.gz");
    std::fs::write(&input, cut).unwrap();
    let idx = dir.path().join("idx");
    let out = khabar().args(["index", "--text-only", "--quiet", "--input"]).arg(&input).arg("--index").arg(&idx).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains(&format!("line {}: cannot read further; the {complete} articles read before it are indexed and committed", complete + 1)),
        "{stderr}"
    );
    // They are searchable.
    let out = khabar().args(["search", "--index"]).arg(&idx).arg("الوزير").assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.starts_with(&format!("{complete} matching articles")), "{stdout}");
}
