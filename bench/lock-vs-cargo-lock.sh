#!/usr/bin/env bash
# Whole-process comparison for the foundation issue: `warden lock` against the Rust `cargo-lock list` CLI on
# foundry's 1,209-package lockfile. cargo-lock cannot read format 4, so both read a copy declared as version 3.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="$repo/src/test/resources/corpus/lockfiles/foundry-rs__foundry/Cargo.lock"
copy="$(mktemp -d)/Cargo.lock"
sed 's/^version = 4$/version = 3/' "$lock" > "$copy"
"$repo/warden" --version >/dev/null   # build the jar and the AOT cache first
hyperfine -N --warmup 5 --runs 30 \
  "cargo-lock list -f $copy" \
  "$repo/warden lock $copy" \
  "$repo/warden lock --format json $copy" \
  "$@"
