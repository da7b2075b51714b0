#!/usr/bin/env bash
# lupe and the peer engines on the German relevance set, scored per query group.
#
#   bench/relevance/peers.sh [LUPE_BINARY]        # from anywhere; default target/release/lupe
#   PEERS="xapian lucene" bench/relevance/peers.sh
#
# Runs every query of queries.tsv (keyword de…, headlines nl001–nl030,
# questions nl031–nl060, AI-domain dm…) through lupe (run_lupe.sh: one-thread
# index, `batch -n 10 --per-article 1`) and through every installed peer of
# $PEERS_DIR (its index.sh CORPUS.jsonl DIR and search.sh DIR QUERIES.tsv, as
# bench/peers.sh calls them), collapses the peers' passage runs to articles
# (article_run.py, best passage first) and scores all runs with groups.py
# (MRR@10, nDCG@10 per group, all / tuning / held-out) and eval.py --unjudged,
# and lists the queries where a peer's reciprocal rank beats lupe's (behind.md).
#
# The peers index one JSONL file with the same 2,080 articles as lupe:
# gnad10k + dewikinews + lupe's bundled corpus/ exported by lupe itself
# (`lupe export --format elasticsearch` of an index of corpus/ only: its
# passages joined back into one body per article), so the Markdown and text
# articles carry lupe's ids and lupe's parsed title and body.
#
# Environment: SHARED (default ../shared), PEERS_DIR (default $SHARED/peers),
# PEERS (default: every peer whose index.sh and search.sh run on the peers'
# test data), PEERS_TOPK (passages per query before the collapse, default 100),
# OUT (default target/bench-relevance/peers). Runs, logs and the groups
# table (groups.md) go to OUT; indexes are deleted unless KEEP_INDEXES=1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
LUPE="$(abspath "${1:-$ROOT/target/release/lupe}")"
cd "$ROOT"
SHARED="$(abspath "${SHARED:-../shared}")"
PEERS_DIR="$(abspath "${PEERS_DIR:-$SHARED/peers}")"
export PEERS_TOPK="${PEERS_TOPK:-100}"
OUT="$(abspath "${OUT:-$ROOT/target/bench-relevance/peers}")"
PY="${PEERS_PYTHON:-python3}"

die() { echo "bench/relevance/peers.sh: $*" >&2; exit 2; }
say() { echo "== $*" >&2; }
[ -x "$LUPE" ] || die "not an executable: $LUPE (cargo build --release first)"
[ -d "$PEERS_DIR" ] || die "no peers folder $PEERS_DIR (set PEERS_DIR)"
for f in "$SHARED/corpora/gnad10k.jsonl" "$SHARED/corpora/dewikinews.jsonl"; do
  [ -f "$f" ] || die "missing $f"
done

rm -rf "$OUT"
mkdir -p "$OUT"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/lupe-relpeers.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# --- which peers work -----------------------------------------------------------
if [ -z "${PEERS:-}" ]; then
  CANDIDATES="xapian bm25s sqlite_fts5 sqlite_fts5_trigram tantivy_cli lucene"
else
  CANDIDATES="$PEERS"
fi
PEERS=""
SKIPPED=""
for p in $CANDIDATES; do
  w="$TMP/warm-$p"
  if [ -x "$PEERS_DIR/$p/index.sh" ] && [ -x "$PEERS_DIR/$p/search.sh" ] \
    && "$PEERS_DIR/$p/index.sh" "$PEERS_DIR/testdata/corpus.jsonl" "$w" > "$OUT/warm-$p.log" 2>&1 \
    && "$PEERS_DIR/$p/search.sh" "$w" "$PEERS_DIR/testdata/queries.tsv" > /dev/null 2>> "$OUT/warm-$p.log"; then
    PEERS="$PEERS $p"
  else
    say "$p does not run here (see $OUT/warm-$p.log); skipped"
    SKIPPED="$SKIPPED $p"
  fi
  rm -rf "$w"
done

# --- lupe --------------------------------------------------------------------------
say "lupe"
RUN_TAG=lupe RUN_OUT="$OUT/lupe.run" "$HERE/run_lupe.sh" "$LUPE" "$TMP/lupe-index" > "$OUT/lupe.eval.txt" 2> "$OUT/lupe.log"
RUNS=("$OUT/lupe.run")

# --- the peers' corpus: the same 2,080 articles under lupe's ids ----------------------
"$LUPE" ingest -q -j 1 --index "$TMP/bundled-index" corpus >&2
"$LUPE" export --format elasticsearch --index "$TMP/bundled-index" "$TMP/export" > /dev/null
CORPUS="$TMP/corpus.jsonl"
cat "$SHARED/corpora/gnad10k.jsonl" "$SHARED/corpora/dewikinews.jsonl" > "$CORPUS"
"$PY" - "$TMP/export/bulk.ndjson" >> "$CORPUS" <<'PY'
# bulk.ndjson has one document per passage (action line, then source line);
# an article's body is its passages in order, joined as paragraphs.
import json, sys
articles = {}
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for src in lines[1::2]:
    doc = json.loads(src)
    a = articles.setdefault(doc["article_id"], {"title": doc.get("title") or "", "parts": []})
    a["parts"].append((doc["passage"], doc["text"]))
for aid, a in articles.items():
    body = "\n\n".join(t for _, t in sorted(a["parts"]))
    print(json.dumps({"id": aid, "title": a["title"], "body": body}, ensure_ascii=False))
PY
NART="$(wc -l < "$CORPUS")"
say "peer corpus: $NART articles"
[ "$NART" = 2080 ] || die "peer corpus has $NART articles, expected 2080"

# --- the peers ---------------------------------------------------------------------
for p in $PEERS; do
  say "$p: indexing"
  "$PEERS_DIR/$p/index.sh" "$CORPUS" "$TMP/$p-index" > "$OUT/$p.log" 2>&1 \
    || { tail "$OUT/$p.log" >&2; die "$p: indexing failed"; }
  say "$p: searching"
  "$PEERS_DIR/$p/search.sh" "$TMP/$p-index" "$HERE/queries.tsv" > "$OUT/$p.passages.run" 2>> "$OUT/$p.log" \
    || { tail "$OUT/$p.log" >&2; die "$p: search failed"; }
  "$PY" "$PEERS_DIR/article_run.py" "$OUT/$p.passages.run" | sed "s/ [^ ]*\$/ $p/" > "$OUT/$p.run"
  [ "${KEEP_INDEXES:-0}" = 1 ] && cp -r "$TMP/$p-index" "$OUT/$p-index"
  RUNS+=("$OUT/$p.run")
done

# --- scores ------------------------------------------------------------------------
REV="$(git rev-parse --short HEAD 2> /dev/null || echo unknown)"
{
  echo "- date: $(date -u +%Y-%m-%d); $("$LUPE" --version | head -n 1), commit $REV"
  echo "- peers: PEERS_TOPK=$PEERS_TOPK passages, collapsed to articles; skipped:${SKIPPED:- none}"
  "$PEERS_DIR/versions.sh" 2> /dev/null | sed 's/^/- /'
  echo
  python3 "$HERE/groups.py" --markdown "${RUNS[@]}"
} > "$OUT/groups.md"
python3 "$HERE/eval.py" --unjudged "${RUNS[@]}" > "$OUT/eval.txt"
# per query: where a peer's reciprocal rank beats lupe's (the first run)
python3 - "$HERE" "${RUNS[@]}" > "$OUT/behind.md" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[1])
import eval as ev
import groups
qrels = ev.read_qrels(os.path.join(sys.argv[1], "qrels.txt"))
queries = dict(l.rstrip("\n").split("\t", 1) for l in open(os.path.join(sys.argv[1], "queries.tsv"),
               encoding="utf-8") if l.strip() and not l.startswith("#"))
runs = []
for path in sys.argv[2:]:
    name, ranked = ev.read_run(path, False)
    runs.append((name, ev.evaluate(qrels, ranked)))
(lname, lupe), peers = runs[0], runs[1:]
print(f"| query | group | {lname} RR@10 | " + " | ".join(n for n, _ in peers) + " | text |")
print("|---|---|---:|" + "---:|" * len(peers) + "---|")
for qid in sorted(lupe, key=lambda q: (groups.GROUPS.index(groups.group(q)), q)):
    mine = lupe[qid][0]
    if any(pq[qid][0] > mine for _, pq in peers):
        cells = " | ".join(f"{pq[qid][0]:.2f}" for _, pq in peers)
        print(f"| {qid} | {groups.group(qid)} | {mine:.2f} | {cells} | {queries[qid]} |")
PY
cat "$OUT/groups.md"
echo
grep -E '^(run |  unjudged)' "$OUT/eval.txt" || true
echo
echo "queries where a peer's RR@10 beats lupe's:"
cat "$OUT/behind.md"
echo "runs and logs: $OUT" >&2
