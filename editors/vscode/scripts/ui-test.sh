#!/usr/bin/env bash
# End-to-end test of the extension in the real VS Code: code-server (VS Code in a browser,
# from npm) with the packaged .vsix installed, driven in headless Debian Chromium by
# playwright-core, against the real envbuilder server. It opens a Dockerfile with an error
# (diagnostics), builds examples/hello's devcontainer.json from the editor title on a local
# busybox base image (no network), checks the digest notification and the build log, then
# builds a slow Dockerfile from the Explorer context menu and cancels it from the progress
# notification.
#
# Usage: editors/vscode/scripts/ui-test.sh [ENVBUILDER_BINARY]   (default: $ENVBUILDER_BINARY or build/envbuilder)
# Needs root (RUN steps run in namespaces) and the Debian packages chromium ripgrep
# libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config g++ make python3
# busybox-static umoci skopeo jq. code-server and playwright-core are installed once into
# ${ENVBUILDER_UI_CACHE:-~/.cache/envbuilder-vscode-ui} (the first run compiles code-server's
# native modules: a few minutes). Screenshots land in $SHOTS (default: a temporary folder, kept on failure).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
binary=$(realpath "${1:-${ENVBUILDER_BINARY:-$repo/build/envbuilder}}")
[ -x "$binary" ] || { echo "ui-test: no envbuilder binary at $binary" >&2; exit 1; }
for tool in chromium rg g++ make python3 pkg-config; do
  command -v "$tool" >/dev/null || { echo "ui-test: $tool missing (see the header of $0)" >&2; exit 1; }
done

CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.58.2
cache=${ENVBUILDER_UI_CACHE:-$HOME/.cache/envbuilder-vscode-ui}
cs=$cache/code-server-$CODE_SERVER_VERSION
pw=$cache/playwright-core-$PLAYWRIGHT_VERSION
mkdir -p "$cache"

export npm_config_nodedir=/usr npm_config_unsafe_perm=true npm_config_yes=true JOBS=1
if [ ! -f "$cs/.complete" ]; then
  echo "ui-test: installing code-server $CODE_SERVER_VERSION into $cs"
  rm -rf "$cs" && mkdir -p "$cs"
  (cd "$cache" && npm pack "code-server@$CODE_SERVER_VERSION" --silent >/dev/null)
  tar xzf "$cache/code-server-$CODE_SERVER_VERSION.tgz" -C "$cs" --strip-components=1
  rm -f "$cache/code-server-$CODE_SERVER_VERSION.tgz"
  # Its postinstall would download prebuilt binaries (ripgrep, node headers): install
  # without scripts, then build the native modules against Debian's Node headers and use
  # Debian's ripgrep.
  for dir in "$cs" "$cs/lib/vscode" "$cs/lib/vscode/extensions"; do
    (cd "$dir" && nice -n 10 npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  done
  (cd "$cs" && nice -n 10 npm rebuild argon2 --loglevel=error >/dev/null)
  # node-pty's post-install also writes compile_commands.json through npx and may fail
  # after pty.node is built; the .node files are checked below.
  (cd "$cs/lib/vscode" && nice -n 10 npm rebuild node-pty @vscode/spdlog kerberos native-watchdog --loglevel=error >/dev/null 2>&1 || true)
  for f in node_modules/argon2/lib/binding/napi-v3/argon2.node \
           lib/vscode/node_modules/node-pty/build/Release/pty.node \
           lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node \
           lib/vscode/node_modules/kerberos/build/Release/kerberos.node \
           lib/vscode/node_modules/native-watchdog/build/Release/watchdog.node; do
    [ -f "$cs/$f" ] || { echo "ui-test: building $f failed" >&2; exit 1; }
  done
  mkdir -p "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin"
  cp "$(command -v rg)" "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  ln -sfn node_modules "$cs/lib/vscode/node_modules.asar"
  ln -sfn code-linux.sh "$cs/lib/vscode/bin/remote-cli/code-server"
  ln -sfn browser-linux.sh "$cs/lib/vscode/bin/helpers/browser.sh"
  touch "$cs/.complete"
fi
if [ ! -f "$pw/.complete" ]; then
  rm -rf "$pw" && mkdir -p "$pw"
  (cd "$pw" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION")
  touch "$pw/.complete"
fi

version=$(node -p "require('$here/package.json').version")
vsix=$here/envbuilder-$version.vsix
[ -f "$vsix" ] || bash "$here/scripts/package.sh"

tmp=$(mktemp -d)
server_pid=
cleanup() {
  status=$?
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [ "$status" = 0 ] && [ -z "${SHOTS:-}" ]; then rm -rf "$tmp"; else echo "ui-test: screenshots and logs kept in $tmp"; fi
}
trap cleanup EXIT
shots=${SHOTS:-$tmp/shots}
ws=$tmp/ws
cp -r "$repo/examples/hello" "$ws"
printf 'FROM docker.io/library/busybox:1.36\nRUN sleep 120\n' >"$ws/slow.Dockerfile"
printf 'FROM busybox\nFORM x\n' >"$ws/broken.Dockerfile"
if [ -f "$repo/build/base-images/busybox/index.json" ]; then
  cp -r "$repo/build/base-images" "$tmp/base"
else
  bash "$repo/tests/support/base_images.sh" "$tmp/base" busybox >/dev/null
fi

mkdir -p "$tmp/user-data/User" "$tmp/extensions"
cat >"$tmp/user-data/User/settings.json" <<EOF
{
  "envbuilder.path": "$binary",
  "envbuilder.baseImage": "oci:$tmp/base/busybox:latest",
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "workbench.enableExperiments": false,
  "workbench.tips.enabled": false,
  "chat.disableAIFeatures": true
}
EOF
code_server=(node "$cs/out/node/entry.js" --user-data-dir "$tmp/user-data" --extensions-dir "$tmp/extensions")
"${code_server[@]}" --install-extension "$vsix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; exit 1; }
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
XDG_CONFIG_HOME=$tmp/config "${code_server[@]}" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry \
  --disable-update-check --disable-workspace-trust --disable-getting-started-override "$ws" >"$tmp/code-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  node -e 'require("http").get(process.argv[1], r => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1))' \
    "http://127.0.0.1:$port/healthz" && break
  sleep 0.2
done

PLAYWRIGHT_CORE=$pw/node_modules/playwright-core CS_URL="http://127.0.0.1:$port/?folder=$ws" WORKSPACE=$ws SHOTS=$shots \
  timeout 600 node "$here/ui-test/ui.js"
