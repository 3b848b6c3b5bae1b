#!/usr/bin/env bash
# Benchmark: `dsr send --batch` (issue 7). Figures go to BENCHMARKS.md by
# hand. Not a test.
#
#   benches/batch.sh [WORK_DIR] [ROWS] [SMTP_ROWS]
#
# 1. Outbox route (no [smtp]): ROWS (default 10,000) rows of one CSV file,
#    each validated (render + MIME), then rendered and built again, its 5
#    objects stored (fsync each), `prepared` group-committed, the .eml
#    written to the outbox (fsync) and `outboxed` group-committed: the whole
#    non-network path. Same-run baselines over the files it produced:
#    `cp -r` of objects/ and outbox/ plus one `sync` (writing the same
#    files without per-file fsync), and `sha256sum` over every object.
#    Also `--dry-run` (validation only: nothing touches the disk).
# 2. SMTP: SMTP_ROWS (default 1,000) rows to Postfix's smtp-sink on
#    loopback over one connection, against `smtp-source -s 1 -d` sending
#    the same number of messages of the same size to the same sink. Then
#    examples/smtp_rate.rs: dsr's Mailer alone on one connection, with its
#    one-write path and with lettre's stock two-write path (the Nagle
#    stall, rust-stack.md §1).
#    Installs postfix with apt (rust-stack.md §4b) if smtp-sink is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/dsr-batch-bench}
rows=${2:-10000}
smtp_rows=${3:-1000}
port=2527
cargo build --release --quiet --bin dsr --example smtp_rate
dsr=$PWD/target/release/dsr
smtp_rate=$PWD/target/release/examples/smtp_rate

echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"

rm -rf "$work" && mkdir -p "$work"
cp examples/subject-person.toml "$work/"
cat > "$work/dsr.toml" <<'EOF'
data_dir = "data"
language = "de"

[sender]
name = "Dr. Anna Beispiel"
organisation = "Beispiel Handels GmbH"
email = "datenschutz@beispiel-handel.example"
calendar = "DE-BE"
EOF
batch() { # n file
    echo "key,policy,kind,lang,subject" > "$2"
    for ((i = 0; i < $1; i++)); do
        if ((i % 2)); then echo "r$i,zendesk,erasure,de,subject-person.toml"; else echo "r$i,1blu,erasure,en,subject-person.toml"; fi
    done >> "$2"
}
timed() { # label command... ; prints wall, cpu, peak RSS
    local label=$1; shift
    /usr/bin/time -o "$work/time.out" -f '%e %M %U %S' "$@" >/dev/null 2>"$work/stderr.out" || { cat "$work/stderr.out"; exit 1; }
    read -r e m u s < "$work/time.out"
    printf '  %-28s %7.2f s wall, %6.2f s cpu (user %s + sys %s), peak RSS %6d KiB\n' "$label" "$e" "$(echo "$u + $s" | bc)" "$u" "$s" "$m"
    echo "$e" > "$work/last"
}

echo "== 1. outbox route, $rows rows"
cd "$work"
batch "$rows" b.csv
sync
timed "dsr send --batch --dry-run" "$dsr" -q send --batch b.csv --dry-run
echo "     $(echo "scale=0; $rows / $(cat last)" | bc) rows/s validated (render + MIME, no disk)"
timed "dsr send --batch (outbox)" "$dsr" -q send --batch b.csv
echo "     $(echo "scale=0; $rows / $(cat last)" | bc) requests/s"
objects=$(find data/objects -type f | wc -l)
emls=$(find data/outbox -type f | wc -l)
echo "     produced $objects objects, $emls .eml files, $(du -sh data | cut -f1), log $(wc -l < data/log.jsonl) lines"
rm -rf copy && sync
timed "cp -r objects outbox + sync" sh -c 'mkdir copy && cp -r data/objects data/outbox copy/ && sync'
timed "sha256sum every object" sh -c 'find data/objects -type f -print0 | xargs -0 sha256sum'
timed "dsr send --batch (rerun, all skipped)" "$dsr" -q send --batch b.csv

echo "== 2. SMTP, $smtp_rows messages to smtp-sink on 127.0.0.1:$port"
if ! command -v smtp-sink >/dev/null; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    echo "postfix postfix/mailname string dsr.test" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix >/dev/null
fi
smtp-sink -u nobody -c 127.0.0.1:$port 256 >/dev/null 2>&1 &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
sleep 0.5
rm -rf data
printf '\n[smtp]\nhost = "127.0.0.1"\nport = %s\ntls = "none"\nretries = 0\n' "$port" >> dsr.toml
batch "$smtp_rows" s.csv
sync
timed "dsr send --batch (smtp)" "$dsr" -q send --batch s.csv
dsr_rate=$(echo "scale=1; $smtp_rows / $(cat last)" | bc)
echo "     $dsr_rate messages/s"
size=$(find data/objects -type f -size +3k -exec wc -c {} + | grep -v total | awk '{s+=$1; n++} END {printf "%d", s/n}')
echo "     average message object size: $size bytes (the largest objects: messages)"
timed "smtp-source -s 1 -d -l $size" smtp-source -s 1 -m "$smtp_rows" -l "$size" -d -f a@example.org -t b@example.org 127.0.0.1:$port
src_rate=$(echo "scale=1; $smtp_rows / $(cat last)" | bc)
echo "     $src_rate messages/s; dsr reaches $(echo "scale=1; 100 * $dsr_rate / $src_rate" | bc) % of smtp-source"
"$smtp_rate" 127.0.0.1:$port "$smtp_rows" "$size" | sed 's/^/  Mailer alone, /'
