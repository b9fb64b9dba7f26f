#!/usr/bin/env bash
# Builds the benchmark harness (Release) and runs it. Usage: tools/bench.sh [all|post|hash|ota|latency|fleet] [--quick] [--fleet N] [--out DIR]
# Results: out/bench/results.md and results.json (path printed at the end). See docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ -f tools/prerequisites.sh ]; then
    # shellcheck disable=SC1091
    . tools/prerequisites.sh
    ensure_prerequisites
else
    for tool in dotnet mosquitto openssl; do
        command -v "$tool" >/dev/null || { echo "bench: $tool is required (see docs/benchmarks.md)" >&2; exit 1; }
    done
    [ -e /usr/lib/x86_64-linux-gnu/libmosquitto.so.1 ] || ldconfig -p | grep -q libmosquitto.so.1 \
        || { echo "bench: libmosquitto1 is required" >&2; exit 1; }
fi
dotnet build tools/Bench/AliyunIot.Bench.csproj -c Release -nologo -v quiet
exec dotnet tools/Bench/bin/Release/net10.0/AliyunIot.Bench.dll "$@"
