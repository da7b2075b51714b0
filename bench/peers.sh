#!/usr/bin/env bash
# lupe side by side with the peer engines, in one run.
#
#   bench/peers.sh                    # from anywhere; slow (tens of minutes)
#   PEERS="xapian lucene" bench/peers.sh
#
# On corpus (b) (dewiki_klexikon, ~100 MB) and the query file
# bench/queries/dewiki.txt, for lupe and every peer of $PEERS_DIR (see its
# README.md: each peer has index.sh CORPUS.jsonl DIR and search.sh DIR
# QUERIES.tsv > TREC run):
#   - index: wall s, CPU s, peak RSS (/usr/bin/time -v: largest single
#     process), index size (du -sb);
#   - search: the whole query file in one batch (one process, or one server
#     for tantivy_cli), top 10, SEARCH_REPEAT times: median s and queries/s.
# A peer whose indexing takes longer than PEER_TIMEOUT seconds (default 600)
# on (b) is stopped and measured on corpus (a) (dewikinews + gnad10k, ~4.8 MB)
# instead; the table says so. lupe runs twice: with its defaults (all cores)
# and restricted to one thread (`ingest -j 1`, RAYON_NUM_THREADS=1 for
# `batch`), since most peers index and search on one thread.
# Writes the report to stdout and bench/PEERS.md; logs and run files go to
# target/bench/peers/ (indexes are deleted after measuring unless KEEP_INDEXES=1).
#
# Environment: SHARED (default ../shared), PEERS_DIR (default /work/peers),
# PEERS (default: every peer with index.sh and search.sh), PEER_TIMEOUT,
# SEARCH_REPEAT (default 3; a search run over SLOW_SEARCH seconds, default
# 120, is not repeated), SKIP_BUILD=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SHARED="${SHARED:-../shared}"
PEERS_DIR="${PEERS_DIR:-/work/peers}"
PEER_TIMEOUT="${PEER_TIMEOUT:-600}"
REPEAT="${SEARCH_REPEAT:-3}"
SLOW_SEARCH="${SLOW_SEARCH:-120}"
QUERIES=bench/queries/dewiki.txt
OUT=target/bench/peers
RESULTS=bench/PEERS.md
CORPUS_B="${CORPUS_B:-$SHARED/corpora/dewiki_klexikon.jsonl}"
CORPUS_A_PARTS=("$SHARED/corpora/dewikinews.jsonl" "$SHARED/corpora/gnad10k.jsonl")

die() { echo "bench/peers.sh: $*" >&2; exit 2; }
for f in "$CORPUS_B" "${CORPUS_A_PARTS[@]}" "$QUERIES"; do [ -f "$f" ] || die "missing $f"; done
[ -d "$PEERS_DIR" ] || die "no peers folder $PEERS_DIR (set PEERS_DIR)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing"
if [ -z "${PEERS:-}" ]; then
  PEERS=""
  for p in xapian bm25s sqlite_fts5 sqlite_fts5_trigram tantivy_cli lucene; do
    [ -x "$PEERS_DIR/$p/index.sh" ] && [ -x "$PEERS_DIR/$p/search.sh" ] && PEERS="$PEERS $p"
  done
fi

rm -rf "$OUT"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/lupe-peers.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

say() { echo "== $*" >&2; }
now_ns() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
tv_rss_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
tv_cpu_s() { awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$1"; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
load() { awk '{ print $1 ", " $2 ", " $3 }' /proc/loadavg; }

# --- inputs ----------------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "cargo build --release"
  cargo build --release > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; die "build failed"; }
fi
cp target/release/lupe "$OUT/lupe"
LUPE="$OUT/lupe"

CORPUS_A="$TMP/corpus_a.jsonl"
cat "${CORPUS_A_PARTS[@]}" > "$CORPUS_A"
# peers read `qid<TAB>query`; lupe reads the query file itself (qid = line)
QTSV="$OUT/queries.tsv"
grep -v '^#' "$QUERIES" | grep '[^[:space:]]' | awk '{ printf "q%04d\t%s\n", NR, $0 }' > "$QTSV"
NQ="$(wc -l < "$QTSV")"
PEER_PY="${PEERS_PYTHON:-python3}"
SPLIT_B="$("$PEER_PY" "$PEERS_DIR/split_passages.py" --stats "$CORPUS_B")"
SPLIT_A="$("$PEER_PY" "$PEERS_DIR/split_passages.py" --stats "$CORPUS_A")"

# --- one engine --------------------------------------------------------------------
# One row per engine in $OUT/results.tsv:
# engine corpus note index_s index_cpu_s index_rss_mib index_mb search_runs search_s qps search_rss_mib with_hits
printf 'engine\tcorpus\tnote\tindex_s\tindex_cpu_s\tindex_rss_mib\tindex_mb\tsearch_runs\tsearch_s\tqps\tsearch_rss_mib\twith_hits\tload\n' > "$OUT/results.tsv"

# index_cmd ENGINE CORPUS DIR / search_cmd ENGINE DIR (run file on stdout)
index_cmd() {
  case "$1" in
    lupe) "$LUPE" ingest -q --index "$3" "$2" ;;
    lupe-1t) "$LUPE" ingest -q -j 1 --index "$3" "$2" ;;
    *) "$PEERS_DIR/$1/index.sh" "$2" "$3" ;;
  esac
}
search_cmd() {
  case "$1" in
    lupe) "$LUPE" batch --index "$2" --format trec -n 10 "$QUERIES" ;;
    lupe-1t) RAYON_NUM_THREADS=1 "$LUPE" batch --index "$2" --format trec -n 10 "$QUERIES" ;;
    *) "$PEERS_DIR/$1/search.sh" "$2" "$QTSV" ;;
  esac
}
export -f index_cmd search_cmd
export LUPE PEERS_DIR QUERIES QTSV

measure() { # ENGINE CORPUSNAME CORPUSFILE NOTE -> 0, or 124 if indexing timed out
  local e="$1" cname="$2" corpus="$3" note="$4"
  local d="$OUT/$e.$cname"
  local l
  l="$(load)"
  rm -rf "$d"
  mkdir -p "$d"
  say "$e on ($cname): indexing (load $l)"
  local rc=0 t0 t1
  t0=$(now_ns)
  timeout -k 30 "$PEER_TIMEOUT" /usr/bin/time -v -o "$d/index.time" bash -c 'index_cmd "$@"' _ "$e" "$corpus" "$d/index" \
    > "$d/index.log" 2>&1 || rc=$?
  t1=$(now_ns)
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    printf '%s\t%s\t%s\t%s\t\t\t\t\t\t\t\t\t%s\n' "$e" "$cname" "indexing stopped after ${PEER_TIMEOUT} s" ">$(secs "$t0" "$t1")" "$l" >> "$OUT/results.tsv"
    rm -rf "$d/index"
    return 124
  fi
  [ "$rc" = 0 ] || { tail "$d/index.log" >&2; die "$e: indexing failed (exit $rc), see $d/index.log"; }
  local idx_s cpu rss mb
  idx_s="$(secs "$t0" "$t1")"; cpu="$(tv_cpu_s "$d/index.time")"; rss="$(tv_rss_mib "$d/index.time")"
  mb="$(du -sb "$d/index" | awk '{ printf "%.1f", $1 / 1e6 }')"
  say "$e on ($cname): $NQ queries x up to $REPEAT"
  local walls="" i w
  for i in $(seq 1 "$REPEAT"); do
    t0=$(now_ns)
    /usr/bin/time -v -o "$d/search.time.$i" bash -c 'search_cmd "$@"' _ "$e" "$d/index" > "$d/run.$i.txt" 2> "$d/search.log" \
      || { tail "$d/search.log" >&2; die "$e: search failed, see $d/search.log"; }
    t1=$(now_ns)
    w="$(secs "$t0" "$t1")"
    walls="$walls $w"
    [ "$i" = 1 ] || { cmp -s "$d/run.1.txt" "$d/run.$i.txt" || echo "warning: run $i differs from run 1" >> "$d/search.log"; rm -f "$d/run.$i.txt"; }
    awk -v w="$w" -v s="$SLOW_SEARCH" 'BEGIN { exit !(w > s) }' && break
  done
  local med qps srss hits
  med="$(echo "$walls" | median)"
  qps="$(awk -v n="$NQ" -v s="$med" 'BEGIN { printf "%.0f", n / s }')"
  srss="$(tv_rss_mib "$d/search.time.1")"
  hits="$(awk '{ print $1 }' "$d/run.1.txt" | sort -u | wc -l)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$e" "$cname" "$note" "$idx_s" "$cpu" "$rss" "$mb" \
    "$(echo $walls)" "$med" "$qps" "$srss" "$hits" "$l" >> "$OUT/results.tsv"
  [ "${KEEP_INDEXES:-0}" = 1 ] || rm -rf "$d/index"
  return 0
}

# warm-up on the peers' own test data: checks each peer works and compiles
# Lucene's wrapper outside the measurement
for p in $PEERS; do
  say "$p: warm-up on testdata"
  w="$TMP/warm-$p"
  "$PEERS_DIR/$p/index.sh" "$PEERS_DIR/testdata/corpus.jsonl" "$w" > "$TMP/warm.log" 2>&1 \
    && "$PEERS_DIR/$p/search.sh" "$w" "$PEERS_DIR/testdata/queries.tsv" > /dev/null 2>> "$TMP/warm.log" \
    || { cat "$TMP/warm.log" >&2; die "$p does not work on its test data"; }
  rm -rf "$w"
done

START="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
for e in lupe lupe-1t $PEERS; do
  if ! measure "$e" b "$CORPUS_B" ""; then
    measure "$e" a "$CORPUS_A" "(b) stopped after ${PEER_TIMEOUT} s; measured on (a)"
  fi
done

# --- report ------------------------------------------------------------------------
REV="$(git rev-parse --short HEAD 2> /dev/null || echo unknown)"
if [ "$REV" != unknown ] && [ -n "$(git --no-optional-locks status --porcelain --untracked-files=no 2> /dev/null)" ]; then
  REV="$REV-dirty"
fi
{
  echo "# lupe and the peer engines"
  echo
  echo "Written by \`bench/peers.sh\`; see bench/README.md. The machine is shared and noisy: compare within one run."
  echo
  echo "- date: $START; $("$LUPE" --version | head -n 1), commit $REV; machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "- corpus (b): $(basename "$CORPUS_B"), $(stat -c %s "$CORPUS_B" | awk '{ printf "%.1f MB", $1 / 1e6 }'); peers' splitter: $SPLIT_B"
  echo "- corpus (a), only for a peer that could not index (b) in ${PEER_TIMEOUT} s: dewikinews + gnad10k, $(stat -c %s "$CORPUS_A" | awk '{ printf "%.1f MB", $1 / 1e6 }'); peers' splitter: $SPLIT_A"
  echo "- queries: $NQ (bench/queries/dewiki.txt), top 10 each, one batch process per run (tantivy_cli: one \`tantivy serve\`), $REPEAT runs, median; warm page cache"
  echo "- lupe: \`ingest -q\`, \`batch --format trec -n 10\` (ids and scores only, like the peers' TREC runs); lupe-1t: \`ingest -j 1\` and RAYON_NUM_THREADS=1"
  echo "- index s includes the peers' shared Python splitter (split_passages.py); peak RSS is the largest single process"
  echo
  echo "| engine | corpus | index s | index CPU s | index peak RSS MiB | index MB | search s per run | search s (median) | queries/s | search peak RSS MiB | queries with hits | load before | note |"
  echo "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---|"
  tail -n +2 "$OUT/results.tsv" | awk -F'\t' -v n="$NQ" '{
    printf "| %s | (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
      $1, $2, $4, $5, $6, $7, $8, $9, $10, $11, ($12 == "" ? "" : $12 "/" n), $13, $3 }'
  echo
  echo "Peer versions:"
  echo
  "$PEERS_DIR/versions.sh" 2> /dev/null | sed 's/^/- /'
} > "$TMP/peers.md"
cp "$TMP/peers.md" "$RESULTS"
cp "$TMP/peers.md" "$OUT/PEERS.md"
cat "$RESULTS"
