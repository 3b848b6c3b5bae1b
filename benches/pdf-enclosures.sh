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
# qpdf) and a JPEG of its first page at 300 dpi.
"$BIN" render $args --pdf own.pdf >/dev/null
qpdf --empty --pages own.pdf own.pdf own.pdf -- many.pdf
qpdf --empty --pages many.pdf 1-10 -- ten.pdf
pdftoppm -r 300 -f 1 -l 1 -jpeg -jpegopt quality=97 -singlefile own.pdf photo
echo "enclosures: $(qpdf --show-npages ten.pdf) pages, $(stat -c %s ten.pdf) B; photo.jpg $(stat -c %s photo.jpg) B"
n=${N:-20}
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine --warmup 3 --runs "$n" --shell=none --style basic --export-json "$tmp/enc.json" \
    "$BIN render $args --pdf $tmp/plain.pdf" \
    "$BIN render $args --attach $tmp/ten.pdf --attach $tmp/photo.jpg --pdf $tmp/enclosed.pdf"
python3 - "$tmp/enc.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    name = "with enclosures" if "--attach" in r["command"] else "without"
    print(f'{name}: median {r["median"]*1000:.1f} ms, mean {r["mean"]*1000:.1f} ms, '
          f'min {r["min"]*1000:.1f} ms, max {r["max"]*1000:.1f} ms')
PY
echo "pages: $(qpdf --show-npages plain.pdf) without, $(qpdf --show-npages enclosed.pdf) with; sizes $(stat -c %s plain.pdf) B, $(stat -c %s enclosed.pdf) B"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
