#!/usr/bin/env python3
"""Annotate a JSONL news corpus with khabar on Apache Spark and write Parquet.

Each line of the input is one JSON article (SaudiNewsNet's shape: ``text``, ``date``,
``title``, ``url``, ...; gzip files are read as they are). Every partition builds one
``khabar.Pipeline`` and analyzes its articles; the result is one Parquet row per
article with the contract's annotations as nested columns (entities, entity_index,
quotes, times, amounts, articles, repairs; tokens with ``--tokens``; only the fields named
by ``--fields``, which also skips the stages no chosen field needs). A second job then answers
"which entities were in the news each day" from the Parquet output.

Local, two cores::

    python examples/spark/annotate.py --master 'local[2]' \\
        ../shared/data/saudinewsnet/articles.jsonl.gz /tmp/khabar-parquet

A cluster (the khabar wheel installed on every executor, see README)::

    spark-submit --master yarn --deploy-mode cluster --num-executors 50 \\
        --executor-cores 4 --conf spark.executorEnv.PYSPARK_PYTHON=python3 \\
        examples/spark/annotate.py --partitions 2000 \\
        'hdfs:///corpora/gigaword-ar/*.jsonl.gz' hdfs:///khabar/gigaword-ar

Spark supplies the parallelism: each task analyzes its partition on one core with
``Pipeline.analyze`` (the GIL is released inside, so nothing else waits on it), and the
rows travel back to the JVM as Arrow record batches (``mapInArrow``), not pickled dicts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, Iterable, Iterator

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

# ---- the Parquet schema: the contract's fields, as nested columns --------------------

SPAN_TEXT = T.StructType(
    [
        T.StructField("start", T.IntegerType(), False),
        T.StructField("end", T.IntegerType(), False),
        T.StructField("text", T.StringType(), False),
    ]
)


def _struct(*fields: tuple[str, T.DataType, bool]) -> T.StructType:
    return T.StructType([T.StructField(n, t, nullable) for n, t, nullable in fields])


def _spans(*extra: tuple[str, T.DataType, bool]) -> list[tuple[str, T.DataType, bool]]:
    return [("start", T.IntegerType(), False), ("end", T.IntegerType(), False), *extra]


ENTITY = _struct(
    *_spans(
        ("text", T.StringType(), False),
        ("type", T.StringType(), False),
        ("id", T.StringType(), False),
        ("subtype", T.StringType(), True),
    )
)
ENTITY_RECORD = _struct(
    ("id", T.StringType(), False),
    ("type", T.StringType(), False),
    ("name", T.StringType(), False),
    # khabar.normalize(name): joins فائز/فايز across articles; not a contract field.
    ("key", T.StringType(), False),
    ("variants", T.ArrayType(T.StringType(), False), False),
    ("mentions", T.IntegerType(), False),
    ("subtype", T.StringType(), True),
    # A resolved place's GeoNames fields (absent from the contract record otherwise: null here).
    ("geonameid", T.LongType(), True),
    ("country", T.StringType(), True),
    ("lat", T.DoubleType(), True),
    ("lon", T.DoubleType(), True),
    ("place_kind", T.StringType(), True),
)
QUOTE = _struct(
    *_spans(
        ("text", T.StringType(), False),
        ("cue", T.StringType(), True),
        ("speaker", T.StringType(), True),
        ("speaker_span", SPAN_TEXT, True),
    )
)
TIME = _struct(*_spans(("text", T.StringType(), False), ("value", T.StringType(), True), ("mod", T.StringType(), True)))
# value is a double in Spark (the contract writes whole values as integers; they are cast).
AMOUNT = _struct(
    *_spans(
        ("text", T.StringType(), False),
        ("kind", T.StringType(), False),
        ("value", T.DoubleType(), False),
        ("unit", T.StringType(), True),
        ("approx", T.BooleanType(), False),
    )
)
ARTICLE = _struct(*_spans(("headline", SPAN_TEXT, True)))
REPAIR = _struct(*_spans(("text", T.StringType(), False), ("replacement", T.StringType(), False)))
TOKEN = _struct(
    *_spans(
        ("text", T.StringType(), False),
        ("norm", T.StringType(), False),
        ("segments", T.ArrayType(T.StringType(), False), False),
        ("stem", T.StringType(), True),
        ("kind", T.StringType(), False),
    )
)


#: The contract's list fields and their Parquet element types, in the column order.
LIST_COLUMNS = [
    ("tokens", TOKEN),
    ("articles", ARTICLE),
    ("repairs", REPAIR),
    ("entities", ENTITY),
    ("entity_index", ENTITY_RECORD),
    ("quotes", QUOTE),
    ("times", TIME),
    ("amounts", AMOUNT),
]
#: Every top-level field ``--fields`` can name (the contract's, less schema and text).
CONTRACT_FIELDS = ["date", "articles", "sentences", "tokens", "repairs", "entities", "entity_index", "quotes", "times", "amounts"]


def parse_fields(value: str | None) -> list[str]:
    """``--fields``: the chosen contract fields, in the contract's order (all by default)."""
    if value is None or value.strip() == "all":
        return list(CONTRACT_FIELDS)
    names = [n.strip() for n in value.split(",") if n.strip() and n.strip() not in ("text", "schema")]
    unknown = [n for n in names if n not in CONTRACT_FIELDS and n != "all"]
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r} (fields: {', '.join(CONTRACT_FIELDS)}, or all)")
    if "all" in names:
        return list(CONTRACT_FIELDS)
    return [f for f in CONTRACT_FIELDS if f in names]


def output_schema(with_tokens: bool, fields: list[str] | None = None) -> T.StructType:
    """One row per article: its id, date, title and text, counts of the tokens and
    sentences when those were computed, one nested column per chosen list field (tokens
    only with ``with_tokens``: they are most of the data), and the error."""
    fields = CONTRACT_FIELDS if fields is None else fields
    cols = [
        T.StructField("id", T.StringType(), True),
        T.StructField("date", T.DateType(), True),
        T.StructField("title", T.StringType(), True),
        T.StructField("text", T.StringType(), True),
    ]
    if "tokens" in fields:
        cols.append(T.StructField("n_tokens", T.IntegerType(), False))
    if "sentences" in fields:
        cols.append(T.StructField("n_sentences", T.IntegerType(), False))
    for name, element in LIST_COLUMNS:
        if name in fields and (name != "tokens" or with_tokens):
            cols.append(T.StructField(name, T.ArrayType(element, False), False))
    # Why a line produced no annotations (not JSON, no text field, ...); null when fine.
    cols.append(T.StructField("error", T.StringType(), True))
    return T.StructType(cols)


# ---- the work done on the executors ---------------------------------------------------


def _date_of(value: Any):
    """The record's date as a datetime.date (SaudiNewsNet: ``2015-07-21 02:51:32``)."""
    import datetime

    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def annotate_lines(lines: Iterable[str | None], nlp, opts: dict) -> Iterator[dict]:
    """One output row per input line, errors included (a row with ``error`` set)."""
    import khabar

    text_field, date_field, id_field = opts["text_field"], opts["date_field"], opts["id_field"]
    with_tokens = opts["tokens"]
    fields = opts.get("fields") or list(CONTRACT_FIELDS)
    # What the pipeline computes: the chosen fields (the stages nothing needs do not run).
    asked = ",".join(fields)

    def row(rid, date, title, text, doc=None, error=None):
        doc = doc or {}
        out = {"id": rid, "date": date, "title": title, "text": text}
        if "tokens" in fields:
            out["n_tokens"] = len(doc.get("tokens", ()))
        if "sentences" in fields:
            out["n_sentences"] = len(doc.get("sentences", ()))
        for name, _ in LIST_COLUMNS:
            if name not in fields or (name == "tokens" and not with_tokens):
                continue
            value = doc.get(name, [])
            if name == "entity_index":
                value = [{**r, "key": khabar.normalize(r["name"])} for r in value]
            elif name == "amounts":
                value = [{**a, "value": float(a["value"])} for a in value]
            out[name] = value
        out["error"] = error
        return out

    for raw in lines:
        if not raw or not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except ValueError as e:
            yield row(None, None, None, None, error=f"not JSON: {e}")
            continue
        if not isinstance(rec, dict):
            yield row(None, None, None, None, error="not a JSON object")
            continue
        rid = rec.get(id_field)
        rid = None if rid is None else str(rid)
        title = rec.get("title") if isinstance(rec.get("title"), str) else None
        text = rec.get(text_field)
        if not isinstance(text, str):
            yield row(rid, None, title, None, error=f"no string field `{text_field}`")
            continue
        date = _date_of(rec.get(date_field))
        try:
            doc = nlp.analyze(text, date, fields=asked)
        except ValueError as e:  # over the size limit, lone surrogates
            yield row(rid, date, title, text, error=str(e))
            continue
        yield row(rid, date, title, text, doc)


def annotate(spark: SparkSession, inputs: list[str], partitions: int | None, opts: dict) -> DataFrame:
    """The annotated corpus: one row per input line, schema ``output_schema``."""
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = output_schema(opts["tokens"], opts.get("fields"))
    arrow_schema = to_arrow_schema(schema)
    lines = spark.read.text(inputs)
    if partitions:
        # gzip files are not splittable: one file is one partition until repartitioned.
        lines = lines.repartition(partitions)

    def annotate_batches(batches):
        # Runs once per partition on an executor: one pipeline for all its batches.
        # Arrow carries the rows to the JVM without pickling each nested dict.
        import khabar
        import pyarrow as pa

        nlp = khabar.Pipeline()
        for batch in batches:
            rows = list(annotate_lines(batch.column(0).to_pylist(), nlp, opts))
            yield pa.RecordBatch.from_pylist(rows, schema=arrow_schema)

    return lines.mapInArrow(annotate_batches, schema)


# ---- the query over the result ------------------------------------------------------


def top_entities_per_day(annotated: DataFrame, k: int = 5) -> DataFrame:
    """The k most mentioned entities of each day, counting spelling variants as one."""
    mentions = (
        annotated.where(F.col("date").isNotNull())
        .select("date", F.explode("entity_index").alias("e"))
        .groupBy("date", F.col("e.type").alias("type"), F.col("e.key").alias("key"))
        .agg(
            F.sum("e.mentions").alias("mentions"),
            F.count(F.lit(1)).alias("articles"),
            # The most frequent canonical spelling names the group.
            F.mode("e.name").alias("name"),
        )
    )
    rank = Window.partitionBy("date").orderBy(F.desc("mentions"), F.desc("articles"), "key")
    return (
        mentions.withColumn("rank", F.row_number().over(rank))
        .where(F.col("rank") <= k)
        .select("date", "rank", "name", "type", "mentions", "articles")
        .orderBy("date", "rank")
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="+", help="JSONL files (gzip ok), directories or globs; any Hadoop path")
    ap.add_argument("output", help="output directory: OUTPUT/articles and OUTPUT/top_entities_per_day (Parquet)")
    ap.add_argument("--master", help="Spark master, e.g. local[2] (spark-submit sets it otherwise)")
    ap.add_argument("--partitions", type=int, help="repartition the input lines into this many tasks")
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--date-field", default="date")
    ap.add_argument("--id-field", default="url")
    ap.add_argument("--tokens", action="store_true", help="also write every token (large)")
    ap.add_argument(
        "--fields",
        help="contract fields to compute and write, comma-separated (default: all; e.g. "
        "entities,entity_index,quotes,times): stages no chosen field needs do not run",
    )
    ap.add_argument("--top", type=int, default=5, help="entities per day in the query (default 5)")
    args = ap.parse_args(argv)
    try:
        fields = parse_fields(args.fields)
    except ValueError as e:
        ap.error(f"--fields: {e}")

    builder = (
        SparkSession.builder.appName("khabar-annotate")
        # Rows per Arrow batch handed to annotate_batches: bounds executor memory.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "500")
    )
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    opts = {
        "text_field": args.text_field,
        "date_field": args.date_field,
        "id_field": args.id_field,
        "tokens": args.tokens,
        "fields": fields,
    }

    started = time.perf_counter()
    annotate(spark, args.input, args.partitions, opts).write.mode("overwrite").parquet(f"{args.output}/articles")
    elapsed = time.perf_counter() - started

    annotated = spark.read.parquet(f"{args.output}/articles")
    total = annotated.count()
    failed = annotated.where(F.col("error").isNotNull()).count()
    print(
        f"khabar: {total} articles annotated in {elapsed:.1f} s "
        f"({total / elapsed if elapsed else 0:.1f} articles/s), {failed} with errors",
        file=sys.stderr,
    )
    if "entity_index" in fields:
        top = top_entities_per_day(annotated, args.top)
        top.write.mode("overwrite").parquet(f"{args.output}/top_entities_per_day")
        top.show(20, truncate=False)
    else:
        print("khabar: entity_index not among --fields: no per-day entity query", file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
