"""The Spark example, run for real in local mode (local[2]) on a SaudiNewsNet sample:
its Parquet output must hold one row per input line with the contract's annotations as
nested columns, equal to what the bindings give directly, and its per-day query must
agree with a recount done here in plain Python."""

import collections
import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, SHARED

CORPUS = SHARED / "data" / "saudinewsnet" / "articles.jsonl.gz"
EXAMPLE = REPO / "examples" / "spark" / "annotate.py"


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory):
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Spark needs a Java runtime: install one (.ci/run installs default-jre-headless)")
    if not CORPUS.exists():
        pytest.fail(f"{CORPUS} is missing: the Spark test reads a sample of SaudiNewsNet from ../shared")
    work = tmp_path_factory.mktemp("spark")
    sample = work / "sample.jsonl"
    lines = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 97 == 0:  # spread over sources and days
                lines.append(line.rstrip("\n"))
            if len(lines) == 160:
                break
    lines.insert(7, "{not json at all")
    lines.insert(20, json.dumps({"url": "no-text", "date": "2015-01-01"}))
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = work / "out"
    # Loopback only: a CI machine's hostname may not resolve to a usable address.
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    proc = subprocess.run(
        [sys.executable, str(EXAMPLE), "--master", "local[2]", "--partitions", "4", str(sample), str(out)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return lines, out, proc


def read_parquet(path):
    import pyarrow.parquet as pq

    return pq.read_table(path)


def test_one_row_per_input_line_with_errors_named(spark_run):
    lines, out, proc = spark_run
    table = read_parquet(out / "articles")
    assert table.num_rows == len(lines)
    errors = [e for e in table.column("error").to_pylist() if e]
    assert len(errors) == 2
    assert any(e.startswith("not JSON") for e in errors)
    assert any("no string field `text`" in e for e in errors)
    assert f"{len(lines)} articles annotated" in proc.stderr


def test_annotations_are_nested_columns(spark_run):
    import pyarrow as pa

    _, out, _ = spark_run
    schema = read_parquet(out / "articles").schema
    entity = schema.field("entities").type.value_type
    assert pa.types.is_struct(entity)
    assert {entity.field(i).name for i in range(entity.num_fields)} == {"start", "end", "text", "type", "id", "subtype"}
    quote = schema.field("quotes").type.value_type
    assert pa.types.is_struct(quote.field("speaker_span").type)
    assert pa.types.is_list(schema.field("entity_index").type.value_type.field("variants").type)
    assert pa.types.is_date32(schema.field("date").type)
    assert schema.field("times").type.value_type.field("value").type == pa.string()
    amount = schema.field("amounts").type.value_type
    assert {amount.field(i).name for i in range(amount.num_fields)} == {"start", "end", "text", "kind", "value", "unit", "approx"}
    assert amount.field("value").type == pa.float64()


def test_parquet_rows_equal_the_bindings_output(spark_run):
    import khabar

    _, out, _ = spark_run
    rows = [r for r in read_parquet(out / "articles").to_pylist() if r["error"] is None]
    assert len(rows) > 100
    nlp = khabar.Pipeline()
    for r in rows[:25]:
        doc = nlp.analyze(r["text"], r["date"])
        assert r["entities"] == doc["entities"]
        assert r["quotes"] == doc["quotes"]
        assert r["times"] == doc["times"]
        assert r["amounts"] == [{**a, "value": float(a["value"])} for a in doc["amounts"]]
        assert r["n_tokens"] == len(doc["tokens"])
        # Place fields a record lacks are null columns in the DataFrame.
        assert [{k: v for k, v in e.items() if k != "key" and v is not None} for e in r["entity_index"]] == [
                {k: v for k, v in e.items() if v is not None} for e in doc["entity_index"]
            ]
    for r in rows:
        for layer in ("entities", "quotes", "times", "repairs", "amounts"):
            for span in r[layer]:
                assert r["text"][span["start"] : span["end"]] == span["text"]
    assert sum(len(r["entities"]) for r in rows) > 500
    assert any(r["quotes"] for r in rows) and any(r["times"] for r in rows)
    assert any(a["kind"] == "money" for r in rows for a in r["amounts"])


def test_top_entities_per_day_agrees_with_a_recount(spark_run):
    _, out, _ = spark_run
    top = read_parquet(out / "top_entities_per_day").to_pylist()
    rows = read_parquet(out / "articles").to_pylist()
    counts = collections.Counter()
    for r in rows:
        if r["date"] is None:
            continue
        for e in r["entity_index"]:
            counts[(r["date"], e["type"], e["key"])] += e["mentions"]
    per_day = collections.defaultdict(list)
    for t in top:
        per_day[t["date"]].append(t)
    assert len(per_day) >= 3
    for day, entries in per_day.items():
        assert [e["rank"] for e in entries] == list(range(1, len(entries) + 1))
        assert len(entries) <= 5
        best = sorted((n for (d, _, _), n in counts.items() if d == day), reverse=True)
        assert [e["mentions"] for e in entries] == best[: len(entries)]


def test_fields_choose_the_columns_and_what_is_computed():
    # The example's own functions, without a Spark session: --fields picks the columns and
    # what the pipeline computes; the values equal those of the bindings.
    import importlib.util

    import khabar

    spec = importlib.util.spec_from_file_location("annotate_example", EXAMPLE)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    fields = example.parse_fields("entities,quotes")
    assert fields == ["entities", "quotes"]
    schema = example.output_schema(False, fields)
    assert schema.names == ["id", "date", "title", "text", "entities", "quotes", "error"]
    with pytest.raises(ValueError, match="speakers"):
        example.parse_fields("entities,speakers")
    nlp = khabar.Pipeline()
    text = "قال فائز السراج أمس إن الحوار مستمر."
    line = json.dumps({"url": "u1", "text": text, "date": "2015-07-21 02:51:32"})
    opts = {"text_field": "text", "date_field": "date", "id_field": "url", "tokens": False, "fields": fields}
    (row,) = example.annotate_lines([line], nlp, opts)
    assert sorted(row) == sorted(schema.names)
    full = nlp.analyze(text, "2015-07-21")
    assert row["entities"] == full["entities"] and row["quotes"] == full["quotes"] and row["quotes"]
    assert example.output_schema(False).names == example.output_schema(False, example.parse_fields(None)).names
