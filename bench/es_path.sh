#!/usr/bin/env bash
# The cluster path, measured: lupe itself vs. a Lucene mirror of the export
# (`lupe export --format elasticsearch`) queried the two ways the export's
# README offers, on the relevance set (bench/relevance/queries.tsv, graded
# article-level judgments in qrels.txt; the held-out half = odd qids).
#
#   bench/es_path.sh LUPE_BINARY [OUTDIR]     (default OUTDIR: target/bench-es)
#
# Runs:
#   lupe        lupe batch (-n 50 --per-article 1)
#   es-lupe     lupe batch --format es-query bodies, run on the export's
#               lupe_terms / lupe_title_terms fields (whitespace-analysed)
#   es-native   search-template.json with each query (no lupe at query time),
#               on the export's own analysis (lupe_german_*, title_text)
#   es-before   the query the export's README recommended before issue 16
#               (multi_match most_fields, operator and), for comparison
# Every run is cut to articles (best passage) and scored with nDCG@10, MRR@10
# and R@10, on the judged keyword queries and on pasted text (known items);
# quoted phrases are compared as top-10 passage sets. The tables go to stdout
# and OUTDIR/summary.md.
#
# Needs ../shared (corpora, peers/es_mirror/EsMirror.java, article_run.py,
# eval.py), Debian's liblucene8-java and a JDK (apt-get install -y
# liblucene8-java; javac), python3. The mirror is compiled from
# ../shared/peers/es_mirror/EsMirror.java (shared tooling, not part of this
# repository) with bench/es_mirror.patch applied into OUTDIR: the patch
# (ours) mirrors index.json's analyzers from their definitions instead of a
# hard-coded chain, and adds copy_to and inline word lists.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
[ $# -ge 1 ] || { echo "usage: $0 LUPE_BINARY [OUTDIR]" >&2; exit 2; }
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
LUPE="$(abspath "$1")"
OUT="$(abspath "${2:-$ROOT/target/bench-es}")"
REL="$HERE/relevance"
PEERS="$SHARED/peers"
CP=$(ls /usr/share/java/lucene-{core,analyzers-common,queryparser,queries}-8*.jar | tr '\n' ':')
JAVA="java -Xmx2g -cp $OUT/build:$CP"
mkdir -p "$OUT/build" "$OUT/runs"
cd "$ROOT"

# 1. lupe's index of the relevance collection (as bench/relevance/run_lupe.sh builds it).
INDEX="$OUT/index"
if [ ! -d "$INDEX" ]; then
  "$LUPE" ingest -q -j 1 --index "$INDEX" corpus "$SHARED/corpora/gnad10k.jsonl" \
    "$SHARED/corpora/dewikinews.jsonl" >&2
fi

# 2. The export, and the mirror (patched copy, compiled in OUTDIR).
rm -rf "$OUT/export"
"$LUPE" export --index "$INDEX" --format elasticsearch "$OUT/export" >&2
cp "$PEERS/es_mirror/EsMirror.java" "$OUT/build/EsMirror.java"
patch -s -d "$OUT/build" -p1 < "$HERE/es_mirror.patch"
javac -nowarn -d "$OUT/build" -cp "$CP" "$OUT/build/EsMirror.java" 2>&1 | grep -v '^Note:' >&2 || true
rm -rf "$OUT/lucene"
$JAVA EsMirror index "$OUT/export" es "$OUT/lucene" >&2

# 3. The queries as users send them, and 4. their scores, for one query set:
#    run_set DIR TITLE QUERIES.jsonl QRELS HELD_OUT_QRELS   (runs in OUTDIR/runs/DIR)
run_set() {
  local R="$OUT/runs/$1" name=$2 queries=$3 qrels=$4 heldout=$5
  mkdir -p "$R"
  "$LUPE" batch --index "$INDEX" -n 50 --per-article 1 --format trec "$queries" > "$R/lupe.passage.txt"
  "$LUPE" batch --index "$INDEX" -n 50 --format es-query "$queries" > "$R/es-lupe.bodies.jsonl"
  # The template exactly as search-template.json says, its one parameter
  # filled the way mustache's toJson does (a JSON string), size 50 for the
  # article cut.
  python3 - "$OUT/export/search-template.json" "$queries" > "$R/es-native.bodies.jsonl" <<'PY'
import json, sys
source = json.load(open(sys.argv[1], encoding="utf-8"))["script"]["source"]
for line in open(sys.argv[2], encoding="utf-8"):
    q = json.loads(line)
    body = json.loads(source.replace("{{#toJson}}query{{/toJson}}", json.dumps(q["query"], ensure_ascii=False)))
    body["size"] = 50
    print(json.dumps({"id": q["id"], "body": body}, ensure_ascii=False))
PY
  # For comparison, the query the export's README recommended before (multi_match
  # most_fields over text and title^1.5 with operator and, no fallback).
  python3 - "$queries" > "$R/es-before.bodies.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    q = json.loads(line)
    body = {"query": {"multi_match": {"query": q["query"], "fields": ["text", "title^1.5"],
                                      "type": "most_fields", "operator": "and"}}, "size": 50}
    print(json.dumps({"id": q["id"], "body": body}, ensure_ascii=False))
PY
  for run in es-lupe es-native es-before; do
    $JAVA EsMirror dsl "$OUT/export" es "$OUT/lucene" "$R/$run.bodies.jsonl" "$run" > "$R/$run.passage.txt"
  done
  echo "$name"
  echo
  echo "| run | nDCG@10 all | of lupe | nDCG@10 held-out | of lupe | MRR@10 all | R@10 all |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for run in lupe es-lupe es-native es-before; do
    python3 "$PEERS/article_run.py" "$R/$run.passage.txt" > "$R/$run.article.txt"
    all=$(python3 "$PEERS/eval.py" --json "$qrels" "$R/$run.article.txt")
    held=$(python3 "$PEERS/eval.py" --json "$heldout" "$R/$run.article.txt")
    printf '%s\t%s\t%s\n' "$run" "$all" "$held"
  done | python3 -c '
import json, sys
rows = [l.rstrip("\n").split("\t") for l in sys.stdin]
base = None
for run, a, h in rows:
    a, h = json.loads(a), json.loads(h)
    if base is None:
        base = (a["nDCG@10"], h["nDCG@10"])
    print("| %s | %.3f (%d) | %.3f | %.3f (%d) | %.3f | %.3f | %.3f |" % (run, a["nDCG@10"], a["queries"],
          a["nDCG@10"] / base[0], h["nDCG@10"], h["queries"], h["nDCG@10"] / base[1], a["MRR@10"], a["R@10"]))
'
  echo
}

# Quoted phrases (words 3-4 and 4-6 of each pasted lead): do lupe's bodies on
# the whitespace terms fields (one position per term, a computed slop) find
# the passages lupe's positions find? Compared as top-10 passage sets.
phrases() {
  local R="$OUT/runs/phrases"
  mkdir -p "$R"
  python3 - "$REL" > "$R/queries.jsonl" <<'PY'
import json, re, sys
sys.path.insert(0, sys.argv[1])
import known_items
for qid, group, text, _article in known_items.queries():
    words = re.findall(r"[\wÄÖÜäöüß-]+", text)
    if group != "lead" or len(words) < 6:
        continue
    for k, (a, b) in enumerate([(2, 4), (3, 6)]):
        print(json.dumps({"id": f"{qid}-{k}", "query": '"' + " ".join(words[a:b]) + '"'}, ensure_ascii=False))
PY
  "$LUPE" batch --index "$INDEX" -n 10 --per-article 0 --format trec "$R/queries.jsonl" > "$R/lupe.txt"
  "$LUPE" batch --index "$INDEX" -n 10 --format es-query "$R/queries.jsonl" \
    | grep -v '"body":null' > "$R/es-lupe.bodies.jsonl"
  $JAVA EsMirror dsl "$OUT/export" es "$OUT/lucene" "$R/es-lupe.bodies.jsonl" es-lupe > "$R/es-lupe.txt"
  python3 - "$R" <<'PY'
import json, sys
from collections import defaultdict
def load(path):
    runs = defaultdict(list)
    for line in open(path):
        qid, _, pid, *_ = line.split()
        runs[qid].append(pid)
    return runs
r = sys.argv[1]
lupe, es = load(f"{r}/lupe.txt"), load(f"{r}/es-lupe.txt")
qids = [json.loads(l)["id"] for l in open(f"{r}/queries.jsonl")]
same = more = fewer = 0
overlap = []
for q in qids:
    a, b = lupe.get(q, []), es.get(q, [])
    same += set(a) == set(b)
    more += len(b) > len(a)
    fewer += len(b) < len(a)
    if a or b:
        overlap.append(len(set(a) & set(b)) / max(len(a), len(b)))
print("Quoted phrases, lupe vs. lupe's bodies on the terms fields (top 10 passages)")
print()
print(f"{len(qids)} phrases: identical top-10 sets {same}, more hits on the cluster {more}, "
      f"fewer {fewer}, mean overlap@10 {sum(overlap) / len(overlap):.3f}")
PY
}

# The judged keyword queries (held-out half: odd qids).
python3 - "$REL/queries.tsv" > "$OUT/runs/queries.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line and not line.startswith("#"):
        qid, query = line.split("\t", 1)
        print(json.dumps({"id": qid, "query": query}, ensure_ascii=False))
PY
awk '{ n = substr($1, 3) + 0; if (n % 2 == 1) print }' "$REL/qrels.txt" > "$OUT/runs/qrels.heldout.txt"
# Pasted headlines and first sentences (bench/relevance/known_items.py: each
# asks for its own article; long queries, so lupe's minimum-should-match
# path; held-out half: odd positions).
python3 - "$REL" "$OUT/runs" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import known_items
out = sys.argv[2]
with open(f"{out}/known.jsonl", "w", encoding="utf-8") as q, open(f"{out}/known.qrels", "w") as a, \
        open(f"{out}/known.heldout.qrels", "w") as h:
    for qid, _group, text, article in known_items.queries():
        q.write(json.dumps({"id": qid, "query": text}, ensure_ascii=False) + "\n")
        a.write(f"{qid} 0 {article} 1\n")
        if int(qid.rsplit("-", 1)[1]) % 2 == 1:
            h.write(f"{qid} 0 {article} 1\n")
PY
{
  run_set keyword "Keyword queries (bench/relevance/queries.tsv)" "$OUT/runs/queries.jsonl" \
    "$REL/qrels.txt" "$OUT/runs/qrels.heldout.txt"
  run_set known "Pasted text (known items: one relevant article each)" "$OUT/runs/known.jsonl" \
    "$OUT/runs/known.qrels" "$OUT/runs/known.heldout.qrels"
  phrases
} | tee "$OUT/summary.md"
