#!/usr/bin/env bash
# Benchmark: one `dsr send` (a whole request: validate, render, MIME, store
# every object, log `prepared`, deliver, log the outcome), to the outbox and
# to Postfix's smtp-sink on loopback. Figures go to BENCHMARKS.md by hand.
# Not a test.
#
#   benches/send.sh [WORK_DIR] [RUNS]
#   OLD=/path/to/older/dsr benches/send.sh     # the same commands with an older binary, same run
#
# Each command runs RUNS times (default 30) with hyperfine if installed
# (`apt-get install hyperfine`), else a timed loop. Same-run baselines:
# process start-up (`/bin/true`), writing and fsyncing a file of the
# message's size (`dd … conv=fsync`), and for SMTP `smtp-source -m 1` (one
# message of the same size to the same sink). Each `dsr send` appends to
# the same evidence log, which grows by two lines per run (the log is
# opened and its last line read, not scanned, so this does not matter).
# Installs postfix with apt if smtp-sink is missing and this runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/dsr-send-bench}
runs=${2:-30}
port=2528
cargo build --release --quiet --bin dsr
new=$PWD/target/release/dsr
bins=("$new")
[ -n "${OLD:-}" ] && bins+=("$OLD")

echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"

rm -rf "$work" && mkdir -p "$work"
cp examples/subject-person.toml "$work/"
cd "$work"
config() { # data_dir [smtp port]
    printf 'data_dir = "%s"\nlanguage = "de"\n' "$1"
    if [ -n "${2:-}" ]; then
        printf '\n[smtp]\nhost = "127.0.0.1"\nport = %s\ntls = "none"\nretries = 0\n' "$2"
    fi
}
bench() { # label command... (no argument may contain a space)
    if command -v hyperfine >/dev/null; then
        echo "  $1"
        hyperfine --warmup 3 --runs "$runs" --shell=none --style basic -n "$1" "${*:2}" 2>&1 | grep -E 'Time|Range'
    else
        local start end
        start=$(date +%s%N)
        for _ in $(seq "$runs"); do "${@:2}" >/dev/null 2>&1; done
        end=$(date +%s%N)
        echo "  $1: mean $(( (end - start) / runs / 1000 )) µs over $runs runs"
    fi
}
send_args=(-q send --to zendesk --kind erasure --lang de --subject subject-person.toml)

echo "== baselines"
bench "/bin/true" /bin/true
bench "dd 8 KiB + fsync" dd if=/dev/zero of=dd.out bs=8k count=1 conv=fsync status=none

echo "== 1. outbox (no [smtp])"
for bin in "${bins[@]}"; do
    d="data-$(echo "$bin" | sha256sum | cut -c1-8)"
    config "$d" > "out-$d.toml"
    bench "$bin send (outbox)" "$bin" --config "out-$d.toml" "${send_args[@]}"
done

echo "== 2. SMTP to smtp-sink on 127.0.0.1:$port"
if ! command -v smtp-sink >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
        echo "postfix postfix/mailname string dsr.test" | debconf-set-selections
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix >/dev/null
    else
        echo "smtp-sink missing: sudo apt-get install postfix" >&2
        exit 1
    fi
fi
smtp-sink -u nobody -c 127.0.0.1:$port 256 >/dev/null 2>&1 &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
sleep 0.5
for bin in "${bins[@]}"; do
    d="smtp-$(echo "$bin" | sha256sum | cut -c1-8)"
    config "$d" "$port" > "smtp-$d.toml"
    bench "$bin send (smtp)" "$bin" --config "smtp-$d.toml" "${send_args[@]}"
done
size=$(find smtp-*/objects -type f -size +3k -exec wc -c {} + | grep -v total | awk '{s+=$1; n++} END {printf "%d", s/n}')
bench "smtp-source -m 1 -l $size" smtp-source -m 1 -l "$size" -f a@example.org -t b@example.org 127.0.0.1:$port
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
