#!/usr/bin/env bash
# PDF letter render time (issue 14): `dsr render --pdf` against the same
# letter rendered as text (`dsr render`), 100 runs each, in one run of
# hyperfine, so the difference is the PDF (layout, font subsetting,
# PDF/A-2b serialisation) and not the machine's load. Not a test: the
# figures go to BENCHMARKS.md.
#
#   benches/pdf.sh                  # builds --release first
#   BIN=/path/to/dsr N=100 benches/pdf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN="$repo/target/release/dsr"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export HOME="$tmp" DSR_CONFIG="$tmp/dsr.toml"
printf '[sender]\nname = "Dr. Anna Beispiel"\naddress = ["Musterstraße 12", "10115 Berlin"]\nemail = "datenschutz@beispiel-handel.example"\n' > dsr.toml
# The example subject with a postal address (a letter for post needs one
# for its return line).
sed 's/^email = \(.*\)$/email = \1\naddress = ["Hauptstraße 3", "10115 Berlin"]/' \
    "$repo/examples/subject-person.toml" > "$tmp/subject.toml"
n=${N:-100}
args="--to facebook --kind erasure --lang de --subject $tmp/subject.toml --via post"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine --warmup 5 --runs "$n" --shell=none --style basic --export-json "$tmp/pdf.json" \
    "$BIN render $args" "$BIN render $args --pdf $tmp/letter.pdf"
python3 - "$tmp/pdf.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["command"].split(" --to")[0].split("/")[-1]}{" --pdf" if "--pdf" in r["command"] else ""}: '
          f'median {r["median"]*1000:.1f} ms, min {r["min"]*1000:.1f} ms, max {r["max"]*1000:.1f} ms')
PY
ls -l "$tmp/letter.pdf" | awk '{print "PDF size:", $5, "bytes"}'
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
