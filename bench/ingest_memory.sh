#!/usr/bin/env bash
# Peak RSS of `lupe ingest` on ~1 GB of German Wikipedia (issue 12, item 16:
# keep it under 300 MB).
#
#   bench/ingest_memory.sh                 # builds release, measures
#   LUPE=/path/to/lupe bench/ingest_memory.sh   # measures that binary
#   SHARED=/path/to/shared COPIES=10 THREADS=2 bench/ingest_memory.sh
#
# Builds the input in a temporary folder outside the repository: COPIES
# (default 10) copies of $SHARED/corpora/dewiki_klexikon.jsonl (~100 MB) with
# the ids rewritten so every article is distinct (~1 GB, ~29k articles, ~1.8M
# passages). Runs `/usr/bin/time -v lupe ingest -q -j THREADS` into a fresh
# index and prints articles, passages, wall time and maximum resident set
# size. Needs python3 and GNU time. The input and the index are removed at
# the end (KEEP=1 keeps them).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
COPIES="${COPIES:-10}"
THREADS="${THREADS:-2}"
SOURCE="$SHARED/corpora/dewiki_klexikon.jsonl"
[ -f "$SOURCE" ] || { echo "missing $SOURCE (set SHARED)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }

if [ -z "${LUPE:-}" ]; then
    (cd "$ROOT" && cargo build --release --quiet)
    LUPE="${CARGO_TARGET_DIR:-$ROOT/target}/release/lupe"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lupe-ingest-memory.XXXXXX")"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT

python3 - "$SOURCE" "$COPIES" "$WORK/input.jsonl" <<'PY'
import json, sys
source, copies, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
n = 0
with open(target, "w", encoding="utf-8") as out:
    for copy in range(copies):
        with open(source, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                record = json.loads(line)
                record["id"] = f"c{copy}-{record.get('id', n)}"
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
PY

SIZE=$(stat -c %s "$WORK/input.jsonl")
/usr/bin/time -v "$LUPE" ingest -q -j "$THREADS" --index "$WORK/index" "$WORK/input.jsonl" \
    > "$WORK/summary.txt" 2> "$WORK/time.txt"
RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt")
echo "input    $(awk "BEGIN {printf \"%.0f\", $SIZE / 1e6}") MB ($COPIES copies of dewiki_klexikon)"
echo "lupe     $("$LUPE" --version 2>/dev/null | head -1) ($LUPE)"
echo "summary  $(cat "$WORK/summary.txt")"
echo "wall     $WALL"
echo "max RSS  $((RSS_KB / 1024)) MB"
