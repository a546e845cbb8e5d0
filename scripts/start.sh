#!/usr/bin/env bash
# npm start: install, build, and show the main job on the bundled example.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (first run installs the dependencies)"
  npm ci --no-audit --no-fund
fi
echo "==> npm run build"
node scripts/build.mjs

example=examples/hello/hello
asx() { node bin/asx.js "$@"; }
bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }

bold "\$ asx elf $example   (header, segments and their sections; the full report also has sections, symbols, dynamic and notes)"
asx elf "$example" | awk '/^Section Headers:/{skip=1} /^Program Headers:/{skip=0} /^Dynamic section/{exit} !skip'

bold "\$ asx maps $example   (/proc/PID/maps at the first instruction after execve, ASLR off)"
asx maps "$example"

bold "\$ asx maps $example --at entry   (at the entry point, after ld.so mapped libc and its own areas)"
asx maps "$example" --at entry

bold "\$ asx maps $example --aslr full --seed 42"
asx maps "$example" --aslr full --seed 42

bold "\$ asx run examples/02-fork-cow.aspace   (a memory scenario: fork and copy-on-write; each show prints the kernel's smaps)"
asx run examples/02-fork-cow.aspace | awk '/^# /{print; n=0; next} {n++; if (n<=13 || /^VmFlags/) print}'

cat <<'TEXT'

Next steps
  npx asx help                      every command and option
  npx asx elf FILE --json           the whole ELF report as one JSON document
  npx asx run examples/*.aspace     the other scenarios (docs/scenario-language.md)
  npm test                          every test suite
  VS Code: open this folder and press F5 (Run Extension), or `npm run package`
           and install address-space-explorer-*.vsix with "Extensions: Install from VSIX...".
           Open examples/02-fork-cow.aspace, run "Address Space: Run Scenario" (Ctrl+Shift+Enter)
           and move the cursor: the scenario panel shows the state after each line.
TEXT
