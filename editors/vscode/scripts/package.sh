#!/usr/bin/env bash
# Builds the Envbuilder VS Code extension: installs the locked npm packages, compiles,
# runs the unit tests and packages editors/vscode/envbuilder-<version>.vsix (with its
# runtime dependencies). Idempotent; prints the path of the .vsix on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
rm -rf out
npm run compile
npm test
version=$(node -p "require('./package.json').version")
vsix="envbuilder-${version}.vsix"
rm -f "$vsix"
npm run package

# The extension must carry vscode-languageclient: check the archive, not the tree.
listing=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$vsix")
for f in extension/package.json extension/out/extension.js extension/out/logic.js \
         extension/node_modules/vscode-languageclient/node.js \
         extension/node_modules/vscode-languageserver-protocol/package.json \
         extension/node_modules/vscode-jsonrpc/package.json; do
  grep -qx "$f" <<<"$listing" || { echo "package.sh: $f missing from $vsix" >&2; exit 1; }
done
if grep -q -e '^extension/out/test' -e '^extension/src/' -e '^extension/node_modules/@vscode/vsce' -e '^extension/node_modules/typescript/' <<<"$listing"; then
  echo "package.sh: $vsix carries test, source or build-only files" >&2
  exit 1
fi
# And it must run from what it carries: unpack it and build once against the fake server.
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$vsix" "$unpacked"
node out/test-support/smoke-vsix.js "$unpacked"
echo "$(pwd)/$vsix"
