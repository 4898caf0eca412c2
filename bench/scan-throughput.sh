#!/usr/bin/env bash
# Scan throughput on one core over every Debian crate source installed (/usr/share/cargo/registry), next to
# ripgrep counting `unsafe` in the same .rs files with one thread: the floor for "reading and looking at every byte".
# Needs the librust-*-dev packages of ../shared/corpus/DEBIAN_CRATES.md, ripgrep and hyperfine.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
registry=/usr/share/cargo/registry
[ -d "$registry" ] || { echo "no $registry: install the packages listed in ../shared/corpus/DEBIAN_CRATES.md" >&2; exit 2; }
bytes=$(find "$registry" -name '*.rs' -type f -print0 | xargs -0 cat | wc -c)
echo "Rust source: $bytes bytes in $(find "$registry" -name '*.rs' -type f | wc -l) files"
# Warm the page cache so both sides read from memory.
find "$registry" -name '*.rs' -type f -print0 | xargs -0 cat > /dev/null
hyperfine --warmup 2 --runs 10 --export-json "$repo/target/rg-unsafe.json" \
  "taskset -c 0 rg -j1 -c unsafe -g '*.rs' --no-ignore $registry"
"$repo/bench/run-jmh.sh" ScanBench -rf json -rff "$repo/target/scan-bench.json"
python3 - "$bytes" "$repo/target/rg-unsafe.json" "$repo/target/scan-bench.json" <<'PY'
import json, sys
total = int(sys.argv[1])
rg = json.load(open(sys.argv[2]))["results"][0]["mean"]
print(f"rg -j1 -c unsafe: {rg*1000:.0f} ms, {total/rg/1e6:.0f} MB/s")
for b in json.load(open(sys.argv[3])):
    ms = b["primaryMetric"]["score"]
    name = b["benchmark"].rsplit(".", 1)[1]
    print(f"warden {name}: {ms:.0f} ms, {total/(ms/1000)/1e6:.0f} MB/s per core, {ms/1000/rg:.1f}x rg")
PY
