#!/usr/bin/env bash
# Smoke-test the built CLI on Node 22 and 24 besides the Node the suite runs on: --version,
# --help, `init --yes` on examples/shop in a temporary git repository, then `check` and
# `check --strict`. The binaries come from the npm registry (the `node` package, which installs
# the platform's `node-<os>-<arch>` package); nothing else is downloaded. When the registry
# is unreachable the version is skipped with a message, not failed.
# Usage: scripts/node-smoke.sh [--install-only] [major...]   (default: 22 24)
# NODE_SMOKE_DIR=<folder> keeps the installed versions there (and reuses them): CI downloads them
# with --install-only in the background while the tests run, then runs the smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
install_only=0
if [ "${1:-}" = --install-only ]; then install_only=1; shift; fi
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
if [ -n "${NODE_SMOKE_DIR:-}" ]; then
  installs="$NODE_SMOKE_DIR"
  mkdir -p "$installs"
else
  installs=$(mktemp -d)
  trap 'rm -rf "$installs"' EXIT
fi
# Install every version at once (the downloads dominate), then run them one by one. A version
# already installed in NODE_SMOKE_DIR (its install.rc written) is not installed again.
for major in "${majors[@]}"; do
  prefix="$installs/node$major"
  [ -f "$prefix/install.rc" ] && continue
  mkdir -p "$prefix"
  (rc=0; timeout 120 npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$prefix" "node@$major" >"$prefix/install.log" 2>&1 || rc=$?; echo "$rc" >"$prefix/install.rc") &
done
wait
[ "$install_only" = 0 ] || exit 0
[ -f dist/cli.js ] || npm run build >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${NODE_SMOKE_DIR:-}" ] || rm -rf "$installs"' EXIT
status=0
for major in "${majors[@]}"; do
  prefix="$installs/node$major"
  if [ "$(cat "$prefix/install.rc")" != 0 ] || ! "$prefix/node_modules/.bin/node" --version >/dev/null 2>&1; then
    echo "node $major smoke: skipped (could not install node@$major from the npm registry; see below)"
    tail -n 3 "$prefix/install.log" | sed 's/^/  /'
    continue
  fi
  node="$prefix/node_modules/.bin/node"
  repo="$work/shop$major"
  cp -r "$root/examples/shop" "$repo"
  (
    set -e
    cd "$repo"
    git init -q -b main
    git remote add origin https://github.com/acme/shop.git
    git -c user.name=smoke -c user.email=smoke@example.com add -A
    git -c user.name=smoke -c user.email=smoke@example.com commit -q -m initial
    cli() { NO_COLOR=1 "$node" "$root/bin/devops-init.js" "$@"; }
    test "$(cli --version)" = "$(node -p "require('$root/package.json').version")"
    cli --help | grep -q 'Usage: devops-init'
    cli init --yes -q
    git -c user.name=smoke -c user.email=smoke@example.com add -A
    git -c user.name=smoke -c user.email=smoke@example.com commit -q -m devops-init
    cli check -q
    cli check -q --strict
  ) >"$work/out$major" 2>&1 && echo "node $major smoke: ok ($("$node" --version): --version, --help, init --yes, check, check --strict on examples/shop)" || {
    echo "node $major smoke: FAILED ($("$node" --version))"
    sed 's/^/  /' "$work/out$major"
    status=1
  }
done
exit "$status"
