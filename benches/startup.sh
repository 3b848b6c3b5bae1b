#!/usr/bin/env bash
# Startup time of dsr with ~3,000 embedded policies (issue 8): `dsr --help`
# and `dsr policy show zendesk` must stay under 50 ms. Not a test: the
# figures go to BENCHMARKS.md. Uses hyperfine if installed
# (`apt-get install hyperfine`), else a timed loop of N runs.
#
#   benches/startup.sh            # builds --release first
#   N=50 benches/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$PWD/target/release/dsr"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"   # no dsr.toml here: the embedded defaults
export HOME="$tmp"
n=${N:-30}
# Same-run baselines: process start-up alone (/bin/true) and printing a
# policy file (cat), so dsr's figures can be read against the machine's load.
cmds=("/bin/true" "cat $OLDPWD/policies/zendesk.toml"
      "$bin --help" "$bin policy show zendesk" "$bin policy show google" "$bin authority show ie-dpc"
      "$bin policy list --search google")
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "policies embedded: $(ls "$OLDPWD/policies/imported" | grep -c '\.toml$') imported + curated"
if command -v hyperfine >/dev/null; then
    hyperfine --warmup 3 --runs "$n" --shell=none --style basic "${cmds[@]}"
else
    for c in "${cmds[@]}"; do
        start=$(date +%s%N)
        for _ in $(seq "$n"); do $c >/dev/null; done
        end=$(date +%s%N)
        echo "$c: mean $(( (end - start) / n / 1000 )) µs over $n runs"
    done
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
