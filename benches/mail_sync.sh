#!/usr/bin/env bash
# Benchmark: `dsr mail sync` of a mailbox of 10,000 messages (first sync,
# +100 incremental, nothing new) against a real Dovecot on loopback, with
# two same-run baselines over the same messages: `doveadm fetch` (Dovecot
# reading its Maildir) and one plain IMAP `UID FETCH 1:*` with Python's
# imaplib. Figures go to BENCHMARKS.md by hand. Not a test.
#
#   benches/mail_sync.sh
#
# Builds the release binary, then runs the ignored e2e test
# `bench_mail_sync_10k` (tests/e2e/mailbox.rs: it starts Dovecot, fills the
# Maildir and times each command with /usr/bin/time) with that binary.
# Prints wall time and peak RSS per command, the machine and the load
# average: on a shared machine wall times vary.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin dsr
export DSR_BENCH_BIN=$PWD/target/release/dsr
export DSR_TEST_PYTHON=${DSR_TEST_PYTHON:-$PWD/.venv/bin/python}
echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $(dovecot --version 2>/dev/null || /usr/sbin/dovecot --version); $(python3 --version)"
echo "binary: $(stat -c %s "$DSR_BENCH_BIN") bytes"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(mktemp)
if ! cargo test --quiet --test e2e bench_mail_sync_10k -- --ignored --nocapture >"$out" 2>&1; then
    tail -40 "$out" >&2
    exit 1
fi
grep -E '^(dsr|doveadm|imaplib)|test result' "$out"
rm -f "$out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
