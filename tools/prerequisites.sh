# Sourced by tools/test.sh and tools/demo.sh: installs what the host side needs when it is missing.
# Debian/Ubuntu: mosquitto (the broker), libmosquitto1 (the host MQTT transport), mosquitto-dev and
# libmosquitto-dev + libssl-dev + gcc (to build the platform-style auth plugin), openssl.
# The .NET 10 SDK must already be installed (https://dot.net); it is not installed here.

ensure_prerequisites() {
  local missing=()
  command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
  [ -e /usr/lib/x86_64-linux-gnu/libmosquitto.so.1 ] || ldconfig -p 2>/dev/null | grep -q 'libmosquitto.so.1 ' || missing+=(libmosquitto1)
  [ -f /usr/include/mosquitto_plugin.h ] || missing+=(mosquitto-dev)
  [ -f /usr/include/mosquitto.h ] || missing+=(libmosquitto-dev)
  [ -f /usr/include/openssl/hmac.h ] || missing+=(libssl-dev)
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
  fi
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is required (dotnet not found on PATH)." >&2
    return 1
  fi
}
