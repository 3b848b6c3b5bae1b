#!/usr/bin/env bash
# Benchmark: `dsr status` on a log of 100,000 cases (200,000 lines), with
# `sha256sum` and `wc -l` over the same log.jsonl as a same-run baseline.
# Figures go to BENCHMARKS.md by hand. Not a test.
#
#   benches/status.sh [WORK_DIR] [RUNS] [CASES]
#
# Builds release binaries, writes the log with examples/make_cases.rs
# (dsr::evidence::Log, `prepared` + `sent` per case with the real
# dsr::case::event payloads), warms the page cache, then runs each command
# RUNS times (default 5): `dsr status` (fold + deadlines + table),
# `dsr status --json`, `dsr status --ics`, `dsr evidence export` of one
# case and `dsr evidence verify` of its bundle (chain.txt of every line),
# `dsr log verify` (the chain only), `sha256sum` and `wc -l`. Prints wall time, CPU time and peak RSS
# (/usr/bin/time) per command, and the machine's load average: on a shared
# machine wall times vary.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/dsr-bench-status}
runs=${2:-5}
cases=${3:-100000}
cargo build --release --quiet --bin dsr --example make_cases
dsr=$PWD/target/release/dsr
make_cases=$PWD/target/release/examples/make_cases
mkdir -p "$work"
# A minimal config, so that no user config is picked up.
echo 'language = "en"' > "$work/dsr.toml"

echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $(sha256sum --version | head -1)"

measure() { # label command...
    local label=$1; shift
    local times=() rss=() cpus=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -o "$work/time.out" -f '%e %M %U %S' "$@" >/dev/null 2>"$work/stderr.out" ||
            { cat "$work/stderr.out" >&2; exit 1; }
        read -r e m u s < <(tail -1 "$work/time.out")
        times+=("$e"); rss+=("$m"); cpus+=("$(echo "$u + $s" | bc)")
    done
    local median best cpu max_rss
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    best=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    max_rss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
    printf '  %-14s wall median %5s s, best %5s s; cpu (user+sys) median %5s s; peak RSS %7s KiB; runs [%s]\n' \
        "$label" "$median" "$best" "$cpu" "$max_rss" "${times[*]}"
}

dir="$work/$cases"
if [ ! -f "$dir/log.jsonl" ]; then
    rm -rf "$dir"
    "$make_cases" "$dir" "$cases"
fi
log="$dir/log.jsonl"
run() { "$dsr" --config "$work/dsr.toml" --data-dir "$dir" "$@"; }
run status >/dev/null 2>&1 # warm the page cache
echo "$cases cases: $(wc -l < "$log") lines, $(stat -c %s "$log") bytes; $(run status 2>/dev/null | tail -n +2 | grep -c OVERDUE) overdue"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure "status" "$dsr" --config "$work/dsr.toml" --data-dir "$dir" status
measure "status --json" "$dsr" --config "$work/dsr.toml" --data-dir "$dir" status --json
measure "status --ics" "$dsr" --config "$work/dsr.toml" --data-dir "$dir" status --ics "$work/deadlines.ics"
id=$(sed -n 2p "$log" | grep -o '"request":"r_[a-z2-7]*"' | cut -d'"' -f4)
measure "export" "$dsr" --config "$work/dsr.toml" --data-dir "$dir" evidence export "$id" --out "$work/bundle" --force
measure "bundle verify" "$dsr" evidence verify "$work/bundle"
measure "log verify" "$dsr" --config "$work/dsr.toml" --data-dir "$dir" log verify
measure "sha256sum" sha256sum "$log"
measure "wc -l" wc -l "$log"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
