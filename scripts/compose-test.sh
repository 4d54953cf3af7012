#!/usr/bin/env bash
# docker-compose.yml for real: its images built from the Dockerfiles and its services run, with
# podman behind docker-compose (podman's Docker-compatible API), so no Docker engine is needed.
#
#  1. The base images are made here, from Debian and this machine's .NET SDK (no image registry
#     is needed): a runtime image, plain Debian with what a self-contained .NET app needs, and an
#     SDK image, that plus the SDK. Both are kept, named by what they hold, for the next run.
#  2. The coordinator's and the seed sample's images are built from their Dockerfiles on those
#     bases, self-contained (RUNTIME_IDENTIFIER), the build reading this machine's NuGet cache.
#  3. docker-compose up --scale worker=3, with a token made for the run and no port published
#     beyond 127.0.0.1: the compose file's client counts the primes below one billion; the count
#     must be right and three distinct worker containers must have run tasks.
#  4. A longer client run; once results flow, a worker container that holds tasks is killed
#     (SIGKILL). Every task must still complete, with the right count.
#
# Everything the run made (containers, network, its images) is removed on exit, however the
# script ends. Needs root and podman; skipped with one line otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
  echo "compose-test: skipped, $*." >&2
  exit 0
}
[ "$(id -u)" = 0 ] || skip "it needs root to run podman"
for tool in podman docker-compose debootstrap jq dotnet; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done

started=$SECONDS
id=$(printf '%04x' $(( ($$ + RANDOM) % 65536 )))
project="dfcompose$id"
work=$(mktemp -d)
service_pid=

# podman's settings for this run: raise no resource limits (a sandbox may refuse it); keep the
# containers' cgroups itself rather than through systemd, with runc where it is installed (crun
# refuses a host whose cgroup hierarchies are mixed v1 and v2).
{
  echo '[containers]'
  echo 'default_ulimits = []'
  echo '[engine]'
  echo 'cgroup_manager = "cgroupfs"'
  if command -v runc >/dev/null; then echo 'runtime = "runc"'; fi
} > "$work/containers.conf"
export CONTAINERS_CONF="$work/containers.conf"

compose() {
  docker-compose --project-name "$project" -f docker-compose.yml -f "$work/compose.test.yml" "$@"
}

show_logs() {
  local container
  for container in $(podman ps -a --filter "label=com.docker.compose.project=$project" --format '{{.Names}}' 2>/dev/null); do
    echo "--- $container"
    podman logs --tail 40 "$container" 2>&1
  done
}

cleanup() {
  set +e
  if [ -S "$work/podman.sock" ]; then
    compose down --volumes --remove-orphans --timeout 10 > "$work/down.log" 2>&1 || cat "$work/down.log" >&2
  fi
  podman ps -aq --filter "label=com.docker.compose.project=$project" | xargs -r podman rm -f -t 0 > /dev/null 2>&1
  podman network rm -f "${project}_default" > /dev/null 2>&1
  podman rmi -f "localhost/$project/coordinator:test" "localhost/$project/seed:test" > /dev/null 2>&1
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null; wait "$service_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # the EXIT trap then cleans up too

fail() {
  echo "compose-test: FAILED: $*" >&2
  show_logs >&2
  exit 1
}

# Waits (bounded) until a command succeeds, polling every half second.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$(( SECONDS + seconds ))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what did not happen within ${seconds}s"
    sleep 0.5
  done
}

# --- 1. The base images, made once per content.
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) skip "no .NET runtime identifier for $(uname -m)" ;;
esac
suite=bookworm
# What a self-contained .NET app needs beyond minbase (the runtime-deps image's packages: libc6,
# libgcc-s1, libstdc++6, zlib1g and tzdata are in minbase; no libicu, globalization is invariant).
packages=libssl3,ca-certificates
runtime_key=$(printf '%s\n' "$suite" minbase "$packages" | sha256sum | cut -c 1-12)
runtime_image="localhost/distributed-futures-ci/runtime-deps:$suite-$runtime_key"

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
sdk_version=$(dotnet --version)
sdk_key=$( { echo "$runtime_key"; ls "$dotnet_root/sdk" "$dotnet_root/shared/"*; } | sha256sum | cut -c 1-12)
sdk_image="localhost/distributed-futures-ci/sdk:$sdk_version-$sdk_key"

# The Debian mirror apt already uses (deb822 sources first, then sources.list).
mirror=$(
  { sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources
    sed -n 's/^deb \(\[[^]]*\] \)\?\([^ ]*\) '"$suite"' .*/\2/p' /etc/apt/sources.list
  } 2>/dev/null | awk '/debian/ && !/security/ { print; exit }' || true
)
mirror=${mirror:-http://deb.debian.org/debian}

if ! podman image exists "$runtime_image"; then
  echo "compose-test: making $runtime_image from $mirror"
  begun=$SECONDS
  rootfs="$work/rootfs"
  timeout 600 debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap of $suite from $mirror failed"; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | podman import --quiet - "$runtime_image" > /dev/null
  rm -rf "$rootfs"
  echo "compose-test: made it in $(( SECONDS - begun ))s"
fi
podman run --rm --network none "$runtime_image" true > "$work/probe.log" 2>&1 \
  || skip "podman cannot start a container here ($(tail -n 1 "$work/probe.log"))"
if ! podman image exists "$sdk_image"; then
  echo "compose-test: making $sdk_image from the SDK in $dotnet_root"
  begun=$SECONDS
  # Where and how Microsoft's SDK image has it; the SDK itself runs without ICU here.
  podman build --quiet --tag "$sdk_image" --file - "$dotnet_root" > /dev/null <<EOF
FROM $runtime_image
COPY . /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false NUGET_XMLDOC_MODE=skip
EOF
  echo "compose-test: made it in $(( SECONDS - begun ))s"
fi

# --- 2. The compose file's images, from its Dockerfiles.
build_args=(--build-arg "SDK_IMAGE=$sdk_image" --build-arg "RUNTIME_IMAGE=$runtime_image" --build-arg "RUNTIME_IDENTIFIER=$rid")
# The host's NuGet packages and sources, so a restore downloads only what is new.
nuget_home="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
[ -d "$nuget_home" ] && build_args+=(--volume "$nuget_home:/root/.nuget/packages")
[ -f "$HOME/.nuget/NuGet/NuGet.Config" ] && build_args+=(--volume "$HOME/.nuget/NuGet/NuGet.Config:/root/.nuget/NuGet/NuGet.Config:ro")
# And the certificate authorities it trusts: a CI network may reach NuGet through a proxy that
# inspects TLS, with its own authority installed on the machine.
[ -d /etc/ssl/certs ] && build_args+=(--volume /etc/ssl/certs:/etc/ssl/certs:ro)
build() {
  local image=$1 dockerfile=$2 begun=$SECONDS
  timeout 900 podman build "${build_args[@]}" --tag "$image" --file "$dockerfile" . > "$work/build-$(basename "$image" :test).log" 2>&1 \
    || { tail -n 40 "$work/build-$(basename "$image" :test).log" >&2; fail "the image of $dockerfile did not build"; }
  echo "compose-test: built $dockerfile in $(( SECONDS - begun ))s"
}
build "localhost/$project/coordinator:test" src/coordinator/Dockerfile
build "localhost/$project/seed:test" src/Samples/Seed/Dockerfile

# --- 3. The cluster, and the compose file's own client run.
mkdir "$work/secrets"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/secrets/token"
chmod 644 "$work/secrets/token" # read by the containers' user
export TOKEN_FILE="$work/secrets/token" COORDINATOR_PORT=127.0.0.1:
cat > "$work/compose.test.yml" <<EOF
version: "3.8"
services:
  coordinator:
    image: localhost/$project/coordinator:test
  worker:
    image: localhost/$project/seed:test
  client:
    image: localhost/$project/seed:test
EOF

podman system service --time=0 "unix://$work/podman.sock" > "$work/podman-service.log" 2>&1 &
service_pid=$!
export DOCKER_HOST="unix://$work/podman.sock"
wait_until 30 "podman's API socket appearing" test -S "$work/podman.sock"
wait_until 30 "podman's API answering" podman --remote --url "$DOCKER_HOST" info --format "{{.Version.Version}}" > /dev/null 2>&1

compose up --detach --no-build --scale worker=3 coordinator worker > "$work/up.log" 2>&1 || { cat "$work/up.log" >&2; fail "docker-compose up of the coordinator and three workers failed"; }
# A service's containers by compose's labels, not by name: compose v1 names them project_service_1,
# v2 project-service-1.
service_containers() {
  podman ps -a --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | sort
}
coordinator=$(service_containers coordinator | head -n 1)
[ -n "$coordinator" ] || fail "docker-compose up made no coordinator container"

# The coordinator's status, as JSON, asked from inside its container.
status() {
  podman exec "$coordinator" /app/coordinator status --coordinator http://127.0.0.1:5000 --token-file /run/secrets/token --json 2>/dev/null || true
}
workers_connected() {
  [ "$(status | jq -r '.status.workers | length' 2>/dev/null)" = "$1" ]
}
wait_until 120 "three workers connecting to the coordinator" workers_connected 3

# The hostname of each worker container, which each worker reports as its host.
declare -A container_of
for container in $(service_containers worker); do
  container_of[$(podman inspect --format '{{.Config.Hostname}}' "$container")]=$container
done
[ "${#container_of[@]}" = 3 ] || fail "docker-compose up made ${#container_of[@]} worker containers, not 3"

exited() {
  [ "$(podman inspect --format '{{.State.Status}}' "$1" 2>/dev/null)" = exited ]
}
client_ok() {
  local container=$1 count=$2
  [ "$(podman inspect --format '{{.State.ExitCode}}' "$container")" = 0 ] || fail "the client $container exited with $(podman inspect --format '{{.State.ExitCode}}' "$container")"
  podman logs "$container" 2>&1 | grep -E "^RemoteExecutor +$count primes" > /dev/null || fail "the client $container did not print RemoteExecutor $count primes"
}

compose up --detach --no-build --no-deps client > "$work/up-client.log" 2>&1 || { cat "$work/up-client.log" >&2; fail "docker-compose up of the client failed"; }
client=$(service_containers client | head -n 1)
[ -n "$client" ] || fail "docker-compose up made no client container"
wait_until 300 "the client's count of the primes below 1,000,000,000 finishing" exited "$client"
client_ok "$client" 50,847,534
echo "compose-test: run 1: $(podman logs "$client" 2>&1 | grep -E '^RemoteExecutor')"

status > "$work/status-1.json"
jq -e .status "$work/status-1.json" > /dev/null 2>&1 || fail "the coordinator's status is not readable: $(head -c 500 "$work/status-1.json")"
ran_on=$(jq -r '.status.workers[] | select((.completedItems | tonumber) > 0) | .host' "$work/status-1.json" | sort -u)
for host in $ran_on; do
  [ -n "${container_of[$host]:-}" ] || fail "a task ran on $host, which is no worker container of this run"
done
[ "$(wc -w <<<"$ran_on")" = 3 ] || fail "tasks ran on $(wc -w <<<"$ran_on") worker containers, not 3: $(jq -c '[.status.workers[] | {host, completedItems}]' "$work/status-1.json")"
echo "compose-test: run 1 ran on three worker containers: $(jq -c '[.status.workers[] | {host, completedItems}]' "$work/status-1.json")"

# --- 4. A longer run; a worker holding tasks is killed once results flow.
done_before=$(jq -r '.status.completedItems' "$work/status-1.json")
kill_client="${project}_client_kill"
compose run --detach --no-deps --name "$kill_client" client \
  primes --limit 4000000000 --coordinator http://coordinator:5000 --token-file /run/secrets/token > "$work/run-kill.log" 2>&1 \
  || { cat "$work/run-kill.log" >&2; fail "docker-compose run of the second client failed"; }
results_flowing() {
  status > "$work/status-2.json"
  [ "$(jq -r '.status.completedItems' "$work/status-2.json" 2>/dev/null || echo 0)" -gt "$done_before" ] 2>/dev/null
}
wait_until 300 "the second run's first result" results_flowing
victim_host=$(jq -r '[.status.workers[] | select((.runningItems | tonumber) > 0)][0].host // empty' "$work/status-2.json")
[ -n "$victim_host" ] || fail "no worker held a task of the second run when one was to be killed"
victim=${container_of[$victim_host]:-}
[ -n "$victim" ] || fail "the worker $victim_host that held tasks is no worker container of this run"
podman kill --signal KILL "$victim" > /dev/null
echo "compose-test: run 2: killed $victim (host $victim_host) while it held $(jq -r --arg h "$victim_host" '.status.workers[] | select(.host == $h) | .runningItems' "$work/status-2.json") tasks"
wait_until 300 "the second client's run finishing after $victim was killed" exited "$kill_client"
client_ok "$kill_client" 189,961,812
status > "$work/status-3.json"
jq -e .status "$work/status-3.json" > /dev/null 2>&1 || fail "the coordinator's status is not readable: $(head -c 500 "$work/status-3.json")"
[ "$(jq -r '.status.failedItems' "$work/status-3.json")" = 0 ] || fail "the coordinator counts failed tasks: $(jq -c '.status | {completedItems, failedItems}' "$work/status-3.json")"
echo "compose-test: run 2: $(podman logs "$kill_client" 2>&1 | grep -E '^RemoteExecutor')"
echo "compose-test: passed in $(( SECONDS - started ))s"
