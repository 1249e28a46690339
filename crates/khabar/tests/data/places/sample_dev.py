#!/usr/bin/env python3
"""Draw the articles of the place-linking dev set (dev.tsv) and print their refs.

Eligible: lines N (counted from 1) with N % 10 == 7 whose `text` has 300-4000 characters,
skipping the refs in ../sampling/used_refs.txt, SaudiNewsNet lines 30001-30600 and any
article whose url (SaudiNewsNet) or id (ANT) is listed in ../sampling/excluded_sources.txt
(`saudinewsnet:URL` / `ant:ID`). One random.Random(7014) draws 30 SaudiNewsNet refs
(random.sample over the eligible lines in file order), then 30 ANT refs the same way.
Refs are printed in draw order, SaudiNewsNet first.

Usage: sample_dev.py [--jsonl OUT.jsonl]   (also writes one {"text": ...} line per ref)
"""
import gzip
import os
import json
import random
import sys

DATA = "/work/shared/data"
USED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sampling", "used_refs.txt")
EXCLUDED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sampling", "excluded_sources.txt")


def read_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [l.strip() for l in f if l.strip()]
    except FileNotFoundError:
        return []


def eligible(corpus, path, key, used, excluded):
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if n % 10 != 7:
                continue
            if corpus == "snn" and 30001 <= n <= 30600:
                continue
            ref = f"{corpus}:{n}"
            if ref in used:
                continue
            a = json.loads(line)
            text = a.get("text") or ""
            if not 300 <= len(text) <= 4000:
                continue
            if a.get(key) in excluded:
                continue
            out.append((ref, text))
    return out


def main():
    used = set(read_lines(USED))
    exc = read_lines(EXCLUDED)
    exc_snn = {l[len("saudinewsnet:"):] for l in exc if l.startswith("saudinewsnet:")}
    exc_ant = {l[len("ant:"):] for l in exc if l.startswith("ant:")}
    rng = random.Random(7014)
    snn = eligible("snn", f"{DATA}/saudinewsnet/articles.jsonl.gz", "url", used, exc_snn)
    ant = eligible("ant", f"{DATA}/ant/articles.jsonl.gz", "id", used, exc_ant)
    drawn = rng.sample(snn, 30) + rng.sample(ant, 30)
    jsonl = None
    if len(sys.argv) == 3 and sys.argv[1] == "--jsonl":
        jsonl = open(sys.argv[2], "w", encoding="utf-8")
    for ref, text in drawn:
        print(ref)
        if jsonl:
            jsonl.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    if jsonl:
        jsonl.close()


if __name__ == "__main__":
    main()
