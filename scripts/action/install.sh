#!/usr/bin/env bash
# action.yml step "Install dataops-ci": a fresh venv with dataops-ci from the action's own checkout
# (so `@v1` runs exactly that version) and only the extras the enabled checks need.
set -euo pipefail
spec="$ACTION_PATH"
if [ -n "${DATAOPS_EXTRAS:-}" ]; then
  spec="$ACTION_PATH[$DATAOPS_EXTRAS]"
fi
flags=(--quiet)
if [ "${DATAOPS_BYTECODE:-true}" = "true" ]; then
  # Compiled once here and cached with the environment: later imports of GX take about half the time.
  flags+=(--compile-bytecode)
fi
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
rm -rf "$DATAOPS_VENV"
started=$SECONDS
uv venv --quiet --python "$DATAOPS_PYTHON" "$DATAOPS_VENV"
uv pip install "${flags[@]}" --python "$DATAOPS_VENV/bin/python" "$spec"
"$DATAOPS_VENV/bin/dataops-ci" --version
echo "dataops-ci: installed ${DATAOPS_EXTRAS:-core only} in $((SECONDS - started)) s at $DATAOPS_VENV"
