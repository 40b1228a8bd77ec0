#!/usr/bin/env bash
# Build a git repository from a demo folder with base/ and head/ snapshots: `main` holds base, the
# checked-out branch `pr` holds head. Used by ci.yml's self-test of the action (no dataops-ci needed).
#   scripts/action/build-demo-repo.sh examples/demo-repo DEST
set -euo pipefail
src="$(cd "$1" && pwd)"
dest="$2"
export GIT_AUTHOR_NAME="dataops-ci demo" GIT_AUTHOR_EMAIL="demo@example.invalid"
export GIT_COMMITTER_NAME="dataops-ci demo" GIT_COMMITTER_EMAIL="demo@example.invalid"
rm -rf "$dest"
mkdir -p "$dest"
git -C "$dest" init -q -b main
cp -R "$src/base/." "$dest/"
git -C "$dest" add -A
git -C "$dest" commit -q -m "base: the data repo on main"
git -C "$dest" checkout -q -b pr
find "$dest" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
cp -R "$src/head/." "$dest/"
git -C "$dest" add -A
git -C "$dest" commit -q -m "head: the pull request"
echo "demo repository at $dest: main=$(git -C "$dest" rev-parse --short main) pr=$(git -C "$dest" rev-parse --short pr)"
