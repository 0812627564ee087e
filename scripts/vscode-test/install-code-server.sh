#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3 server + web workbench) into a cache dir outside the
# repo, without its postinstall: that script refuses to run as root and downloads ripgrep from GitHub,
# and only the npm registry + Debian apt are reachable here. See /work/shared/vscode-testing.md.
#
# Needs these apt packages (CI installs them):
#   build-essential python3 ripgrep chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config
# Node headers must be in /usr/include/node (Debian's nodejs / libnode-dev) so node-gyp downloads nothing.
#
# Idempotent: a marker file records a complete install; a partial one is wiped and redone.
# Prints the install dir as its last line.
set -euo pipefail

VERSION=4.100.3
CACHE="${TRACEFIX_VSCODE_CACHE:-$HOME/.cache/tracefix}"
DIR="$CACHE/code-server-$VERSION"
MARKER="$DIR/.tracefix-install-complete"
NODEDIR="${TRACEFIX_NODEDIR:-/usr}"

log() { printf '[install-code-server] %s\n' "$*" >&2; }
# Tool output goes to a log; it is shown only when a step fails.
BUILD_LOG="$CACHE/code-server-$VERSION.install.log"
quiet() {
  if ! "$@" >>"$BUILD_LOG" 2>&1; then
    log "FAILED: $* (last lines of $BUILD_LOG follow)"
    tail -n 40 "$BUILD_LOG" >&2
    exit 1
  fi
}

mkdir -p "$CACHE"
# Two concurrent runs (e.g. CI + a developer) must not build into the same dir at once.
exec 9>"$CACHE/.code-server-$VERSION.lock"
flock 9

if [[ -f "$MARKER" ]]; then
  log "already installed: $DIR"
  echo "$DIR"
  exit 0
fi

for tool in node npm rg python3 make g++; do
  command -v "$tool" >/dev/null || { log "missing '$tool' (apt packages: see header of $0)"; exit 1; }
done
[[ -f "$NODEDIR/include/node/node.h" ]] || { log "no Node headers in $NODEDIR/include/node"; exit 1; }

start=$(date +%s)
: >"$BUILD_LOG"
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
printf '{ "name": "tracefix-code-server", "private": true }\n' > package.json

export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false

log "npm install code-server@$VERSION --ignore-scripts"
quiet npm install "code-server@$VERSION" --ignore-scripts --no-save --loglevel=error

# code-server's own native dependency; without it the server does not even print --help.
log "rebuilding argon2 from source"
quiet env npm_config_nodedir="$NODEDIR" npm_config_build_from_source=true npm rebuild argon2 --loglevel=error

CS="$DIR/node_modules/code-server"
VS="$CS/lib/vscode"
# npm bundles node-gyp; a global one is used only if npm's is absent.
GYP="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[[ -f "$GYP" ]] || GYP="$(command -v node-gyp || true)"
[[ -n "$GYP" ]] || { log "node-gyp not found"; exit 1; }

# --- postinstall.sh, by hand ---
log "installing VS Code server dependencies"
quiet npm --prefix "$VS" install --omit=dev --ignore-scripts --loglevel=error

for mod in node-pty @vscode/spdlog native-watchdog; do
  log "node-gyp rebuild $mod"
  quiet node "$GYP" rebuild -C "$VS/node_modules/$mod" --nodedir="$NODEDIR" --loglevel=error
done
# Optional natives: VS Code falls back when they are missing, so a failure is only reported.
for mod in kerberos @vscode/deviceid; do
  if [[ -d "$VS/node_modules/$mod" ]]; then
    node "$GYP" rebuild -C "$VS/node_modules/$mod" --nodedir="$NODEDIR" --loglevel=error >>"$BUILD_LOG" 2>&1 \
      || log "optional $mod did not build (ignored)"
  fi
done

log "using Debian ripgrep"
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"

ln -sfn node_modules "$VS/node_modules.asar"
ln -sfn code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VS/bin/helpers/browser.sh"

log "installing built-in extensions' dependencies"
quiet npm --prefix "$VS/extensions" install --omit=dev --ignore-scripts --loglevel=error

# Smoke: the entry point must load its natives and print its version. A throwaway config home,
# because code-server writes a default config.yaml on first start.
smoke_home="$(mktemp -d)"
XDG_CONFIG_HOME="$smoke_home" XDG_DATA_HOME="$smoke_home" HOME="$smoke_home" \
  node "$CS/out/node/entry.js" --version | tail -n 1 | sed 's/^/[install-code-server] /' >&2
rm -rf "$smoke_home"

touch "$MARKER"
log "done in $(( $(date +%s) - start )) s: $DIR"
echo "$DIR"
