#!/usr/bin/env bash
# Runs every test: the solution's xunit tests, then the checks that need the built executables:
# a process pool started from an app built to an unusual output path, the packages (a new app and
# the two tools taken from a local feed; scripts/package-test.sh), docker-compose.yml, the
# multi-host test in network namespaces, and docker-compose.yml's images built and run under podman
# (scripts/compose-test.sh; both when run as root, as CI does). Any test run that hangs is killed
# after the limit below, so a bug fails CI instead of stalling it.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test Distributed.sln -c Release \
  --blame-hang-timeout 10m --blame-hang-dump-type none \
  "$@"

# The engine and the future assert their invariants (and the engine its lock) only in Debug
# builds: their direct tests (no processes, a fake clock, under a minute) run there too.
dotnet test tests/Distributed.Coordinator.Tests -c Debug -v quiet -nologo \
  --filter "FullyQualifiedName~Distributed.Coordinator.Tests.Engine|FullyQualifiedName~ChurnBlame|FullyQualifiedName~Distributed.Coordinator.Tests.Wire" \
  --blame-hang-timeout 5m --blame-hang-dump-type none
dotnet test tests/Distributed.Futures.Tests -c Debug -v quiet -nologo \
  --filter "FullyQualifiedName~Distributed.Futures.Tests.Future" \
  --blame-hang-timeout 5m --blame-hang-dump-type none

# The worker program must be found beside Distributed.Coordinator.dll wherever the app's build
# puts it: build the seed sample with --artifacts-path somewhere else and run its process pool.
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT
dotnet build src/Samples/Seed -c Release --artifacts-path "$artifacts" -v quiet -nologo > "$artifacts/build.log" || { cat "$artifacts/build.log"; exit 1; }
sample=$(find "$artifacts/bin" -name Distributed.Samples.Seed.dll | head -n 1)
output=$(timeout 300 dotnet "$sample" primes --limit 20000000)
echo "$output"
grep -q "ProcessPoolExecutor (warm) *1,270,607 primes" <<<"$output" || { echo "The process pool built with --artifacts-path did not count the primes below 20,000,000 (1,270,607)." >&2; exit 1; }
echo "A process pool started from an app built with --artifacts-path."

if command -v docker-compose >/dev/null; then
  docker-compose config -q
  echo "docker-compose.yml is valid."
else
  echo "docker-compose is not installed: docker-compose.yml was not checked." >&2
fi

timeout 600 ./scripts/package-test.sh

timeout 600 ./scripts/multihost-test.sh

timeout 900 ./scripts/compose-test.sh
