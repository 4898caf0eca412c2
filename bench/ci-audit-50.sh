#!/usr/bin/env bash
# Builds the ci-audit benchmark repository: 50 GitHub workflow files (the test fixtures modelled on real Rust CI,
# release and deploy workflows, repeated), a local composite action and a GitLab pipeline with a local include.
# Usage: bench/ci-audit-50.sh DIR, then: hyperfine -N -w 5 -r 30 "./warden ci-audit DIR"
set -euo pipefail
out="${1:?usage: bench/ci-audit-50.sh DIR}"
src="$(dirname "$0")/../src/test/resources/ci-audit"
rm -rf "$out" && mkdir -p "$out/.github/workflows" "$out/.github/actions"
cp -r "$src/deploy-clouds/.github/actions/setup-rust" "$out/.github/actions/"
workflows=(rust-ci/.github/workflows/ci.yml release-static-keys/.github/workflows/release.yml
  release-oidc/.github/workflows/release.yml release-oidc/.github/workflows/triage.yml
  pwn-request/.github/workflows/benchmarks.yml deploy-clouds/.github/workflows/deploy.yml)
for i in $(seq 0 49); do
  file="${workflows[$((i % ${#workflows[@]}))]}"
  cp "$src/$file" "$out/.github/workflows/w$i-$(basename "$file")"
done
cp -r "$src/gitlab/.gitlab-ci.yml" "$src/gitlab/ci" "$out/"
