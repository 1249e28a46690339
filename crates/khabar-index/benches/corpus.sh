#!/usr/bin/env bash
# Figures of the corpus layer on SaudiNewsNet (31,030 articles): indexing throughput, index
# size and peak memory (full pipeline and --text-only), search latency over a fixed query
# list, and MinHash precision. Run from the repository root after
#   cargo build --release -p khabar-cli
# Usage: crates/khabar-index/benches/corpus.sh [OUT_DIR] [THREADS]
set -euo pipefail
K=${KHABAR:-./target/release/khabar}
DATA=${DATA:-../shared/data/saudinewsnet/articles.jsonl.gz}
OUT=${1:-/tmp/khabar-corpus-bench}
THREADS=${2:-2}
Q=crates/khabar-index/benches/queries.txt
rm -rf "$OUT"; mkdir -p "$OUT"
echo "== machine: $(nproc) cores, using $THREADS threads"
for mode in full text-only; do
  flag=""; [ "$mode" = text-only ] && flag="--text-only"
  echo "== index ($mode)"
  /usr/bin/time -f "wall %e s, peak RSS %M KB" "$K" index --quiet --input "$DATA" --index "$OUT/$mode" --threads "$THREADS" $flag
  du -sh "$OUT/$mode"
  echo "== search latency ($mode index; in-process, snippets included, 40 queries x 5)"
  "$K" search --index "$OUT/$mode" --bench-queries "$Q" --bench-repeat 5 --limit 10
done
echo "== dedup (threshold 0.8, exact Jaccard of every reported pair)"
/usr/bin/time -f "wall %e s, peak RSS %M KB" "$K" dedup --input "$DATA" --threshold 0.8 --verify > "$OUT/dedup.txt"
head -40 "$OUT/dedup.txt"
