#!/usr/bin/env python3
"""Draws the articles of the real-news quote set (seeded, reproducible).

30 SaudiNewsNet and 30 ANT articles of 500-2,500 characters whose text has a reporting verb
followed within a few words by a complementizer or a quote mark, excluding the articles of
the place-linking fixture. Prints one JSON line per article: {"ref": "snn:N" | "ant:N",
"date", "text"} (N is the 1-based line of the corpus file). The text is not committed (the
corpora's terms); the annotations refer to it by offsets.

    python3 sample_articles.py > /tmp/quote_articles.jsonl
"""
import gzip
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[4] / ".." / "shared" / "data"
CUE = re.compile(r"(?:^|\s)[وف]?(?:قال|قالت|أكد|أكدت|أوضح|أوضحت|أضاف|أضافت|أشار|أشارت|صرح|ذكرت|ذكر|أعلن|أعلنت)\s+(?:\S+\s+){0,6}?(?:إن|أن|بأن|:|«|\")")


def used_refs():
    refs = set()
    for f in (HERE.parent / "places").glob("*.tsv"):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                refs.add(line.split("\t", 1)[0])
    return refs


def draw(corpus, path, n, seed, skip):
    rng = random.Random(seed)
    pool = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f, start=1):
            ref = f"{corpus}:{i}"
            if ref in skip:
                continue
            d = json.loads(line)
            text = d.get("text") or ""
            if 500 <= len(text) <= 2500 and len(CUE.findall(text)) >= 2:
                date = d.get("date") or ""
                pool.append((ref, date[:10], text))
    rng.shuffle(pool)
    return pool[:n]


def main():
    skip = used_refs()
    out = draw("snn", DATA / "saudinewsnet" / "articles.jsonl.gz", 30, 2026_12_03, skip)
    out += draw("ant", DATA / "ant" / "articles.jsonl.gz", 30, 2026_12_04, skip)
    for ref, date, text in out:
        sys.stdout.write(json.dumps({"ref": ref, "date": date or None, "text": text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
