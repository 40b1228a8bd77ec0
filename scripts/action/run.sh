#!/usr/bin/env bash
# action.yml step "Run dataops-ci": `dataops-ci run --github` (or `comment` for the second stage).
# Every input arrives through env; nothing from the pull request is ever expanded into this script.
set -euo pipefail
report_dir="$DATAOPS_REPORT_DIR"
mkdir -p "$report_dir"

if [ "${DATAOPS_COMMAND:-run}" = "comment" ]; then
  report="${DATAOPS_REPORT:-$report_dir/report.json}"
  args=(comment --report "$report")
  pr="${DATAOPS_PR_NUMBER:-}"
  if [ -z "$pr" ]; then
    # A fork's workflow_run names no pull request: take the number the first stage recorded in its
    # report. Untrusted, so digits only here, and `dataops-ci comment` checks that this pull request is
    # the one the triggering run was for (same head commit or branch) before posting anything.
    pr="$(python3 -c 'import json, sys; n = json.load(open(sys.argv[1])).get("context", {}).get("pr_number"); print(n if isinstance(n, int) else "")' "$report" 2>/dev/null || true)"
  fi
  if [[ "$pr" =~ ^[0-9]{1,9}$ ]]; then
    args+=(--pr "$pr")
  fi
  exec "$DATAOPS_BIN" "${args[@]}"
fi

args=(run --github --fail-on "${DATAOPS_FAIL_ON:-error}" --report-json "$report_dir/report.json")
args+=(--sarif "$report_dir/report.sarif" --junit "$report_dir/report.junit.xml")
if [ -n "${DATAOPS_CONFIG:-}" ]; then
  args+=(--config "$DATAOPS_CONFIG")
fi
checks="$(printf '%s' "${DATAOPS_CHECKS:-}" | tr '\n' ',' | tr -d ' ')"
checks="${checks%,}"
if [ -n "$checks" ]; then
  args+=(--checks "$checks")
fi
if [ -n "${DATAOPS_BASE:-}" ]; then
  args+=(--base "$DATAOPS_BASE")
fi
if [ "${DATAOPS_ALL_FILES:-false}" = "true" ]; then
  args+=(--all-files)
fi
if [ "${DATAOPS_DATA_DOCS:-false}" = "true" ]; then
  args+=(--data-docs "$report_dir/data-docs")
fi
if [ "${DATAOPS_COMMENT:-true}" = "true" ]; then
  args+=(--comment)
fi
if [ "${DATAOPS_DOCS_SITE:-false}" != "true" ]; then
  exec "$DATAOPS_BIN" "${args[@]}"
fi
# The docs site after the run, with its quality scores; the run's exit code is the step's.
code=0
"$DATAOPS_BIN" "${args[@]}" || code=$?
docs_args=(docs --out "$report_dir/site" --report "$report_dir/report.json")
if [ -n "${DATAOPS_CONFIG:-}" ]; then
  docs_args+=(--config "$DATAOPS_CONFIG")
fi
"$DATAOPS_BIN" "${docs_args[@]}" || { echo "::warning::dataops-ci docs could not write the site"; }
exit "$code"
