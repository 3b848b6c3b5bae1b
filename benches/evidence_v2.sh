#!/usr/bin/env bash
# Benchmark: evidence log format 2 (issue 13). Figures go to BENCHMARKS.md
# by hand. Not a test.
#
#   benches/evidence_v2.sh [WORK_DIR] [RUNS] [LINES...]
#
# Builds release binaries, then for each LINES (default 100000 1000000):
# - writes a signed format-2 log with examples/make_signed_log.rs (one
#   `prepared`, `sent`, signed `checkpoint` per case) and, as the baseline,
#   a format-1 log of the same line count with examples/make_log.rs;
# - times RUNS times (default 3; the machine is shared, keep it short)
#   with a warm page cache, printing wall median and best, CPU median and
#   peak RSS (/usr/bin/time -f '%e %M %U %S'):
#   `dsr log verify` of both logs, `openssl dgst -sha256` and `sha256sum`
#   over the v2 log's bytes, `dsr evidence export` of one case and
#   `dsr evidence verify` of that bundle (with its size and proof size);
# - runs examples/append_bench.rs (tree rebuild, append + signed
#   checkpoint per event), then truncates the log back to its size so the
#   next run measures the same bytes.
# The load average is printed before every group: read dsr against the
# baselines of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/dsr-bench-v2}
runs=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
# SKIP_BUILD=1 uses the release binaries already built (on a loaded machine).
[ -n "${SKIP_BUILD:-}" ] || cargo build --release --quiet --bin dsr --example make_signed_log --example make_log --example append_bench
dsr=$PWD/target/release/dsr
ex=$PWD/target/release/examples
mkdir -p "$work"

echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $(openssl version); $(sha256sum --version | head -1)"

measure() { # label command...
    local label=$1; shift
    local times=() rss=() cpus=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -o "$work/time.out" -f '%e %M %U %S' "$@" >/dev/null 2>"$work/stderr.out" \
            || { echo "  $label failed:"; cat "$work/stderr.out"; return 1; }
        read -r e m u s < <(tail -1 "$work/time.out")
        times+=("$e"); rss+=("$m"); cpus+=("$(echo "$u + $s" | bc)")
    done
    local median best cpu max_rss
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    best=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    max_rss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
    printf '  %-22s wall median %6s s, best %6s s; cpu median %6s s; peak RSS %7s KiB; runs [%s]\n' \
        "$label" "$median" "$best" "$cpu" "$max_rss" "${times[*]}"
}

load() { echo "  load average $(cut -d' ' -f1-3 /proc/loadavg)"; }

for n in "${sizes[@]}"; do
    v2="$work/v2-$n" v1="$work/v1-$n"
    if [ ! -f "$v2/log.jsonl" ] || [ "$(wc -l < "$v2/log.jsonl")" != "$n" ]; then
        rm -rf "$v2"
        "$ex/make_signed_log" "$v2" "$n"
    fi
    if [ ! -f "$v1/log.jsonl" ] || [ "$(wc -l < "$v1/log.jsonl")" != "$n" ]; then
        rm -rf "$v1"
        "$ex/make_log" "$v1" "$(( n - 1 ))" # events after the header line
    fi
    log="$v2/log.jsonl"
    size=$(stat -c %s "$log")
    "$dsr" --data-dir "$v2" log verify >/dev/null # warm the page cache
    "$dsr" --data-dir "$v1" log verify >/dev/null
    echo "$n lines: v2 log $size bytes, v1 log $(stat -c %s "$v1/log.jsonl") bytes"
    load
    measure "dsr log verify (v2)" "$dsr" --data-dir "$v2" log verify
    measure "dsr log verify (v1)" "$dsr" --data-dir "$v1" log verify
    measure "openssl dgst -sha256" openssl dgst -sha256 "$log"
    measure "sha256sum" sha256sum "$log"
    load
    request=$(sed -n '2p' "$log" | sed -E 's/.*"request":"([^"]+)".*/\1/')
    bundle="$work/bundle-$n"
    measure "evidence export" "$dsr" --data-dir "$v2" evidence export "$request" --out "$bundle" --force
    measure "evidence verify" "$dsr" evidence verify "$bundle"
    echo "  bundle of $request: $(du -sb "$bundle" | cut -f1) bytes in $(find "$bundle" -type f | wc -l) files;" \
        "proofs: $(find "$bundle" -maxdepth 1 -type f \( -name '*proof*' -o -name 'lines.jsonl' \) -printf '%f %s B  ')"
    load
    "$ex/append_bench" "$v2" 20 | sed 's/^/  /'
    truncate -s "$size" "$log"
    rm -f "$v2/log.tree"
done
