#!/usr/bin/env bash
# Benchmark: what issue #18's durability changes cost, against the binary
# before them (OLD), in the same run, alternating. Figures go to
# BENCHMARKS.md by hand. Not a test.
#
#   OLD=/path/to/older/dsr benches/commit_window.sh [WORK_DIR] [ROUNDS]
#
# 1. `send --batch` of 1,000 rows to Postfix's smtp-sink on loopback (as
#    fast as the server answers): wall time, and the number of log commits
#    (fdatasync) and store syncs (fsync, syncfs) counted by `strace -c` in
#    a separate run. The new binary also stores each reply text as an
#    object (synced with the group) and commits outcomes every 100 ms.
# 2. 20 rows to a server that waits 1 s before answering each DATA
#    (`smtp-sink -w 1`, a slow remote server; -w takes whole seconds): the
#    outcomes written per log commit is the crash window (rows a crash
#    leaves "delivery unknown" although they arrived).
# 3. One `dsr send` to smtp-sink (hyperfine): the reply object adds a file
#    write and two fsyncs before the `sent` line.
# Installs postfix (smtp-sink) with apt if missing and root.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/dsr-commit-bench}
rounds=${2:-3}
: "${OLD:?set OLD to the older dsr binary}"
cargo build --release --quiet --bin dsr
new=$PWD/target/release/dsr

echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "new: $new; old: $OLD"

if ! command -v smtp-sink >/dev/null; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    echo "postfix postfix/mailname string dsr.test" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix >/dev/null
fi
rm -rf "$work" && mkdir -p "$work"
cp examples/subject-person.toml "$work/"
cd "$work"
fast=2531
slow=2532
smtp-sink -u nobody -c 127.0.0.1:$fast 256 >/dev/null 2>&1 &
p1=$!
smtp-sink -u nobody -w 1 -c 127.0.0.1:$slow 256 >/dev/null 2>&1 &
p2=$!
trap 'kill $p1 $p2 2>/dev/null || true' EXIT
sleep 0.5
config() { # port
    printf 'data_dir = "data"\nlanguage = "de"\n[sender]\nname = "Dr. Anna Beispiel"\norganisation = "Beispiel Handels GmbH"\nemail = "datenschutz@beispiel-handel.example"\n'
    printf 'calendar = "DE-BE"\n[smtp]\nhost = "127.0.0.1"\nport = %s\ntls = "none"\nretries = 0\n' "$1"
}
batch() { # n file
    echo "key,policy,kind,lang,subject" > "$2"
    for ((i = 0; i < $1; i++)); do
        if ((i % 2)); then echo "r$i,zendesk,erasure,de,subject-person.toml"; else echo "r$i,1blu,erasure,en,subject-person.toml"; fi
    done >> "$2"
}
run_batch() { # label bin port rows
    config "$3" > dsr.toml
    batch "$4" b.csv
    rm -rf data && sync
    local t0 t1
    t0=$(date +%s.%N)
    "$2" -q send --batch b.csv >/dev/null 2>"$work/stderr.out" || { cat "$work/stderr.out"; exit 1; }
    t1=$(date +%s.%N)
    local secs
    secs=$(echo "$t1 - $t0" | bc)
    printf '  %-4s %5d rows: %6.2f s, %6.1f msg/s\n' "$1" "$4" "$secs" "$(echo "$4 / $secs" | bc -l)"
}
count_syncs() { # label bin port rows
    config "$3" > dsr.toml
    batch "$4" b.csv
    rm -rf data && sync
    strace -f -c -e trace=fdatasync,fsync,syncfs -o counts.txt "$2" -q send --batch b.csv >/dev/null 2>&1
    local fd fs sf
    fd=$(awk '$NF=="fdatasync"{print $4}' counts.txt); fs=$(awk '$NF=="fsync"{print $4}' counts.txt)
    sf=$(awk '$NF=="syncfs"{print $4}' counts.txt)
    printf '  %-4s %5d rows: %4s log commits (fdatasync), %4s fsync, %4s syncfs; %5.1f outcomes per commit\n' \
        "$1" "$4" "${fd:-0}" "${fs:-0}" "${sf:-0}" "$(echo "$4 / ${fd:-1}" | bc -l)"
}

echo "== 1. send --batch, 1,000 rows, smtp-sink answering at once"
for ((r = 0; r < rounds; r++)); do run_batch old "$OLD" $fast 1000; run_batch new "$new" $fast 1000; done
count_syncs old "$OLD" $fast 1000
count_syncs new "$new" $fast 1000

echo "== 2. send --batch, 20 rows, smtp-sink waiting 1 s per DATA"
count_syncs old "$OLD" $slow 20
count_syncs new "$new" $slow 20

echo "== 3. one dsr send to smtp-sink"
config $fast > dsr.toml
rm -rf data
hyperfine -N -w 3 -r 30 \
    -n old "$OLD -q send --to zendesk --kind erasure --subject subject-person.toml" \
    -n new "$new -q send --to zendesk --kind erasure --subject subject-person.toml" 2>&1 | grep -E "^(Benchmark|  Time|  Range|    )" || true
