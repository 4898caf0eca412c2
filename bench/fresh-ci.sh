#!/usr/bin/env bash
# Issue 12's benchmark: a fresh CI job on the seed attack project — unpack the distribution, first `warden gate`
# with every crate downloaded from a crates.io stand-in on loopback — against the same job's `cargo fetch`; and
# crate download throughput, Warden (`scan`, which reads every locked crate) against `cargo fetch`, on a project
# depending on real crates (Debian's librust-*-dev sources, published to the loopback registry).
# Needs: the distribution (mvn package), cargo, hyperfine, the Debian crate sources (.ci/run installs them).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="$(ls "$repo"/target/warden-*.tar.gz | head -1)"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/tools" && tar -xzf "$dist" -C "$work/tools" --strip-components=1
warden="$work/tools/bin/warden"
export PATH="$HOME/.cargo/bin:$PATH"

# The registry: the attack's three crates, then every Debian crate source.
registry="$work/registry"
for d in rust-utilities-v2-2.1.0 rust-utilities-v2-2.1.1 url-parse-0.1.0; do
  "$warden" registry publish "$repo/examples/attack/vendor/$d" --registry "$registry" >/dev/null
done
for d in /usr/share/cargo/registry/*/; do
  "$warden" registry publish "$d" --registry "$registry" >/dev/null 2>&1 || true
done
"$warden" registry serve "$registry" --port 0 > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q 'sparse+http' "$work/serve.log" && break; sleep 0.2; done
index="$(grep -o 'sparse+http://127.0.0.1:[0-9]*/' "$work/serve.log" | head -1)"

project() { # DIR DEPENDENCIES...
  mkdir -p "$1/src" "$1/.cargo"
  printf '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n' > "$1/Cargo.toml"
  shift_dir="$1"; shift
  for dep in "$@"; do echo "$dep" >> "$shift_dir/Cargo.toml"; done
  echo 'fn main() {}' > "$shift_dir/src/main.rs"
  printf '[source.crates-io]\nreplace-with = "loopback"\n\n[source.loopback]\nregistry = "%s"\n' "$index" \
    > "$shift_dir/.cargo/config.toml"
}

# The seed attack: the lockfile before (2.1.0) and after the update (2.1.1 pulls in url-parse).
project "$work/seed" 'rust-utilities-v2 = "=2.1.0"'
# Cargo reads .cargo/config.toml from the directory it runs in, so every cargo call runs in the project.
(cd "$work/seed" && CARGO_HOME="$work/lock-home" cargo generate-lockfile -q)
mv "$work/seed/Cargo.lock" "$work/seed/before.lock"
sed -i 's/=2.1.0/2.1/' "$work/seed/Cargo.toml"
(cd "$work/seed" && CARGO_HOME="$work/lock-home" cargo generate-lockfile -q)

# Throughput: real crates.
project "$work/real" 'regex = "1"' 'serde_json = "1"' 'syn = { version = "1", features = ["full"] }' \
  'clap = "3"' 'rand = "0.8"' 'flate2 = "1"' 'nom = "7"' 'petgraph = "0.6"' 'env_logger = "0.9"' 'anyhow = "1"' \
  'thiserror = "1"' 'ring = "0.16"' 'libc = "0.2"' 'memchr = "2"' 'smallvec = "1"' 'indexmap = "1"'
(cd "$work/real" && CARGO_HOME="$work/lock-home" cargo generate-lockfile -q)
echo "seed: $(grep -c '^name' "$work/seed/Cargo.lock") packages; real: $(grep -c '^name' "$work/real/Cargo.lock") packages"

job="$work/job"
fresh="bash -c 'rm -rf $job && mkdir -p $job'"
cd "$work"
unpack="tar -xzf $dist -C $job && CARGO_HOME=$job/cargo WARDEN_CACHE_DIR=$job/cache $job/warden-*/bin/warden"
hyperfine -N --warmup 2 --runs 20 --export-markdown "$work/fresh-ci.md" \
  --prepare "$fresh" -n 'unpack the distribution' "bash -c 'tar -xzf $dist -C $job'" \
  --prepare "$fresh" -n 'seed: unpack + warden gate (downloads 3 crates, blocks)' \
  "bash -c '$unpack gate seed --base seed/before.lock --store $job/d.db > /dev/null; [ \$? -eq 1 ]'" \
  --prepare "$fresh" -n 'seed: cargo fetch' "bash -c 'cd seed && CARGO_HOME=$job/cargo cargo fetch --locked -q'"
hyperfine -N --warmup 1 --runs 10 --export-markdown "$work/real.md" \
  --prepare "$fresh" -n 'real: unpack + warden gate (downloads and judges 63 crates)' \
  "bash -c '$unpack gate real --store $job/d.db > /dev/null; true'" \
  --prepare "$fresh" -n 'real: warden scan, distribution already unpacked (downloads and reads 63 crates)' \
  "bash -c 'CARGO_HOME=$job/cargo WARDEN_CACHE_DIR=$job/cache $warden scan real > /dev/null; true'" \
  --prepare "$fresh" -n 'real: cargo fetch' "bash -c 'cd real && CARGO_HOME=$job/cargo cargo fetch --locked -q'"
cat "$work/fresh-ci.md" "$work/real.md"
(cd real && CARGO_HOME=$job/cargo cargo fetch --locked -q)
echo "crate bytes fetched for real: $(du -sb "$job/cargo/registry/cache" | cut -f1)"
