#!/usr/bin/env bash
# Benchmark: `dsr log verify` on 100k- and 1M-event logs against
# `openssl dgst -sha256` and `sha256sum` over the same file, same run.
# Figures go to BENCHMARKS.md by hand. Not a test.
#
#   benches/log_verify.sh [WORK_DIR] [RUNS]
#
# Builds release binaries, writes the logs with examples/make_log.rs
# (dsr::evidence::Log, groups of 10,000 events), then for each size runs
# every command RUNS times (default 5) with a warm page cache, printing
# wall time and peak RSS (/usr/bin/time -f '%e %M') per run and the
# median. The machine's load average is printed too: on a shared machine
# dsr's second (hashing) thread competes for a core.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/dsr-bench}
runs=${2:-5}
cargo build --release --quiet --bin dsr --example make_log
dsr=target/release/dsr
make_log=target/release/examples/make_log

echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $(openssl version); $(sha256sum --version | head -1)"
grep -q -m1 sha_ni /proc/cpuinfo && echo "cpu has SHA-NI" || echo "cpu has no SHA-NI"

measure() { # label command...
    local label=$1; shift
    local times=() rss=() cpus=()
    for _ in $(seq "$runs"); do
        local out
        /usr/bin/time -o "$work/time.out" -f '%e %M %U %S' "$@" >/dev/null 2>&1
        read -r e m u s < <(tail -1 "$work/time.out")
        times+=("$e"); rss+=("$m"); cpus+=("$(echo "$u + $s" | bc)")
    done
    local median best cpu max_rss
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    best=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    max_rss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
    printf '  %-10s wall median %5s s, best %5s s; cpu (user+sys) median %5s s; peak RSS %6s KiB; runs [%s]\n' \
        "$label" "$median" "$best" "$cpu" "$max_rss" "${times[*]}"
}

for n in 100000 1000000; do
    dir="$work/$n"
    if [ ! -f "$dir/log.jsonl" ]; then
        rm -rf "$dir"
        "$make_log" "$dir" "$n"
    fi
    log="$dir/log.jsonl"
    "$dsr" --data-dir "$dir" log verify >/dev/null # warm the page cache
    echo "$n events: $(wc -l < "$log") lines, $(stat -c %s "$log") bytes; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    measure "dsr" "$dsr" --data-dir "$dir" log verify
    measure "openssl" openssl dgst -sha256 "$log"
    measure "sha256sum" sha256sum "$log"
done
