#!/usr/bin/env bash
# The gate step of Warden's GitHub Action (action.yml): refresh the advisory data if it is stale, run the gate once
# for three reports (JSON for the log and artifacts, Markdown for the pull-request comment, SARIF for code
# scanning), write the supply-chain report (HTML artifact, summary under the comment), post or update the comment, and hand the decision to the next steps through GITHUB_OUTPUT. The job
# itself fails in the action's last step, after the SARIF upload, so a blocked change still shows its alerts.
# Inputs (environment): WARDEN (the launcher), INPUT_PROJECT, INPUT_BASE, INPUT_COMMENT, GITHUB_* as Actions sets them.
set -uo pipefail
warden="${WARDEN:-warden}"
project="${INPUT_PROJECT:-.}"
base="${INPUT_BASE:-}"
out="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/warden-reports"
mkdir -p "$out"

# Fresh advisory data when the embedded snapshot is stale; offline or failing, the embedded data is used.
# (WARDEN_ADVISORY_DB_URL: another git URL for the advisory-db, e.g. an internal mirror.)
"$warden" db update --if-stale ${WARDEN_ADVISORY_DB_URL:+--url "$WARDEN_ADVISORY_DB_URL"} \
  || echo "::warning::warden: could not refresh the advisory data; using the embedded snapshot"

if [ -n "$base" ] && command -v git >/dev/null 2>&1 && ! git -C "$project" cat-file -e "$base^{commit}" 2>/dev/null; then
  # A shallow checkout (actions/checkout's default fetch-depth: 1) does not have the base commit: fetch just it.
  git -C "$project" fetch --no-tags --depth=1 origin "$base" >/dev/null 2>&1 \
    || echo "::warning::warden: could not fetch the base $base; use actions/checkout with fetch-depth: 0"
fi

args=(gate "$project" --format json --output "$out/gate.json" --report "markdown=$out/comment.md"
  --report "sarif=$out/warden.sarif")
[ -n "$base" ] && args+=(--base "$base")
status=0
"$warden" "${args[@]}" || status=$?
if [ "$status" -ge 2 ]; then
  echo "::error::warden gate could not decide (exit $status)"
  echo "status=$status" >> "${GITHUB_OUTPUT:-/dev/null}"
  echo "decision=error" >> "${GITHUB_OUTPUT:-/dev/null}"
  exit 0
fi
decision=pass
[ "$status" -eq 1 ] && decision=blocked

# The supply-chain report of the project's history on this runner, as an artifact, and its summary under the
# comment, linking to the run whose artifacts hold it. A report that cannot be made costs a warning, not the gate.
run_url=""
[ -n "${GITHUB_RUN_ID:-}" ] && run_url="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-}/actions/runs/$GITHUB_RUN_ID"
if "$warden" report "$project" --output "$out/report.html" >/dev/null \
    && "$warden" report "$project" --format markdown --summary ${run_url:+--link "$run_url"} --output "$out/summary.md"; then
  [ -f "$out/comment.md" ] && { echo; cat "$out/summary.md"; } >> "$out/comment.md"
  echo "report=$out/report.html" >> "${GITHUB_OUTPUT:-/dev/null}"
else
  echo "::warning::warden: could not write the supply-chain report"
fi
[ -f "$out/comment.md" ] && cat "$out/comment.md" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"

if [ "${INPUT_COMMENT:-true}" = "true" ] && [ -n "${GITHUB_EVENT_PATH:-}" ] \
    && grep -q '"pull_request"' "$GITHUB_EVENT_PATH" 2>/dev/null; then
  "$warden" pr-comment "$out/comment.md" || echo "::warning::warden: could not post the pull-request comment"
fi
{
  echo "status=$status"
  echo "decision=$decision"
  echo "sarif=$out/warden.sarif"
} >> "${GITHUB_OUTPUT:-/dev/null}"
echo "warden gate: $decision"
