#!/usr/bin/env bash
# The Wikipedia question set (bench/relevance/wiki): lupe beside the peers, at
# passage and article level.
#
#   bench/relevance/wiki/run.sh LUPE_BINARY [LUPE_INDEX_DIR]
#
# Needs ../shared (corpora/dewiki_klexikon.jsonl and peers/), so it is not part
# of cargo test. Builds what is missing under target/bench-wiki/ (lupe's
# indexes with one indexing thread, so ties break the same way every time;
# each peer's index with its own index.sh), runs queries.tsv through every
# engine (top 100 passages; lupe in one `lupe batch` process per run) and
# prints score.py's table. lupe runs three ways: `lupe` on the articles as a
# user ingests them (two passages per article at most, the default; its
# passages mapped to the peers' by lupe_run.py), `lupe-all` the same without
# the per-article cap, and `lupe-passages` on the peers' own passages, each
# ingested as an article (exactly the units the qrels judge). Delete the
# index folders after changing the analysis.
#
# Environment: PEERS (default: xapian bm25s sqlite_fts5 sqlite_fts5_trigram
# lucene tantivy_cli, each skipped when it is not installed or its index
# fails), LUPE_TAG (run name, default lupe), LUPE_ARGS (extra `lupe batch`
# arguments), OUT (default target/bench-wiki), PASSAGE_INDEX (default
# OUT/lupe-passages-idx).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
SHARED="$(cd "$ROOT/.." && pwd)/shared"
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 LUPE_BINARY [INDEX_DIR]" >&2; exit 2; }
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
LUPE="$(abspath "$1")"
OUT="$(abspath "${OUT:-$ROOT/target/bench-wiki}")"
INDEX="$(abspath "${2:-$OUT/lupe-idx}")"
CORPUS="$SHARED/corpora/dewiki_klexikon.jsonl"
PEERS_DIR="$SHARED/peers"
QUERIES="$HERE/queries.tsv"
TAG="${LUPE_TAG:-lupe}"
[ -x "$LUPE" ] || { echo "not an executable: $LUPE" >&2; exit 2; }
[ -f "$CORPUS" ] || { echo "missing $CORPUS" >&2; exit 2; }
mkdir -p "$OUT"

if [ ! -d "$INDEX" ]; then
  echo "building lupe index $INDEX" >&2
  "$LUPE" ingest -q -j 1 --index "$INDEX" "$CORPUS" >&2
fi

# queries.tsv as `lupe batch` JSON lines
queries_jsonl() {
  python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line and not line.startswith("#"):
        qid, query = line.split("\t", 1)
        print(json.dumps({"id": qid, "query": query}, ensure_ascii=False))
' "$QUERIES"
}

runs=()
# lupe as a user runs it (two passages per article at most, the default)
# and with no per-article cap (every passage may compete at passage level)
for per in 2 0; do
  name="$TAG"; [ "$per" = 2 ] || name="$TAG-all"
  queries_jsonl \
    | "$LUPE" batch --index "$INDEX" --format jsonl --fields article_id,passage_id,score,text \
        -n 100 --per-article "$per" ${LUPE_ARGS:-} \
    | python3 "$HERE/lupe_run.py" "$PEERS_DIR" "$CORPUS" "$name" > "$OUT/run.$name.txt"
  runs+=("$name=$OUT/run.$name.txt")
done

# lupe on the peers' own passages: every passage of split_passages.py is
# ingested as an article of its own (id = passage id, with its article's
# title), so lupe ranks exactly the units the qrels judge, with no mapping
PIDX="${PASSAGE_INDEX:-$OUT/lupe-passages-idx}"
if [ ! -d "$PIDX" ]; then
  echo "building lupe index of the peers' passages $PIDX" >&2
  python3 - "$PEERS_DIR" "$CORPUS" > "$OUT/passages.jsonl" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import split_passages as sp
for p in sp.iter_passages(sys.argv[2]):
    print(json.dumps({"id": p["pid"], "title": p["title"], "body": p["text"]}, ensure_ascii=False))
PY
  "$LUPE" ingest -q -j 1 --index "$PIDX" "$OUT/passages.jsonl" >&2
fi
queries_jsonl \
  | "$LUPE" batch --index "$PIDX" --format jsonl --fields article_id,score -n 100 --per-article 1 ${LUPE_ARGS:-} \
  | python3 -c '
import json, sys
for line in sys.stdin:
    answer = json.loads(line)
    for rank, hit in enumerate(answer.get("hits", []), 1):
        print(answer["id"], "Q0", hit["article_id"], rank, hit["score"], sys.argv[1])
' "$TAG-passages" > "$OUT/run.$TAG-passages.txt"
runs+=("$TAG-passages=$OUT/run.$TAG-passages.txt")

for peer in ${PEERS:-xapian bm25s sqlite_fts5 sqlite_fts5_trigram lucene tantivy_cli}; do
  dir="$OUT/peer-$peer"
  mkdir -p "$dir"
  if [ ! -e "$dir/idx.ok" ]; then
    echo "indexing with $peer" >&2
    rm -rf "$dir/idx"
    if "$PEERS_DIR/$peer/index.sh" "$CORPUS" "$dir/idx" > "$dir/index.log" 2>&1; then
      touch "$dir/idx.ok"
    else
      echo "  $peer: index failed (see $dir/index.log), skipped" >&2
      continue
    fi
  fi
  if PEERS_TOPK=100 "$PEERS_DIR/$peer/search.sh" "$dir/idx" "$QUERIES" > "$dir/run.txt" 2> "$dir/search.log"; then
    runs+=("$peer=$dir/run.txt")
  else
    echo "  $peer: search failed (see $dir/search.log), skipped" >&2
  fi
done

python3 "$HERE/score.py" --markdown "${runs[@]}" | tee "$OUT/scores.md"
