#!/usr/bin/env bash
# Runs every test of the solution. Any test run that hangs is killed after the limit below, so a
# bug fails CI instead of stalling it (each test also bounds its own waits).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test Distributed.sln -c Release \
  --blame-hang-timeout 10m --blame-hang-dump-type none \
  "$@"
