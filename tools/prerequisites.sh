# Sourced by tools/test.sh and tools/demo.sh: installs what the host side needs when it is missing.
# Debian/Ubuntu packages: mosquitto (the broker the tests and the local cloud start), libmosquitto1 (the host MQTT
# transport), mosquitto-dev + libmosquitto-dev + libssl-dev + gcc + libc6-dev (to build the platform-style auth plugin
# and the accept-queue shim at broker start: the plugin includes mosquitto.h, which only libmosquitto-dev ships),
# openssl.
# The .NET 10 SDK must already be installed (https://dot.net/download); it is not installed here.

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
