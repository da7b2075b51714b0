#!/usr/bin/env bash
# Run the German relevance set (bench/relevance) through a lupe binary and score it.
#
#   bench/relevance/run_lupe.sh LUPE_BINARY [INDEX_DIR]
#   e.g. from the repo root:  bench/relevance/run_lupe.sh target/release/lupe
#
# Builds the index if INDEX_DIR does not exist (default: target/bench-relevance/index),
# from corpus/ plus ../shared/corpora/{gnad10k,dewikinews}.jsonl (the repo's sibling
# folder "shared"; not part of the repo, so this is not part of cargo test).
# Then runs every query of queries.tsv in one process:
#   lupe batch --index INDEX_DIR --format jsonl --fields article_id -n 10 --per-article 1
# writes an article-level TREC run and calls eval.py (with --unjudged).
#
# Environment: RUN_OUT (run file, default target/bench-relevance/run.<tag>.txt),
#              RUN_TAG (run tag, default: lupe), EVAL_ARGS (extra eval.py arguments),
#              LUPE_ARGS (extra `lupe batch` arguments, e.g. the hidden ranking knobs).
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
  # one indexing thread: the same documents in the same order every time,
  # so ties break the same way and the numbers repeat exactly
  "$LUPE" ingest -q -j 1 --index "$INDEX" "${SOURCES[@]}" >&2
fi

mkdir -p "$(dirname "$OUT")"
# One `lupe batch` process for all queries (ids only, one passage per article).
python3 - "$HERE/queries.tsv" <<'PY' \
  | "$LUPE" batch --index "$INDEX" --format jsonl --fields article_id -n 10 --per-article 1 ${LUPE_ARGS:-} \
  | python3 - "$TAG" > "$OUT" 3<&0 <<'PY2'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    qid, query = line.split("\t", 1)
    print(json.dumps({"id": qid, "query": query}, ensure_ascii=False))
PY
import json, os, sys
tag = sys.argv[1]
n = 0
with os.fdopen(3, encoding="utf-8") as answers:
    for line in answers:
        answer = json.loads(line)
        if "error" in answer:
            sys.exit(f"lupe failed on {answer['id']}: {answer['error']}")
        n += 1
        for rank, hit in enumerate(answer["hits"][:10], 1):
            # score = 1000 - rank, so rank order and trec_eval's score order agree
            print(f"{answer['id']} Q0 {hit['article_id']} {rank} {1000 - rank} {tag}")
print(f"{n} queries answered", file=sys.stderr)
PY2
echo "run -> $OUT" >&2

# shellcheck disable=SC2086
python3 "$HERE/eval.py" --unjudged ${EVAL_ARGS:-} "$OUT"
