#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, starts the local Alibaba-compatible cloud and one
# simulated device, and plays the scripted tour (connect, posts, property set, async service, RRPC, a device shadow
# round trip and tags, device log post, remote config push applied by the application, OTA with progress, reboot
# into the new version, confirmation).
#   tools/demo.sh            happy tour; exits 0 when every step succeeded, else non-zero naming the failing step
#   tools/demo.sh --corrupt  the OTA image is corrupted in transit: expects -3 and the old version still running
# Everything runs in one child process (cloud, broker, HTTPS server, device); it is stopped on exit or Ctrl+C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1m== %s\033[0m\n' "$*"; }
fail() { printf 'demo: %s\n' "$*" >&2; exit 1; }

# 1. Native prerequisites (broker, its auth plugin's build tools, the host MQTT client library) and the .NET SDK.
# shellcheck source=tools/prerequisites.sh
. "$ROOT/tools/prerequisites.sh"
ensure_prerequisites || fail "prerequisites missing"

# 2. Build.
log "building the simulator and the local cloud"
dotnet build tools/Simulator/AliyunIot.Simulator.csproj -c Release -nologo -v q -clp:ErrorsOnly >/dev/null \
  || { dotnet build tools/Simulator/AliyunIot.Simulator.csproj -c Release -nologo -v q -clp:ErrorsOnly; fail "build failed"; }
SIM="$ROOT/tools/Simulator/bin/Release/net10.0/AliyunIot.Simulator.dll"
[ -f "$SIM" ] || fail "build output $SIM missing"

# 3. The tour (cloud + device in one process, state in a throwaway folder).
WORK="$(mktemp -d "${TMPDIR:-/tmp}/aliyun-demo.XXXXXX")"
child=""
cleanup() {
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$child" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$child" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "playing the tour${1:+ ($1)}"
set +e
dotnet "$SIM" tour --work "$WORK" "$@" &
child=$!
wait "$child"
status=$?
set -e
child=""
exit "$status"
