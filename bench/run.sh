#!/usr/bin/env bash
# lupe's performance benchmark: one command, one markdown table.
#
#   bench/run.sh                      # from the repository root (or anywhere)
#   SHARED=/path/to/shared bench/run.sh
#
# Builds lupe in release mode, then measures on $SHARED/corpora:
#   1. ingest (RUNS x each, fresh index every run): corpus (a) dewikinews +
#      gnad10k (~4.8 MB) and (b) dewiki_klexikon (~100 MB), German analyzer and
#      `--analyzer plain` (the floor) interleaved, and their ratio;
#   2. RSS against corpus size: (b) three times over (ids rewritten to stay
#      unique, in a temporary folder outside the repo), one run;
#   3. one-shot `lupe query` latency on index (b): hyperfine, every query of
#      bench/queries/oneshot.txt;
#   4. batch throughput on index (b): `lupe batch` over bench/queries/dewiki.txt
#      (tsv -n 10, tsv -n 100, jsonl -n 10), and the first 200 of those
#      queries as one `lupe query` process each.
# Prints a markdown report and writes it to bench/RESULTS.md; raw logs, the
# indexes and a copy of the measured binary go to target/bench/.
#
# Environment: SHARED (default ../shared), RUNS (ingest runs, default 3),
# BATCH_RUNS (default 3), HF_RUNS (hyperfine runs per query, default 10),
# PROCESS_QUERIES (default 200), SKIP_BUILD=1 (measure target/release/lupe as it is).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SHARED="${SHARED:-../shared}"
CORPORA="$SHARED/corpora"
RUNS="${RUNS:-3}"
BATCH_RUNS="${BATCH_RUNS:-3}"
HF_RUNS="${HF_RUNS:-10}"
PROCESS_QUERIES="${PROCESS_QUERIES:-200}"
QUERIES=bench/queries/dewiki.txt
ONESHOT=bench/queries/oneshot.txt
OUT=target/bench
LOG="$OUT/logs"
RESULTS=bench/RESULTS.md

CORPUS_A=("$CORPORA/dewikinews.jsonl" "$CORPORA/gnad10k.jsonl")
CORPUS_B=("$CORPORA/dewiki_klexikon.jsonl")

die() { echo "bench/run.sh: $*" >&2; exit 2; }
for f in "${CORPUS_A[@]}" "${CORPUS_B[@]}" "$QUERIES" "$ONESHOT"; do
  [ -f "$f" ] || die "missing $f (set SHARED=/path/to/shared)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install -y time)"
command -v hyperfine > /dev/null || die "hyperfine missing (apt-get install -y hyperfine)"
command -v python3 > /dev/null || die "python3 missing"

rm -rf "$LOG"
mkdir -p "$LOG"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/lupe-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

say() { echo "== $*" >&2; }
now_ns() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
# `/usr/bin/time -v` fields
tv_rss_kb() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
tv_cpu_s() { awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$1"; }
# median and min of the numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
minimum() { sort -g | head -1; }
maximum() { sort -g | tail -1; }
fmt() { awk -v x="$1" -v d="${2:-2}" 'BEGIN { printf "%.*f", d, x }'; }
div() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b > 0) printf "%.*f", d, a / b; else print "nan" }'; }
bytes_of() { local t=0 f; for f in "$@"; do t=$((t + $(stat -c %s "$f"))); done; echo "$t"; }

LOADS=()
record_load() {
  local l
  l="$(awk '{ print $1 ", " $2 ", " $3 }' /proc/loadavg)"
  LOADS+=("| $1 | $l |")
  echo "load before $1: $l" >> "$LOG/load.txt"
}

# --- build -------------------------------------------------------------------
record_load build
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "cargo build --release"
  t0=$(now_ns)
  cargo build --release >"$LOG/build.log" 2>&1 || { cat "$LOG/build.log" >&2; die "build failed"; }
  t1=$(now_ns)
  BUILD_S="$(secs "$t0" "$t1") s"
else
  BUILD_S="skipped"
fi
# Measure a private copy: another `cargo build` during the run must not
# swap the binary under the benchmark.
mkdir -p "$OUT"
cp target/release/lupe "$OUT/lupe"
LUPE="$OUT/lupe"
VERSION="$("$LUPE" --version | head -n 1)"

REV="$(git rev-parse --short HEAD 2> /dev/null || echo unknown)"
if [ "$REV" != unknown ] && [ -n "$(git --no-optional-locks status --porcelain --untracked-files=no 2> /dev/null)" ]; then
  REV="$REV-dirty"
fi
CPU_MODEL="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
MEM="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# --- 1. ingest ---------------------------------------------------------------
# One row per run in $LOG/ingest.tsv:
# label analyzer run wall_s cpu_s rss_kb index_bytes passages added
printf 'label\tanalyzer\trun\twall_s\tcpu_s\trss_kb\tindex_bytes\tpassages\tadded\n' > "$LOG/ingest.tsv"
ingest_once() { # LABEL ANALYZER RUN INDEXDIR INPUT...
  local label="$1" analyzer="$2" run="$3" dir="$4"
  shift 4
  local base="$LOG/ingest.$label.$analyzer.$run"
  rm -rf "$dir"
  local t0 t1
  t0=$(now_ns)
  /usr/bin/time -v -o "$base.time" "$LUPE" ingest -q --json --analyzer "$analyzer" --index "$dir" "$@" \
    > "$base.json" 2> "$base.err" || die "ingest failed, see $base.err"
  t1=$(now_ns)
  local size passages added
  size="$(du -sb "$dir" | cut -f1)"
  read -r passages added < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["passages"], d["added"])' "$base.json")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$analyzer" "$run" "$(secs "$t0" "$t1")" \
    "$(tv_cpu_s "$base.time")" "$(tv_rss_kb "$base.time")" "$size" "$passages" "$added" >> "$LOG/ingest.tsv"
}
col() { # LABEL ANALYZER COLUMN -> values, one per line
  awk -F'\t' -v l="$1" -v a="$2" -v c="$3" 'NR > 1 && $1 == l && $2 == a { print $c }' "$LOG/ingest.tsv"
}

record_load "ingest (a)"
say "ingest (a) dewikinews + gnad10k, german and plain, $RUNS runs each"
for i in $(seq 1 "$RUNS"); do
  ingest_once a german "$i" "$OUT/index-a-german" "${CORPUS_A[@]}"
  ingest_once a plain "$i" "$OUT/index-a-plain" "${CORPUS_A[@]}"
done
record_load "ingest (b)"
say "ingest (b) dewiki_klexikon, german and plain, $RUNS runs each"
for i in $(seq 1 "$RUNS"); do
  ingest_once b german "$i" "$OUT/index-b-german" "${CORPUS_B[@]}"
  ingest_once b plain "$i" "$OUT/index-b-plain" "${CORPUS_B[@]}"
done
INDEX_B="$OUT/index-b-german"

# --- 2. RSS against corpus size ------------------------------------------------
record_load "ingest (b) x3"
say "ingest (b) x3 (ids rewritten), one run"
BIG="$TMP/dewiki_x3.jsonl"
for r in 1 2 3; do
  # every line starts with {"id": "..."; prefix the id so the copies stay distinct
  awk -v r="$r" '{ if (!sub(/^\{"id": "/, "{\"id\": \"x" r "-")) { print "line " NR ": no leading id" > "/dev/stderr"; exit 1 } print }' \
    "${CORPUS_B[0]}" >> "$BIG"
done
ingest_once b3 german 1 "$OUT/index-b3-german" "$BIG"
B3_INPUT="$(bytes_of "$BIG")"
rm -f "$BIG"
rm -rf "$OUT/index-b3-german" # ~350 MB; its size is in the log

# --- 3. one-shot latency -------------------------------------------------------
record_load "one-shot queries"
say "one-shot latency: hyperfine, $(grep -c . "$ONESHOT") queries x $HF_RUNS runs"
HF_ARGS=(-N --warmup 3 --runs "$HF_RUNS" --export-json "$LOG/oneshot.json" --style basic)
while IFS= read -r q; do
  [ -n "$q" ] || continue
  # hyperfine -N splits the command like a POSIX shell: single-quote the query
  # so that its double quotes (phrases) reach lupe
  HF_ARGS+=(--command-name "$q" "$LUPE query --index $INDEX_B -n 10 -- '${q//\'/\'\\\'\'}'")
done < "$ONESHOT"
hyperfine "${HF_ARGS[@]}" > "$LOG/oneshot.log" 2>&1 || { cat "$LOG/oneshot.log" >&2; die "hyperfine failed (does every one-shot query have a hit?)"; }

# --- 4. batch throughput -------------------------------------------------------
NQ="$(grep -v '^#' "$QUERIES" | grep -c '[^[:space:]]')"
printf 'mode\trun\twall_s\tcpu_s\trss_kb\n' > "$LOG/batch.tsv"
batch_mode() { # NAME ARGS...
  local name="$1"
  shift
  local i t0 t1
  for i in $(seq 1 "$BATCH_RUNS"); do
    t0=$(now_ns)
    /usr/bin/time -v -o "$LOG/batch.$name.$i.time" "$LUPE" batch --index "$INDEX_B" "$@" "$QUERIES" \
      > /dev/null 2> "$LOG/batch.$name.$i.err" || die "batch failed, see $LOG/batch.$name.$i.err"
    t1=$(now_ns)
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$i" "$(secs "$t0" "$t1")" "$(tv_cpu_s "$LOG/batch.$name.$i.time")" \
      "$(tv_rss_kb "$LOG/batch.$name.$i.time")" >> "$LOG/batch.tsv"
  done
}
record_load "batch"
say "batch: $NQ queries, $BATCH_RUNS runs per mode"
# untimed: how many queries find something
"$LUPE" batch --index "$INDEX_B" --format tsv -n 10 "$QUERIES" > "$LOG/batch.tsv-n10.out"
WITH_HITS="$(cut -f1 "$LOG/batch.tsv-n10.out" | sort -u | wc -l)"
batch_mode tsv-n10 --format tsv -n 10
batch_mode tsv-n100 --format tsv -n 100
batch_mode jsonl-n10 --format jsonl -n 10

record_load "query per process"
say "one lupe query process per query: first $PROCESS_QUERIES queries, $BATCH_RUNS runs"
# one awk, not grep | head: head's early exit can kill grep with SIGPIPE,
# which pipefail turns into the script's silent end
awk -v n="$PROCESS_QUERIES" '!/^#/ && /[^[:space:]]/ && c++ < n' "$QUERIES" > "$TMP/first.txt"
NP="$(wc -l < "$TMP/first.txt")"
for i in $(seq 1 "$BATCH_RUNS"); do
  t0=$(now_ns)
  while IFS= read -r q; do
    rc=0
    "$LUPE" query --index "$INDEX_B" -n 10 -- "$q" > /dev/null 2>> "$LOG/process.err" < /dev/null || rc=$?
    [ "$rc" -le 1 ] || die "lupe query failed on: $q"
  done < "$TMP/first.txt"
  t1=$(now_ns)
  printf '%s\t%s\t%s\t\t\n' process "$i" "$(secs "$t0" "$t1")" >> "$LOG/batch.tsv"
done
# the same queries through one batch process, for a like-for-like pair
for i in $(seq 1 "$BATCH_RUNS"); do
  t0=$(now_ns)
  "$LUPE" batch --index "$INDEX_B" --format jsonl -n 10 "$TMP/first.txt" > /dev/null
  t1=$(now_ns)
  printf '%s\t%s\t%s\t\t\n' batch-first "$i" "$(secs "$t0" "$t1")" >> "$LOG/batch.tsv"
done
record_load "end"

# --- report --------------------------------------------------------------------
bcol() { awk -F'\t' -v m="$1" -v c="$2" 'NR > 1 && $1 == m { print $c }' "$LOG/batch.tsv"; }
mb() { div "$1" 1000000 "${2:-1}"; }
mib() { div "$1" 1024 "${2:-0}"; }

ingest_row() { # LABEL ANALYZER CORPUSNAME INPUT_BYTES
  local l="$1" a="$2" name="$3" bytes="$4"
  local w_med w_min c_med r_med r_max size passages
  w_med="$(col "$l" "$a" 4 | median)"; w_min="$(col "$l" "$a" 4 | minimum)"
  c_med="$(col "$l" "$a" 5 | median)"
  r_med="$(col "$l" "$a" 6 | median)"; r_max="$(col "$l" "$a" 6 | maximum)"
  size="$(col "$l" "$a" 7 | median)"; passages="$(col "$l" "$a" 8 | head -1)"
  printf '| %s | %s | %s | %s (%s) | %s (%s) | %s | %s (%s) | %s | %s |\n' \
    "$name" "$a" "$(mb "$bytes")" "$(fmt "$w_med")" "$(fmt "$w_min")" \
    "$(div "$bytes" "$(awk -v w="$w_med" 'BEGIN { print w * 1e6 }')" 1)" \
    "$(div "$bytes" "$(awk -v w="$w_min" 'BEGIN { print w * 1e6 }')" 1)" \
    "$(fmt "$c_med" 1)" "$(mib "$r_med")" "$(mib "$r_max")" "$(mb "$size")" "$passages"
}
ratio_row() { # LABEL NAME
  local l="$1" name="$2"
  printf '| %s | %s | %s | %s | %s |\n' "$name" \
    "$(div "$(col "$l" german 4 | median)" "$(col "$l" plain 4 | median)")" \
    "$(div "$(col "$l" german 5 | median)" "$(col "$l" plain 5 | median)")" \
    "$(div "$(col "$l" german 6 | median)" "$(col "$l" plain 6 | median)")" \
    "$(div "$(col "$l" german 7 | median)" "$(col "$l" plain 7 | median)")"
}
A_BYTES="$(bytes_of "${CORPUS_A[@]}")"
B_BYTES="$(bytes_of "${CORPUS_B[@]}")"

batch_row() { # MODE LABEL NQUERIES
  local m="$1" label="$2" n="$3" med runs cpu rss
  med="$(bcol "$m" 3 | median)"
  runs="$(bcol "$m" 3 | tr '\n' ' ' | sed 's/ $//')"
  cpu="$(bcol "$m" 4 | grep . | median || true)"
  rss="$(bcol "$m" 5 | grep . | median || true)"
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$n" "$runs" "$(fmt "$med" 3)" \
    "$(div "$n" "$med" 0)" "$([ -n "$cpu" ] && [ "$cpu" != nan ] && fmt "$cpu" 2 || echo -)" \
    "$([ -n "$rss" ] && [ "$rss" != nan ] && mib "$rss" || echo -)"
}

{
  echo "# lupe benchmark results"
  echo
  echo "Written by \`bench/run.sh\`; see bench/README.md for what is measured and how."
  echo "The machine is shared and noisy: compare ratios within one run, not absolute numbers across runs."
  echo
  echo "- date: $DATE; lupe: $VERSION; commit: $REV; cargo build --release: ${BUILD_S}"
  echo "- machine: $(nproc) cores, $MEM, $CPU_MODEL"
  echo "- corpora: (a) dewikinews + gnad10k = $(mb "$A_BYTES") MB; (b) dewiki_klexikon = $(mb "$B_BYTES") MB (from $SHARED/corpora)"
  echo "- ingest: $RUNS runs per row, fresh index each run, German and plain interleaved; default threads (\`-j\` = cores)"
  echo
  echo "## Ingest"
  echo
  echo "| corpus | analyzer | input MB | wall s, median (min) | MB/s, median (max) | CPU s (median) | peak RSS MiB, median (max) | index MB | passages |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  ingest_row a german "(a) news" "$A_BYTES"
  ingest_row a plain "(a) news" "$A_BYTES"
  ingest_row b german "(b) dewiki" "$B_BYTES"
  ingest_row b plain "(b) dewiki" "$B_BYTES"
  echo
  echo "German / plain, medians of the same run (the price of the German analysis):"
  echo
  echo "| corpus | wall | CPU | peak RSS | index size |"
  echo "|---|---:|---:|---:|---:|"
  ratio_row a "(a) news"
  ratio_row b "(b) dewiki"
  echo
  echo "## Peak RSS against corpus size (German analyzer)"
  echo
  b3_w="$(col b3 german 4 | head -1)"; b3_r="$(col b3 german 6 | head -1)"
  b3_s="$(col b3 german 7 | head -1)"; b3_p="$(col b3 german 8 | head -1)"; b3_n="$(col b3 german 9 | head -1)"
  b_w="$(col b german 4 | median)"; b_r="$(col b german 6 | median)"; b_s="$(col b german 7 | median)"
  echo "| corpus | input MB | articles | wall s | MB/s | peak RSS MiB | index MB | passages |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '| (b) x1 (median of %s) | %s | %s | %s | %s | %s | %s | %s |\n' "$RUNS" "$(mb "$B_BYTES")" \
    "$(col b german 9 | head -1)" "$(fmt "$b_w")" "$(div "$B_BYTES" "$(awk -v w="$b_w" 'BEGIN { print w * 1e6 }')" 1)" \
    "$(mib "$b_r")" "$(mb "$b_s")" "$(col b german 8 | head -1)"
  printf '| (b) x3, ids rewritten (1 run) | %s | %s | %s | %s | %s | %s | %s |\n' "$(mb "$B3_INPUT")" "$b3_n" \
    "$(fmt "$b3_w")" "$(div "$B3_INPUT" "$(awk -v w="$b3_w" 'BEGIN { print w * 1e6 }')" 1)" \
    "$(mib "$b3_r")" "$(mb "$b3_s")" "$b3_p"
  printf '| x3 / x1 | %s | | %s | | %s | %s | |\n' "$(div "$B3_INPUT" "$B_BYTES")" "$(div "$b3_w" "$b_w")" \
    "$(div "$b3_r" "$b_r")" "$(div "$b3_s" "$b_s")"
  echo
  echo "## One-shot \`lupe query\` latency (index (b), hyperfine -N, --warmup 3, $HF_RUNS runs per query)"
  echo
  python3 - "$LOG/oneshot.json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
rows = []
for r in results:
    codes = sorted(set(r.get("exit_codes") or []))
    rows.append((r["command"], r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3, r["mean"] * 1e3, r["stddev"] * 1e3, codes))
print("| query | median ms | min ms | max ms | mean ± sd ms | exit |")
print("|---|---:|---:|---:|---:|---:|")
for q, med, lo, hi, mean, sd, codes in rows:
    print(f"| `{q}` | {med:.1f} | {lo:.1f} | {hi:.1f} | {mean:.1f} ± {sd:.1f} | {','.join(map(str, codes))} |")
medians = [r[1] for r in rows]
slow = max(rows, key=lambda r: r[1])
print()
print(f"**Median of the per-query medians: {statistics.median(medians):.1f} ms**; "
      f"slowest query: `{slow[0]}` ({slow[1]:.1f} ms median).")
PY
  echo
  echo "## Batch throughput (index (b), $NQ queries from bench/queries/dewiki.txt, $WITH_HITS with hits; $BATCH_RUNS runs)"
  echo
  echo "| mode | queries | wall s per run | median s | queries/s | CPU s (median) | peak RSS MiB |"
  echo "|---|---:|---|---:|---:|---:|---:|"
  batch_row tsv-n10 "\`batch --format tsv -n 10\` (ids only)" "$NQ"
  batch_row tsv-n100 "\`batch --format tsv -n 100\` (ids only)" "$NQ"
  batch_row jsonl-n10 "\`batch --format jsonl -n 10\` (text + highlights)" "$NQ"
  batch_row batch-first "\`batch --format jsonl -n 10\`, first $NP queries" "$NP"
  batch_row process "one \`lupe query -n 10\` process per query, first $NP queries" "$NP"
  echo
  echo "## Load average (1, 5, 15 min) before each block"
  echo
  echo "| block | load |"
  echo "|---|---|"
  printf '%s\n' "${LOADS[@]}"
} > "$TMP/results.md"

cp "$TMP/results.md" "$RESULTS"
cp "$TMP/results.md" "$OUT/RESULTS.md"
cat "$RESULTS"
