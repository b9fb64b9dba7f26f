#!/usr/bin/env bash
# Builds the benchmark harness (Release) and runs it. Usage: tools/bench.sh [all|post|shadow|history|budget|hash|ota|latency|fleet] [--quick] [--fleet N] [--out DIR]
# Results: out/bench/results.md and results.json (path printed at the end). See docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=tools/prerequisites.sh
. tools/prerequisites.sh
ensure_prerequisites
dotnet build tools/Bench/AliyunIot.Bench.csproj -c Release -nologo -v quiet
# The budget section models Esp32App (no host build) from a device compile of its .nfproj.
dotnet build tools/DeviceCompile/DeviceCompile.csproj -c Release -nologo -v quiet
exec dotnet tools/Bench/bin/Release/net10.0/AliyunIot.Bench.dll "$@"
