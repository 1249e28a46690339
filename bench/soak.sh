#!/usr/bin/env bash
# Soak run: every article of SaudiNewsNet and ANT through `khabar analyze --input jsonl`
# and `khabar index`, and the same articles joined into 8 MiB documents through
# `khabar analyze`. Fails on any panic, error, skipped line or failed analysis; prints the
# time and peak memory (GNU time's maximum resident set) of every step.
#
#   cargo build --release -p khabar-cli && bench/soak.sh        # about 15 min on 2 cores
#
# KHABAR (default target/release/khabar) and DATA (default ../shared/data) override paths.
set -euo pipefail
K=${KHABAR:-target/release/khabar}
DATA=${DATA:-../shared/data}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# run NAME CMD…: runs CMD with stdout to /dev/null; fails when it exits non-zero or says
# anything on stderr other than the lines matching $ALLOW.
run() {
  local name=$1; shift
  if ! /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > /dev/null 2> "$OUT/err"; then
    echo "FAIL  $name"; cat "$OUT/err"; exit 1
  fi
  if grep -v -E "${ALLOW:-^$}" "$OUT/err" | grep -q .; then
    echo "FAIL  $name (stderr)"; cat "$OUT/err"; exit 1
  fi
  read -r secs kb < "$OUT/time"
  printf "ok    %-52s %8.1f s %7d MB peak\n" "$name" "$secs" "$((kb / 1024))"
}

for corpus in saudinewsnet ant; do
  f="$DATA/$corpus/articles.jsonl.gz"
  ALLOW='^$' run "analyze --input jsonl $corpus" "$K" analyze --input jsonl --no-progress "$f"
  # `index` always prints its summary; anything else (a skipped line, a failed analysis) fails.
  ALLOW='^khabar: (indexed [0-9]+ articles|[0-9]+ without text indexed by title; [0-9]+ without text or title skipped; 0 malformed lines skipped)' \
    run "index $corpus" "$K" index --input "$f" --index "$OUT/idx-$corpus" --quiet
done

# The same articles joined by blank lines into documents of at most 8 MiB.
python3 - "$DATA" "$OUT" <<'PY'
import gzip, json, sys
data, out = sys.argv[1], sys.argv[2]
limit, n, buf, size = 8 << 20, 0, [], 0
def flush():
    global n, buf, size
    if buf:
        open(f"{out}/doc-{n:03d}.txt", "w", encoding="utf-8").write("\n\n".join(buf))
        n, buf, size = n + 1, [], 0
for corpus in ("saudinewsnet", "ant"):
    with gzip.open(f"{data}/{corpus}/articles.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            t = json.loads(line).get("text") or ""
            b = len(t.encode()) + 2
            if size + b > limit:
                flush()
            if b <= limit:
                buf.append(t); size += b
flush()
PY
max_s=0; max_kb=0; docs=0
for d in "$OUT"/doc-*.txt; do
  if ! /usr/bin/time -f "%e %M" -o "$OUT/time" "$K" analyze --format jsonl "$d" > /dev/null 2> "$OUT/err" || [ -s "$OUT/err" ]; then
    echo "FAIL  analyze $(basename "$d")"; cat "$OUT/err"; exit 1
  fi
  read -r secs kb < "$OUT/time"
  docs=$((docs + 1))
  max_kb=$(( kb > max_kb ? kb : max_kb ))
  max_s=$(python3 -c "print(max($max_s, $secs))")
done
printf "ok    %-52s %8.1f s %7d MB peak (slowest, largest of %d)\n" "analyze 8 MiB documents" "$max_s" "$((max_kb / 1024))" "$docs"
