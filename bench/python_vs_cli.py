#!/usr/bin/env python3
"""Articles per second: Python `analyze_batch` versus the `khabar` CLI on the same JSONL.

    python bench/python_vs_cli.py SAMPLE.jsonl [--cli target/release/khabar] [--repeat 3]

Both sides do the same work: read the JSONL, analyze every article (text + date) with the
full pipeline on all cores, and produce the contract for each (the CLI writes JSON lines
to /dev/null; Python builds the dicts). Build both in release first:
`cargo build --release -p khabar-cli` and `maturin develop --release` in crates/khabar-python.
Prints the best of --repeat runs for each and the bindings' overhead.
"""

import argparse
import json
import os
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sample")
    ap.add_argument("--cli", default="target/release/khabar")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()

    import khabar

    cli_times, py_times = [], []
    n = 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        with open(os.devnull, "w") as null:
            subprocess.run(
                [args.cli, "analyze", "--input", "jsonl", "--date-field", "date", "-j", str(args.threads), args.sample],
                stdout=null, check=True,
            )
        cli_times.append(time.perf_counter() - t)

        t = time.perf_counter()
        nlp = khabar.Pipeline()
        texts, dates = [], []
        with open(args.sample, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                texts.append(rec["text"])
                d = rec.get("date")
                dates.append(d[:10] if d else None)
        docs = nlp.analyze_batch(texts, dates)
        py_times.append(time.perf_counter() - t)
        n = len(docs)
        del docs

    cli, py = min(cli_times), min(py_times)
    print(f"articles: {n}, threads: {args.threads}, best of {args.repeat}")
    print(f"CLI    {cli:7.2f} s  {n / cli:8.1f} articles/s")
    print(f"Python {py:7.2f} s  {n / py:8.1f} articles/s")
    print(f"bindings overhead: {100 * (py - cli) / cli:+.1f}%")


if __name__ == "__main__":
    sys.exit(main())
