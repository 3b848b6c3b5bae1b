#!/usr/bin/env bash
# Render time of the letter for post with enclosures (issue 14): the same
# letter as PDF without attachments (the same-run baseline) and with a
# 10-page PDF and a ~2 MB JPEG appended. Not a test: the figures go to
# BENCHMARKS.md. Needs poppler-utils and qpdf (to make the enclosures).
#
#   BIN=/path/to/dsr N=20 benches/pdf-enclosures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
BIN=${BIN:-$repo/target/release/dsr}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export HOME="$tmp" DSR_CONFIG="$tmp/dsr.toml"
printf '[sender]\nname = "Dr. Anna Beispiel"\naddress = ["Musterstraße 12", "10115 Berlin"]\nemail = "datenschutz@beispiel-handel.example"\n' > dsr.toml
sed 's/^email = \(.*\)$/email = \1\naddress = ["Hauptstraße 3", "10115 Berlin"]/' \
    "$repo/examples/subject-person.toml" > "$tmp/subject.toml"
args="--to facebook --kind erasure --lang de --subject $tmp/subject.toml --via post"
# The enclosures: a 10-page PDF (dsr's own letter, pages repeated by
# qpdf) and a JPEG of its first page at 400 dpi.
"$BIN" render $args --pdf own.pdf >/dev/null
qpdf --empty --pages own.pdf own.pdf own.pdf -- many.pdf
qpdf --empty --pages many.pdf 1-10 -- ten.pdf
pdftoppm -r 400 -f 1 -l 1 -jpeg -jpegopt quality=100 -singlefile own.pdf photo
echo "enclosures: $(qpdf --show-npages ten.pdf) pages, $(stat -c %s ten.pdf) B; photo.jpg $(stat -c %s photo.jpg) B"
n=${N:-20}
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
# hyperfine is not on every machine: the runs are timed here, the two
# commands alternating so both see the same load.
python3 - "$BIN" "$n" "$tmp" $args <<'PY'
import statistics, subprocess, sys, time
bin, n, tmp, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
cmds = {
    "without": [bin, "render", *args, "--pdf", f"{tmp}/plain.pdf"],
    "with enclosures": [bin, "render", *args, "--attach", f"{tmp}/ten.pdf", "--attach", f"{tmp}/photo.jpg",
                        "--pdf", f"{tmp}/enclosed.pdf"],
}
times = {k: [] for k in cmds}
for i in range(n + 3):
    for k, c in cmds.items():
        t = time.perf_counter()
        subprocess.run(c, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i >= 3:
            times[k].append(time.perf_counter() - t)
for k, v in times.items():
    print(f"{k}: {len(v)} runs, median {statistics.median(v)*1000:.1f} ms, "
          f"min {min(v)*1000:.1f} ms, max {max(v)*1000:.1f} ms")
PY
echo "pages: $(qpdf --show-npages plain.pdf) without, $(qpdf --show-npages enclosed.pdf) with; sizes $(stat -c %s plain.pdf) B, $(stat -c %s enclosed.pdf) B"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
