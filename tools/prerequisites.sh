# Sourced by tools/test.sh and tools/demo.sh: installs what the host side needs when it is missing.
# Debian/Ubuntu packages: mosquitto (the broker the tests and the local cloud start), libmosquitto1 (the host MQTT
# transport), mosquitto-dev + libmosquitto-dev + libssl-dev + gcc + libc6-dev (to build the platform-style auth plugin
# and the accept-queue shim at broker start: the plugin includes mosquitto.h, which only libmosquitto-dev ships),
# openssl.
# ensure_powershell (called by tools/test.sh only): PowerShell 7.6.10 as a .NET global tool, since flash.ps1's tests run
# the real script; pinned, because without --version the tool feed picks 7.7.0, which does not install on the .NET 10
# SDK. ~/.dotnet/tools is put on PATH for the run.
# ensure_node_sdk (called by tools/test.sh only): Node.js (Debian's nodejs + npm) and the official Alibaba Cloud IoT
# Node SDK, pinned in tools/NodeSdk/package-lock.json (npm ci, install scripts off), for the tests that run it against
# the local cloud.
# The .NET 10 SDK must already be installed (https://dot.net/download); it is not installed here.

POWERSHELL_VERSION=7.6.10

ensure_prerequisites() {
  local packages=(mosquitto libmosquitto1 mosquitto-dev libmosquitto-dev libssl-dev gcc libc6-dev openssl)
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
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
  fi
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

# Node.js and tools/NodeSdk/node_modules (the official Node SDK, version pinned by package-lock.json).
# Not fatal: without them the Node SDK tests fail in CI (CI=true) and are skipped elsewhere, each saying why.
ensure_node_sdk() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Installing: nodejs npm" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null 2>&1 && sudo="sudo"
    fi
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm; } >&2 \
      || echo "could not install nodejs and npm: the Node SDK tests cannot run" >&2
  fi
  if command -v npm >/dev/null 2>&1 && [ ! -d "$root/tools/NodeSdk/node_modules/alibabacloud-iot-device-sdk" ]; then
    echo "Installing: the Node SDK (tools/NodeSdk, npm ci)" >&2
    (cd "$root/tools/NodeSdk" && npm ci --no-audit --no-fund --ignore-scripts >&2) \
      || echo "npm ci failed in tools/NodeSdk: the Node SDK tests cannot run" >&2
  fi
}
