#!/usr/bin/env bash
# action.yml: the quality history branch. `fetch` (before a pull request's run: the comment's trend) or
# `record` (after a push to the default branch: append this run; the only use that needs contents: write).
# Every input arrives through env; the token reaches git through GIT_CONFIG_* env vars, never a file.
set -euo pipefail
mode="$1"
branch="${DATAOPS_HISTORY_BRANCH:-dataops-ci-history}"
if [ -n "${GITHUB_TOKEN:-}" ] && [ -n "${GITHUB_SERVER_URL:-}" ]; then
  basic="$(printf 'x-access-token:%s' "$GITHUB_TOKEN" | base64 | tr -d '\n')"
  echo "::add-mask::$basic"
  export GIT_CONFIG_COUNT=1
  export GIT_CONFIG_KEY_0="http.${GITHUB_SERVER_URL}/.extraheader"
  export GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $basic"
fi
if [ "$mode" = "fetch" ]; then
  # No history yet (or no access) is not an error: the comment then shows no trend.
  git fetch --quiet --no-tags origin "+refs/heads/$branch:refs/remotes/origin/$branch" 2>/dev/null || \
    echo "dataops-ci: no quality history branch '$branch' to show a trend from" >&2
  exit 0
fi
report="${DATAOPS_REPORT:-$DATAOPS_REPORT_DIR/report.json}"
args=(history)
if [ -n "${DATAOPS_CONFIG:-}" ]; then
  args+=(--config "$DATAOPS_CONFIG")
fi
args+=(--branch "$branch" record --report "$report")
if [ -n "${DATAOPS_HISTORY_COMMIT:-}" ]; then
  args+=(--commit "$DATAOPS_HISTORY_COMMIT")
fi
exec "$DATAOPS_BIN" "${args[@]}"
