#!/usr/bin/env bash
# Run the German relevance set (bench/relevance) through a lupe binary and score it.
#
#   bench/relevance/run_lupe.sh LUPE_BINARY [INDEX_DIR]
#   e.g. from the repo root:  bench/relevance/run_lupe.sh target/release/lupe
#
# Builds the index if INDEX_DIR does not exist (default: target/bench-relevance/index),
# from corpus/ plus ../shared/corpora/{gnad10k,dewikinews}.jsonl (the repo's sibling
# folder "shared"; not part of the repo, so this is not part of cargo test).
# Then runs every query of queries.tsv, one lupe process per query:
#   lupe query --index INDEX_DIR --jsonl -n 10 --per-article 1 -- "QUERY"
# writes an article-level TREC run and calls eval.py (with --unjudged).
#
# Environment: RUN_OUT (run file, default target/bench-relevance/run.<tag>.txt),
#              RUN_TAG (run tag, default: lupe), EVAL_ARGS (extra eval.py arguments).
# A stale index is not rebuilt: delete INDEX_DIR after changing the analysis.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 LUPE_BINARY [INDEX_DIR]" >&2; exit 2; }

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
LUPE="$(abspath "$1")"
INDEX="$(abspath "${2:-$ROOT/target/bench-relevance/index}")"
TAG="${RUN_TAG:-lupe}"
OUT="$(abspath "${RUN_OUT:-$ROOT/target/bench-relevance/run.$TAG.txt}")"
[ -x "$LUPE" ] || { echo "not an executable: $LUPE" >&2; exit 2; }

cd "$ROOT"
SOURCES=(corpus ../shared/corpora/gnad10k.jsonl ../shared/corpora/dewikinews.jsonl)
for s in "${SOURCES[@]}"; do
  [ -e "$s" ] || { echo "missing source: $ROOT/$s" >&2; exit 2; }
done

if [ ! -d "$INDEX" ]; then
  echo "building index $INDEX" >&2
  mkdir -p "$(dirname "$INDEX")"
  "$LUPE" ingest -q --index "$INDEX" "${SOURCES[@]}" >&2
fi

mkdir -p "$(dirname "$OUT")"
TMP="$(mktemp)"
trap 'rm -f "$TMP"' EXIT
: > "$OUT"
n=0
while IFS=$'\t' read -r qid query; do
  [ -n "$qid" ] || continue
  case "$qid" in \#*) continue ;; esac
  rc=0
  "$LUPE" query --index "$INDEX" --jsonl -n 10 --per-article 1 -- "$query" > "$TMP" < /dev/null || rc=$?
  if [ "$rc" -ge 2 ]; then
    echo "lupe failed (exit $rc) on $qid: $query" >&2
    exit 1
  fi
  # exit 1 = no hits: the query simply gets no lines in the run
  python3 - "$qid" "$TAG" "$TMP" >> "$OUT" <<'PY'
import json, sys
qid, tag, path = sys.argv[1:4]
seen = []
for line in open(path, encoding="utf-8"):
    line = line.strip()
    if not line:
        continue
    art = json.loads(line)["article_id"]
    if art not in seen:
        seen.append(art)
for rank, art in enumerate(seen[:10], 1):
    # score = 1000 - rank, so rank order and trec_eval's score order agree
    print(f"{qid} Q0 {art} {rank} {1000 - rank} {tag}")
PY
  n=$((n + 1))
done < "$HERE/queries.tsv"
echo "$n queries -> $OUT" >&2

# shellcheck disable=SC2086
python3 "$HERE/eval.py" --unjudged ${EVAL_ARGS:-} "$OUT"
