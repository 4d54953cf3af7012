#!/usr/bin/env bash
# Side-by-side benchmarks against Python's concurrent.futures (python3 on PATH) and raw .NET.
# Prints medians of several runs and their ratios; pass benchmark names and --runs N to narrow it.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/Distributed.Benchmarks -c Release -v quiet -nologo >/dev/null
exec dotnet tests/Distributed.Benchmarks/bin/Release/net10.0/Distributed.Benchmarks.dll "$@"
