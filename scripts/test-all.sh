#!/usr/bin/env bash
# npm test: type-check, lint, build, and every test suite; ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p test-results
status=0
step() { echo "==> $*"; "$@" || status=1; }

step npx tsc -p tsconfig.json --noEmit
step npx tsc -p webview/tsconfig.json --noEmit
step npx eslint .
step node scripts/build.mjs
step npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json
# The extension in a real VS Code server, offline: in-host suites, then Playwright on the installed VSIX.
rm -f test-results/vscode-integration.json test-results/vscode-e2e.json
step npm run --silent test:vscode

node scripts/test-summary.mjs test-results/vitest.json test-results/vscode-integration.json test-results/vscode-e2e.json || status=1
exit $status
