#!/usr/bin/env python3
"""Draws the articles of the quote dev set (seeded, reproducible; a third tuning split).

15 SaudiNewsNet and 15 ANT articles, drawn exactly as `sample_articles.py` draws (same CUE
regex, same 500-2,500 character filter) but with seeds 2026_12_05 / 2026_12_06, skipping:
every ref of ../places/*.tsv, every ref of tune.tsv and sealed.tsv (`# REF` lines and data
lines), every article `sample_articles.py` itself draws (its draw() with its seeds, so the 60
existing articles are excluded even if unlisted), and SaudiNewsNet lines 30001-30600. Prints
one JSON line per article: {"ref", "date", "text"}. The text is not committed (corpus terms).

    python3 sample_dev_articles.py > /tmp/quote_dev_articles.jsonl
"""
import json
import sys
from pathlib import Path

import sample_articles as sa

HERE = Path(__file__).resolve().parent


def quote_refs():
    refs = set()
    for name in ("tune.tsv", "sealed.tsv"):
        for line in (HERE / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                ref = line[1:].strip()
                if ref.startswith(("snn:", "ant:")):
                    refs.add(ref)
            else:
                refs.add(line.split("\t", 1)[0])
    return refs


def dev_articles():
    """The 30 drawn articles: [(ref, date, text)], SaudiNewsNet first."""
    places = sa.used_refs()
    # The articles sample_articles.py draws (its own skip set and seeds).
    first = sa.draw("snn", sa.DATA / "saudinewsnet" / "articles.jsonl.gz", 30, 2026_12_03, places)
    first += sa.draw("ant", sa.DATA / "ant" / "articles.jsonl.gz", 30, 2026_12_04, places)
    skip = set(places) | quote_refs() | {ref for ref, _, _ in first}
    skip |= {f"snn:{i}" for i in range(30001, 30601)}
    out = sa.draw("snn", sa.DATA / "saudinewsnet" / "articles.jsonl.gz", 15, 2026_12_05, skip)
    out += sa.draw("ant", sa.DATA / "ant" / "articles.jsonl.gz", 15, 2026_12_06, skip)
    assert len(out) == 30 and not any(ref in skip for ref, _, _ in out)
    return out


def main():
    for ref, date, text in dev_articles():
        sys.stdout.write(json.dumps({"ref": ref, "date": date or None, "text": text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
