#!/usr/bin/env python3
"""Draw the articles of the blind entity evaluation set.

20 SaudiNewsNet 2015 and 20 ANT 2018 articles, chosen with
random.Random(20261204) among lines N (1-based) with N % 10 == 3 whose
`text` is 400-1800 code points long, skipping refs already used
(used_refs.txt), SaudiNewsNet lines 30001-30600 and articles whose url
(SaudiNewsNet) or id (ANT) is listed in excluded_sources.txt.
The SaudiNewsNet draw is made first, then ANT, from the same generator.
Prints the chosen refs, one a line.
"""
import gzip
import os
import json
import random
import sys

DATA = "/work/shared/data"
USED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sampling", "used_refs.txt")
EXCLUDED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sampling", "excluded_sources.txt")
SEED = 20261204
PER_CORPUS = 20


def read_set(path):
    try:
        with open(path, encoding="utf-8") as f:
            return {l.strip() for l in f if l.strip()}
    except FileNotFoundError:
        return set()


def candidates(prefix, path, key, used, excluded, skip_lines=range(0)):
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if n % 10 != 3 or n in skip_lines:
                continue
            ref = f"{prefix}:{n}"
            if ref in used:
                continue
            obj = json.loads(line)
            if not 400 <= len(obj.get("text", "")) <= 1800:
                continue
            src = obj.get(key, "")
            if f"{'saudinewsnet' if prefix == 'snn' else 'ant'}:{src}" in excluded:
                continue
            out.append(ref)
    return out


def main():
    used = read_set(USED)
    excluded = read_set(EXCLUDED)
    rng = random.Random(SEED)
    snn = candidates("snn", f"{DATA}/saudinewsnet/articles.jsonl.gz", "url",
                     used, excluded, range(30001, 30601))
    ant = candidates("ant", f"{DATA}/ant/articles.jsonl.gz", "id",
                     used, excluded)
    chosen = rng.sample(snn, PER_CORPUS) + rng.sample(ant, PER_CORPUS)
    for ref in chosen:
        print(ref)


if __name__ == "__main__":
    sys.exit(main())
