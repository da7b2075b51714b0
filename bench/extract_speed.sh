#!/usr/bin/env bash
# Article extraction speed on one core: `lupe extract --json` over saved news
# pages, every page given REPEAT times in one process (one process start for
# all of them), pinned to CPU 0.
#
#   bench/extract_speed.sh target/release/lupe                  # $SHARED/newspages/pages
#   REPEAT=40 RUNS=3 bench/extract_speed.sh LUPE [PAGES_DIR]
#
# Prints pages/s per run from wall time and from user CPU time (the latter
# moves less on a shared machine). Writes nothing.
set -euo pipefail
LUPE=$(realpath "${1:?usage: bench/extract_speed.sh LUPE [PAGES_DIR]}")
cd "$(dirname "$0")/.."
PAGES=${2:-${SHARED:-../shared}/newspages/pages}
REPEAT=${REPEAT:-40}
RUNS=${RUNS:-3}
mapfile -t pages < <(find "$PAGES" -maxdepth 1 -name '*.htm*' | sort)
[ ${#pages[@]} -gt 0 ] || { echo "no .html pages in $PAGES" >&2; exit 1; }
args=()
for _ in $(seq "$REPEAT"); do args+=("${pages[@]}"); done
n=${#args[@]}
bytes=$(cat "${pages[@]}" | wc -c)
echo "${#pages[@]} pages ($((bytes / 1024)) KiB) x $REPEAT = $n per run; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$RUNS"); do
  t=$( { /usr/bin/time -f '%e %U' taskset -c 0 "$LUPE" extract --json "${args[@]}" >/dev/null; } 2>&1 | tail -1)
  read -r wall user <<<"$t"
  python3 -c "import sys; n,w,u=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'run {sys.argv[4]}: {w:.2f} s wall, {u:.2f} s user: {n/w:.0f} pages/s wall, {n/u:.0f} pages/s user CPU')" "$n" "$wall" "$user" "$run"
done
