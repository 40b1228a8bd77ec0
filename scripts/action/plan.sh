#!/usr/bin/env bash
# action.yml step "Plan the install": pick the Python, the extras and the cache key; see whether the
# environment is already there (persistent self-hosted runner). Inputs arrive only through env.
set -euo pipefail
python="${SETUP_PYTHON:-}"
if [ -z "$python" ]; then
  python="$(command -v python3 || true)"
fi
if [ -z "$python" ]; then
  echo "::error title=dataops-ci::no Python found: set the python-version input, or put python3 on PATH"
  exit 2
fi
extras_wanted="${DATAOPS_EXTRAS:-}"
if [ "${DATAOPS_COMMAND:-run}" = "run" ] && { [ "${DATAOPS_METRICS:-false}" = "true" ] || [ -n "${DATAOPS_PUSHGATEWAY:-}" ]; }; then
  extras_wanted="${extras_wanted:+$extras_wanted,}metrics"  # prometheus_client, for --metrics/--pushgateway
fi
flags=(--command "${DATAOPS_COMMAND:-run}" --checks "${DATAOPS_CHECKS:-}" --extras "$extras_wanted")
if [ "${DATAOPS_BYTECODE:-true}" != "true" ]; then
  flags+=(--no-bytecode)
fi
# Only the standard library is needed here: dataops-ci is not installed yet.
# It writes its outputs to $GITHUB_OUTPUT itself and prints them too.
plan="$(PYTHONPATH="$ACTION_PATH/src" "$python" -m dataops_ci.commands.install_plan "${flags[@]}")"

report_dir="${DATAOPS_REPORT_DIR:-}"
if [ -z "$report_dir" ]; then
  report_dir="${RUNNER_TEMP:-/tmp}/dataops-ci"
fi
# Absolute: the run step starts in `working-directory`, this one in the workspace.
report_dir="$(mkdir -p "$report_dir" && cd "$report_dir" && pwd)"
venv="$(sed -n 's/^venv=//p' <<<"$plan")"
extras="$(sed -n 's/^extras=//p' <<<"$plan")"
echo "dataops-ci: python $("$python" -c 'import platform; print(platform.python_version())'), extras: ${extras:-none}"
echo "dataops-ci: environment $venv"
ready=false
if "$venv/bin/python" -c "import dataops_ci" >/dev/null 2>&1 && [ -x "$venv/bin/dataops-ci" ]; then
  ready=true
  echo "dataops-ci: reusing the environment at $venv"
fi
# sql-lint's cache (results keyed by file content + effective config), kept between runs by actions/cache:
# unchanged models are not linted again. Created up front so the save step always has a folder to save.
lint_cache="${RUNNER_TEMP:-/tmp}/dataops-ci-lint-cache"
mkdir -p "$lint_cache"
{
  echo "python=$python"
  echo "report-dir=$report_dir"
  echo "ready=$ready"
  echo "lint-cache=$lint_cache"
  # Keys are immutable: each run saves under its own key; restores take the newest by the prefix.
  echo "lint-key-prefix=dataops-ci-lint-${RUNNER_OS:-unknown}-"
  echo "lint-key=dataops-ci-lint-${RUNNER_OS:-unknown}-${GITHUB_SHA:-none}-${GITHUB_RUN_ID:-0}-${GITHUB_RUN_ATTEMPT:-1}"
} >>"$GITHUB_OUTPUT"
