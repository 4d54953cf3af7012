#!/usr/bin/env bash
# Runs the seed tutorial's examples in C#. Pass example names to run only some (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project src/Samples/Seed -c Release -- "$@"
