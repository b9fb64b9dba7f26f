#!/usr/bin/env bash
# Runs every host test: the portable core and OtaPartition on .NET 10, end to end against a real mosquitto
# broker with the platform's authentication, a real HTTPS server and real files; the device compile of every
# .nfproj (tests/AliyunIot.Tests/Guard/DeviceCompileTests); flash.ps1 under PowerShell 7.
# Installs what is missing (Debian/Ubuntu), builds the host solution filter, and ends with one line:
#   N passed, N failed[, N skipped]
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=tools/prerequisites.sh
. tools/prerequisites.sh
ensure_prerequisites
ensure_powershell
ensure_node_sdk

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

set +e
dotnet test host.slnf --nologo -c Release --logger "trx;LogFilePrefix=host" --results-directory "$results" "$@" 2>&1 | tee "$results/console.txt"
status=${PIPESTATUS[0]}
set -e

# Count from the TRX files (one per test assembly): the console summary format differs between SDKs.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(printf '%s' "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(printf '%s' "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  e=$(printf '%s' "$counters" | sed -n 's/.* error="\([0-9]*\)".*/\1/p')
  t=$(printf '%s' "$counters" | sed -n 's/.* total="\([0-9]*\)".*/\1/p')
  x=$(printf '%s' "$counters" | sed -n 's/.* executed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${t:-0} - ${x:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the runner failed before any test could fail: count that as a failure, never as green.
  failed=1
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
