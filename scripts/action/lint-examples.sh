#!/usr/bin/env bash
# pre-commit hook of this repository: our own light hooks on examples/demo-repo. Each snapshot (base/,
# head/) is the root of a data repository, so it is linted as one: built into a throwaway git repository
# (main = base, pr = head) and checked there with every file, as a data team's pre-commit would.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$(command -v dataops-ci || echo "$root/.venv/bin/dataops-ci")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bash "$root/scripts/action/build-demo-repo.sh" "$root/examples/demo-repo" "$work/demo" >/dev/null
status=0
for snapshot in main pr; do
  git -C "$work/demo" checkout -q "$snapshot"
  for command in avro-schema-lint expectation-suite-lint; do
    "$bin" "$command" -C "$work/demo" || status=1
  done
  "$bin" pipelines --no-data --all-files -C "$work/demo" || status=1
done
exit "$status"
