# Sourced by tools/test.sh and tools/demo.sh: installs what the host side needs when it is missing.
# Debian/Ubuntu packages: mosquitto (the broker the tests and the local cloud start), libmosquitto1 (the host MQTT
# transport), mosquitto-dev + libmosquitto-dev + libssl-dev + gcc + libc6-dev (to build the platform-style auth plugin
# and the accept-queue shim at broker start: the plugin includes mosquitto.h, which only libmosquitto-dev ships),
# openssl.
# ensure_chromium (called by tools/test.sh only): Debian's chromium package (/usr/bin/chromium), which the web console's
# browser tests (tests/AliyunIot.Tests/Browser) drive headless through Microsoft.Playwright; that NuGet package brings
# only its driver (Node.js and its library), never a browser build, so the system browser is the one launched.
# ensure_powershell (called by tools/test.sh only): PowerShell 7.6.10 as a .NET global tool, since flash.ps1's tests run
# the real script; pinned, because without --version the tool feed picks 7.7.0, which does not install on the .NET 10
# SDK. ~/.dotnet/tools is put on PATH for the run.
# ensure_node_sdk (called by tools/test.sh only): node and npm (Debian packages nodejs, npm) and the official Node.js
# device SDK pinned in tools/NodeSdk/package-lock.json (npm ci, no install scripts), for the tests that run that
# SDK against the local cloud (shadow/tags and remote config).
# The .NET 10 SDK must already be installed (https://dot.net/download); it is not installed here.

POWERSHELL_VERSION=7.6.10

ensure_prerequisites() {
  apt_install_missing mosquitto libmosquitto1 mosquitto-dev libmosquitto-dev libssl-dev gcc libc6-dev openssl || return 1
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is required (https://dot.net/download); dotnet not found on PATH." >&2
    return 1
  fi
}

# pwsh on PATH, installed as a .NET global tool when missing (as root in CI: ~/.dotnet/tools is root's).
# Not fatal: without pwsh, flash.ps1's tests fail in CI (CI=true) and are skipped elsewhere, each saying why.
ensure_powershell() {
  local tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
  case ":$PATH:" in
    *":$tools:"*) ;;
    *) export PATH="$PATH:$tools" ;;
  esac
  if command -v pwsh >/dev/null 2>&1; then
    return 0
  fi
  echo "Installing: PowerShell $POWERSHELL_VERSION (dotnet tool)" >&2
  dotnet tool install --global PowerShell --version "$POWERSHELL_VERSION" >&2 \
    || echo "could not install PowerShell $POWERSHELL_VERSION: flash.ps1's tests cannot run" >&2
  command -v pwsh >/dev/null 2>&1 || echo "pwsh not found in $tools: flash.ps1's tests cannot run" >&2
}

# Headless Chromium for the console's browser tests. Not fatal here: without it those tests fail in CI (CI=true) and
# are skipped elsewhere, each saying why.
ensure_chromium() {
  apt_install_missing chromium || echo "could not install chromium: the console's browser tests cannot run" >&2
}

# Installs those of the given Debian packages that are missing (apt-get, as root or with sudo).
apt_install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "Installing: ${missing[*]}" >&2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-get not found: install ${missing[*]} with your package manager" >&2
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root or sudo to install ${missing[*]}" >&2; return 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# node + npm, and the Node.js device SDK in tools/NodeSdk/node_modules. Not fatal: without them the Node SDK test
# fails in CI (CI=true) and is skipped elsewhere, saying why.
ensure_node_sdk() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install_missing nodejs npm || { echo "could not install nodejs npm: the Node SDK tests cannot run" >&2; return 0; }
  fi
  if [ ! -d "$root/tools/NodeSdk/node_modules/alibabacloud-iot-device-sdk" ]; then
    echo "Installing: the Node.js device SDK (tools/NodeSdk)" >&2
    (cd "$root/tools/NodeSdk" && npm ci --no-audit --no-fund --ignore-scripts >&2) \
      || echo "npm ci failed in tools/NodeSdk: the Node SDK tests cannot run" >&2
  fi
}
