"""The Python bindings: offsets are Python string indices, batch equals one by one,
bad input raises clear Python exceptions."""

import datetime
import json
import subprocess
import threading
import time

import pytest

import khabar
from conftest import REPO

SPAN_LAYERS = ["tokens", "sentences", "articles", "repairs", "entities", "quotes", "times", "amounts"]


def all_spans(doc):
    for layer in SPAN_LAYERS:
        for item in doc[layer]:
            yield layer, item
            for nested in ("headline", "speaker_span"):
                if item.get(nested):
                    yield f"{layer}.{nested}", item[nested]


def test_every_span_slices_the_python_string_exactly(nlp, seed_text):
    doc = nlp.analyze(seed_text, date="2017-08-01")
    assert doc["text"] == seed_text
    seen = set()
    for layer, span in all_spans(doc):
        seen.add(layer)
        assert 0 <= span["start"] <= span["end"] <= len(seed_text), (layer, span)
        if "text" in span:
            assert seed_text[span["start"] : span["end"]] == span["text"], (layer, span)
    assert {"tokens", "sentences", "articles", "repairs", "entities", "quotes", "times"} <= seen


def test_offsets_count_code_points_not_utf16_units_or_bytes(nlp):
    # 😀 is one Python character but two UTF-16 units and four UTF-8 bytes.
    text = "😀😀 قال وزير الخارجية خميس الجهيناوي أمس في تونس إن الوضع مستقر."
    doc = nlp.analyze(text, date=datetime.date(2017, 8, 1))
    qal = next(t for t in doc["tokens"] if t["text"] == "قال")
    assert qal["start"] == text.index("قال") == 3
    for layer, span in all_spans(doc):
        if "text" in span:
            assert text[span["start"] : span["end"]] == span["text"], (layer, span)
    assert [t["value"] for t in doc["times"]] == ["2017-07-31"]


def test_the_seed_article_comes_out_as_the_contract_says(nlp, seed_text):
    doc = nlp.analyze(seed_text, date="2017-08-01")
    assert doc["schema"] == 1
    assert doc["date"] == "2017-08-01"
    assert list(doc)[:3] == ["schema", "text", "date"]
    repaired = [r["replacement"] for r in doc["repairs"]]
    assert "الولايات المتحدة" in repaired
    names = {r["name"] for r in doc["entity_index"]}
    assert any("السراج" in n for n in names)
    sarraj = next(r for r in doc["entity_index"] if "السراج" in r["name"])
    assert sarraj["mentions"] >= 2
    # Fine types: on the record and on each of its mentions.
    assert sarraj["subtype"] == "Politician"
    assert all(e["subtype"] == "Politician" for e in doc["entities"] if e["id"] == sarraj["id"])
    assert len(doc["articles"]) == 2
    assert {"value": "2017-07-30", "text": "أمس الأول"}.items() <= next(
        t for t in doc["times"] if t["text"] == "أمس الأول"
    ).items()


def test_amounts_come_back_with_their_values(nlp):
    text = "رصدت الحكومة 2.5 مليار دولار ونحو 7.5 في المئة لمشروع يستمر حتى نهاية 2025."
    doc = nlp.analyze(text, date="2018-02-01")
    got = [(a["text"], a["kind"], a["value"], a["unit"], a["approx"]) for a in doc["amounts"]]
    assert got == [("2.5 مليار دولار", "money", 2500000000, "USD", False), ("7.5 في المئة", "percent", 7.5, "%", True)]
    assert isinstance(doc["amounts"][0]["value"], int)
    for a in doc["amounts"]:
        assert text[a["start"] : a["end"]] == a["text"]
    assert [(t["value"], t["mod"]) for t in doc["times"]] == [("2025", "END")]


def test_matches_the_cli_byte_for_byte(nlp, seed_text, tmp_path):
    # scripts/test.sh runs `cargo test` first, which builds this binary from the same tree
    # (and the same embedded models) as the bindings; run alone, build it first.
    cli = REPO / "target" / "debug" / "khabar"
    if not cli.exists():
        pytest.skip("the khabar CLI is not built (cargo build -p khabar-cli)")
    out = subprocess.run(
        [str(cli), "analyze", "--date", "2017-08-01", str(REPO / "examples" / "seed-article.txt")],
        capture_output=True, check=True, text=True,
    ).stdout
    assert json.loads(out) == nlp.analyze(seed_text, date="2017-08-01")


def test_fields_choose_what_is_computed_and_returned(nlp, seed_text):
    full = nlp.analyze(seed_text, date="2017-08-01")
    for fields in ("entities,quotes", ["entities", "quotes"], ("quotes", "entities", "text")):
        doc = nlp.analyze(seed_text, date="2017-08-01", fields=fields)
        assert set(doc) == {"schema", "text", "entities", "quotes"}
        assert doc["entities"] == full["entities"] and doc["quotes"] == full["quotes"]
    batch = nlp.analyze_batch([seed_text, "قال الرئيس أمس إن الاجتماع كان مثمرا."], fields="times")
    assert [set(d) for d in batch] == [{"schema", "text", "times"}] * 2
    assert batch[0]["times"] == nlp.analyze(seed_text, fields="times")["times"]
    assert nlp.analyze(seed_text, fields="all") == nlp.analyze(seed_text)
    with pytest.raises(ValueError, match="unknown field `speakers`"):
        nlp.analyze(seed_text, fields="entities,speakers")
    with pytest.raises(TypeError, match="fields"):
        nlp.analyze(seed_text, fields=3)


def test_batch_equals_one_by_one_in_input_order(nlp, seed_text):
    texts = [
        seed_text,
        "",
        "قال الرئيس أمس إن الاجتماع كان مثمرا.",
        "أعلنت وزارة الخارجية الأمريكية يوم الأحد الماضي عن زيارة إلى باريس.",
        "no arabic at all, 123",
    ] * 3
    dates = ["2017-08-01", None, datetime.date(2020, 1, 15), "2019-03-04", None] * 3
    batch = nlp.analyze_batch(texts, dates)
    assert batch == [nlp.analyze(t, d) for t, d in zip(texts, dates)]
    assert nlp.analyze_batch(iter(texts[:2])) == [nlp.analyze(t) for t in texts[:2]]
    assert nlp.analyze_batch([]) == []


def test_batch_releases_the_gil_so_other_threads_run(nlp, seed_text):
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        time.sleep(0.05)
        before = len(ticks)
        started = time.perf_counter()
        nlp.analyze_batch([seed_text] * 60)
        elapsed = time.perf_counter() - started
        during = len(ticks) - before
    finally:
        stop.set()
        t.join()
    # A thread that holds the GIL for the whole batch lets the ticker in at most once or twice.
    assert elapsed > 0.05
    assert during >= 10, f"ticker ran {during} times during a {elapsed:.2f}s batch"


def test_text_layers_only(seed_text):
    text_only = khabar.Pipeline(layers="text")
    assert text_only.stages == ["text"]
    doc = text_only.analyze(seed_text)
    assert doc["tokens"] and doc["entities"] == [] and doc["quotes"] == []
    assert "ner" in khabar.Pipeline().stages
    assert repr(text_only) == 'khabar.Pipeline(profile="search", layers="text")'


def test_light_profile_keeps_hamza_forms_in_norm():
    light = khabar.Pipeline(profile="light", layers="text").analyze("أحمد")
    search = khabar.Pipeline(profile="search", layers="text").analyze("أحمد")
    assert light["tokens"][0]["norm"] == "أحمد"
    assert search["tokens"][0]["norm"] == "احمد"


def test_normalize_joins_spelling_variants():
    assert khabar.normalize("فائز") == khabar.normalize("فايز")
    assert khabar.normalize("مدرسة") == "مدرسه"
    assert khabar.normalize("ـالسـراج") == "السراج"
    assert khabar.normalize("أحمد", profile="light") == "أحمد"
    assert khabar.normalize("") == ""


def test_tokenize_gives_python_indices_and_kinds():
    text = "😀 ل»فرانس 24» نمو 6.3% في 2017."
    toks = khabar.tokenize(text)
    assert [t["text"] for t in toks] == ["😀", "ل", "»", "فرانس", "24", "»", "نمو", "6.3%", "في", "2017", "."]
    for t in toks:
        assert text[t["start"] : t["end"]] == t["text"]
    assert {t["kind"] for t in toks} == {"symbol", "word", "punct", "number"}
    assert khabar.tokenize("") == []


# ---- errors -----------------------------------------------------------------------------


def test_invalid_dates_raise_value_error_naming_the_value(nlp):
    with pytest.raises(ValueError, match="2017-13-45"):
        nlp.analyze("أمس", date="2017-13-45")
    with pytest.raises(ValueError, match="yesterday"):
        nlp.analyze("أمس", date="yesterday")
    with pytest.raises(TypeError, match="date must be"):
        nlp.analyze("أمس", date=20170801)
    with pytest.raises(ValueError, match=r"dates\[1\].*2017-02-30"):
        nlp.analyze_batch(["a", "b"], ["2017-01-01", "2017-02-30"])


def test_wrong_types_raise_type_error(nlp):
    with pytest.raises(TypeError):
        nlp.analyze(b"\xd9\x82")
    with pytest.raises(TypeError, match="not one string"):
        nlp.analyze_batch("قال")
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        nlp.analyze_batch(["قال", 5])
    with pytest.raises(ValueError, match="dates has 1 items but texts has 2"):
        nlp.analyze_batch(["a", "b"], ["2017-01-01"])


def test_text_that_is_not_valid_unicode_is_refused(nlp):
    with pytest.raises(UnicodeEncodeError):
        nlp.analyze("قال \udc80")
    with pytest.raises(ValueError, match=r"texts\[0\]"):
        nlp.analyze_batch(["\ud800"])


def test_huge_text_is_refused_with_the_limit(nlp):
    huge = "ا" * (9 << 20)  # 18 MiB of UTF-8
    with pytest.raises(ValueError, match="largest document"):
        nlp.analyze(huge)
    with pytest.raises(ValueError, match=r"texts\[1\].*largest document"):
        nlp.analyze_batch(["قال", huge])


def test_binary_junk_is_analyzed_without_crashing(nlp):
    junk = bytes(range(256)).decode("latin-1") + "\x00\ufeff\u200f" + "ـ" * 50
    doc = nlp.analyze(junk * 20)
    for layer, span in all_spans(doc):
        if "text" in span:
            assert doc["text"][span["start"] : span["end"]] == span["text"]


def test_ner_convention_chooses_whether_institutions_are_organizations():
    text = "وأعلنت وزارة الخارجية المصرية أن الوزير سيزور عمان."

    def orgs(nlp):
        doc = nlp.analyze(text)
        return [text[e["start"]:e["end"]] for e in doc["entities"] if e["type"] == "ORG"]

    assert "وزارة الخارجية المصرية" in orgs(khabar.Pipeline())
    assert "وزارة الخارجية المصرية" in orgs(khabar.Pipeline(ner_convention="news"))
    assert not any("وزارة" in o for o in orgs(khabar.Pipeline(ner_convention="anercorp")))


def test_bad_options_raise_value_error():
    with pytest.raises(ValueError, match="unknown NER convention `onto`"):
        khabar.Pipeline(ner_convention="onto")
    with pytest.raises(ValueError, match="unknown normalization profile `loud`"):
        khabar.Pipeline(profile="loud")
    with pytest.raises(ValueError, match="unknown layers `some`"):
        khabar.Pipeline(layers="some")
    with pytest.raises(ValueError, match="unknown normalization profile"):
        khabar.normalize("x", profile="heavy")


def test_model_files_that_are_missing_or_broken(tmp_path):
    with pytest.raises(OSError, match="no-such.khm"):
        khabar.Pipeline(ner_model=tmp_path / "no-such.khm")
    junk = tmp_path / "junk.khm"
    junk.write_bytes(b"this is not a model at all")
    with pytest.raises(khabar.ModelError, match="junk.khm"):
        khabar.Pipeline(ner_model=junk)
    truncated = tmp_path / "truncated.khm"
    truncated.write_bytes((REPO / "models" / "ner.khm").read_bytes()[:5000])
    with pytest.raises(khabar.ModelError, match="truncated.khm"):
        khabar.Pipeline(ner_model=str(truncated))
    # A lexicon where the NER model belongs: the kind in the header says so.
    with pytest.raises(khabar.ModelError, match="kind"):
        khabar.Pipeline(ner_model=REPO / "models" / "lexicon.khm")
    assert issubclass(khabar.ModelError, ValueError)


def test_models_from_the_repo_give_the_builtin_result(nlp, seed_text):
    from_files = khabar.Pipeline(
        ner_model=REPO / "models" / "ner.khm",
        segmenter_model=REPO / "models" / "segmenter.khm",
        lexicon=REPO / "models" / "lexicon.khm",
    )
    assert from_files.analyze(seed_text) == nlp.analyze(seed_text)


def test_pipeline_is_shared_safely_between_threads(nlp, seed_text):
    from concurrent.futures import ThreadPoolExecutor

    expected = nlp.analyze(seed_text, "2017-08-01")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: nlp.analyze(seed_text, "2017-08-01"), range(8)))
    assert all(r == expected for r in results)


def test_ctrl_c_stops_a_long_batch_promptly(nlp, seed_text):
    import signal

    # An OS signal, as Ctrl-C is (SIGALRM handled as SIGINT is): a Python timer thread would
    # need the GIL to fire, and on a busy machine it could wait for it until the batch ended.
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    started = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(KeyboardInterrupt):
            nlp.analyze_batch([seed_text] * 2000)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - started
    # The whole batch takes tens of seconds; the interrupt lands within a document or two.
    assert elapsed < 5, f"batch ran {elapsed:.1f}s after Ctrl-C"
    # The pipeline is still usable afterwards.
    assert nlp.analyze("قال الرئيس.")["tokens"]
