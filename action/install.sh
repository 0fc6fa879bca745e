#!/usr/bin/env bash
# The Action's install: mlflint built once from the action's own checkout, packed with `npm pack`
# and installed from that tarball (production dependencies only, no TypeScript) into a directory
# the Action caches, keyed by everything the build reads. `key` prints the cache key; `install DIR`
# fills DIR (skipped when the cache restored it); either way DIR/node_modules/.bin/mlflint runs it.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "${1:-}" in
  key)
    sum=$(cd "$src" && find package.json package-lock.json tsconfig*.json scripts src rules -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
    echo "mlflint-$(uname -s)-$(uname -m)-node$(node -p 'process.versions.modules')-$sum"
    ;;
  install)
    dest=${2:?install DIR}
    if [ -x "$dest/node_modules/.bin/mlflint" ]; then
      echo "mlflint: installed (from the cache)" >&2
      exit 0
    fi
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    if [ ! -f "$src/dist/bin/mlflint.js" ]; then
      (cd "$src" && npm ci --no-audit --no-fund >&2 && npm run build >&2)
    fi
    tarball=$(cd "$src" && npm pack --silent --pack-destination "$work" | tail -n 1)
    mkdir -p "$dest"
    [ -f "$dest/package.json" ] || echo '{ "private": true }' > "$dest/package.json"
    (cd "$dest" && npm install --no-audit --no-fund --omit=dev "$work/$tarball" >&2)
    ;;
  *)
    echo "usage: install.sh key | install DIR" >&2
    exit 2
    ;;
esac
