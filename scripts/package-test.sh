#!/usr/bin/env bash
# The packages, tried as a new user would: pack the solution into a folder feed, check what is
# inside each package, then in a temporary directory make a console app that takes the packages
# by name from that feed (no project reference), run a ProcessPoolExecutor in it (from bin/, and
# again with the worker found only in the NuGet cache, and published self-contained), install the coordinator and worker as
# .NET tools from the feed and run a cluster with them, the app as its RemoteExecutor client.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "package-test: $*" >&2
  for log in "$work"/*.log; do [ -f "$log" ] && { echo "== $(basename "$log")" >&2; tail -n 40 "$log" >&2; }; done
  exit 1
}
wait_for() { # file pattern seconds
  local file=$1 pattern=$2 seconds=$3 end=$((SECONDS + $3))
  while [ $SECONDS -lt $end ]; do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "no '$pattern' in $(basename "$file") within ${seconds}s"
}

feed="$work/feed"
dotnet pack Distributed.sln -c Release -o "$feed" -nologo -v quiet > "$work/pack.log" 2>&1 || fail "dotnet pack failed"
version=$(basename "$(ls "$feed"/Distributed.Futures.[0-9]*.nupkg)" .nupkg)
version=${version#Distributed.Futures.}
echo "package-test: packed version $version"

# 1. What is in each package: README, license (expression and file), repository, XML docs,
# symbols; the worker program and the buildTransitive file inside Distributed.Coordinator.
packages=(Distributed.Futures Distributed.Protocol Distributed.Remoting Distributed.Worker Distributed.Client
  Distributed.Coordinator Distributed.Futures.Hosting Distributed.Coordinator.Tool Distributed.Worker.Tool)
for id in "${packages[@]}"; do
  nupkg="$feed/$id.$version.nupkg"
  [ -f "$nupkg" ] || fail "$id.$version.nupkg was not packed"
  [ -f "$feed/$id.$version.snupkg" ] || fail "$id has no symbol package"
  listing=$(unzip -Z1 "$nupkg")
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  for file in README.md LICENSE; do
    grep -qx "$file" <<<"$listing" || fail "$id has no $file"
  done
  grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || fail "$id has no MIT license expression"
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || fail "$id does not name its README"
  grep -q '<repository type="git" url="[^"]*" commit="[0-9a-f]\{40\}"' <<<"$nuspec" || fail "$id has no repository with a commit"
  grep -q "<version>$version</version>" <<<"$nuspec" || fail "$id is not version $version"
  grep -q '\.pdb$' < <(unzip -Z1 "$feed/$id.$version.snupkg") || fail "$id's symbol package holds no .pdb"
  case "$id" in
    *.Tool) grep -q '^tools/net10.0/any/DotnetToolSettings.xml$' <<<"$listing" || fail "$id is not a .NET tool" ;;
    *) grep -q "^lib/net10.0/$id.xml$" <<<"$listing" || fail "$id has no XML docs" ;;
  esac
done
coordinator_listing=$(unzip -Z1 "$feed/Distributed.Coordinator.$version.nupkg")
for file in distributed-worker/worker.dll distributed-worker/worker.runtimeconfig.json distributed-worker/worker.deps.json \
  distributed-worker/worker.readytorun buildTransitive/Distributed.Coordinator.targets buildTransitive/WorkerProgramPublish.targets; do
  grep -qx "$file" <<<"$coordinator_listing" || fail "Distributed.Coordinator has no $file"
done
# Whether the image on stdin is ReadyToRun: its CLI header points at a native header with
# ReadyToRun's signature.
is_readytorun() {
  python3 -c '
import struct, sys
pe = sys.stdin.buffer.read()
at = struct.unpack_from("<I", pe, 0x3C)[0] + 24
cli_rva = struct.unpack_from("<I", pe, at + (224 if struct.unpack_from("<H", pe, at)[0] == 0x20B else 208))[0]
def offset(rva):
    sections, count = at + struct.unpack_from("<H", pe, at - 4)[0], struct.unpack_from("<H", pe, at - 18)[0]
    for i in range(count):
        size, va, raw_size, raw = struct.unpack_from("<IIII", pe, sections + 40 * i + 8)
        if va <= rva < va + max(size, raw_size):
            return rva - va + raw
    sys.exit("an address outside every section")
native_rva, native_size = struct.unpack_from("<II", pe, offset(cli_rva) + 64)
sys.exit(0 if native_size and struct.unpack_from("<I", pe, offset(native_rva))[0] == 0x00525452 else "no ReadyToRun header")'
}
# The worker program ships ReadyToRun (its start-up is every pool's), for the runtime its marker
# file names.
marker=$(unzip -p "$feed/Distributed.Coordinator.$version.nupkg" distributed-worker/worker.readytorun | tr -d '[:space:]')
[ -n "$marker" ] || fail "Distributed.Coordinator's worker program has no worker.readytorun naming its runtime"
for file in worker.dll Distributed.Worker.dll Grpc.Net.Client.dll; do
  grep -qx "distributed-worker/$file" <<<"$coordinator_listing" || fail "Distributed.Coordinator has no distributed-worker/$file"
  unzip -p "$feed/Distributed.Coordinator.$version.nupkg" "distributed-worker/$file" | is_readytorun \
    || fail "distributed-worker/$file in Distributed.Coordinator is not ReadyToRun"
done
# So do our libraries (an app's first calls into a pool run precompiled code), in their packages
# and inside the tools.
for id in "${packages[@]}"; do
  case "$id" in
    Distributed.Coordinator.Tool) images=(tools/net10.0/any/coordinator.dll tools/net10.0/any/Distributed.Coordinator.dll) ;;
    Distributed.Worker.Tool) images=(tools/net10.0/any/worker.dll tools/net10.0/any/Distributed.Worker.dll) ;;
    *) images=("lib/net10.0/$id.dll") ;;
  esac
  for image in "${images[@]}"; do
    unzip -p "$feed/$id.$version.nupkg" "$image" | is_readytorun || fail "$image in $id is not ReadyToRun"
  done
done
echo "package-test: the worker program, the libraries and the tools ship ReadyToRun for $marker"
# Our packages depend on each other at the same version.
unzip -p "$feed/Distributed.Coordinator.$version.nupkg" Distributed.Coordinator.nuspec \
  | grep -q "<dependency id=\"Distributed.Remoting\" version=\"$version\"" || fail "Distributed.Coordinator does not depend on Distributed.Remoting $version"
echo "package-test: ${#packages[@]} packages hold their README, license, repository, docs and symbols"

# 2. A new console app that takes the packages by name from the feed. Its own NuGet cache, so
# the packages are read from the feed, not from an earlier run; packages from nuget.org come
# from the machine's cache when it has them.
export NUGET_PACKAGES="$work/nuget-cache"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
app="$work/app"
mkdir -p "$app"
cat > "$app/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$feed" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="machine" value="$HOME/.nuget/packages" />
  </fallbackPackageFolders>
</configuration>
EOF
(cd "$app" && dotnet new console -n PackageUser -o . --force > "$work/new.log" 2>&1) || fail "dotnet new console failed"
(cd "$app" && dotnet add package Distributed.Coordinator --version "$version" > "$work/add.log" 2>&1 \
  && dotnet add package Distributed.Client --version "$version" >> "$work/add.log" 2>&1) || fail "dotnet add package failed"
cp "$repo/scripts/package-test/Program.cs" "$app/Program.cs"
(cd "$app" && dotnet build -c Release -nologo -v quiet > "$work/app-build.log" 2>&1) || fail "the app did not build"
app_dll="$app/bin/Release/net10.0/PackageUser.dll"
[ -d "$app/bin/Release/net10.0/distributed-worker" ] || fail "the app's bin/ has no distributed-worker/"
[ ! -e "$app/bin/Release/net10.0/worker.runtimeconfig.json" ] || fail "the worker's runtimeconfig landed in the app's own folder"

output=$(timeout 120 dotnet "$app_dll" pool 2>&1) || fail "the app's ProcessPoolExecutor failed: $output"
grep -q "pool 204 from" <<<"$output" || fail "the app's ProcessPoolExecutor did not sum the squares of 1..8: $output"
echo "package-test: a ProcessPoolExecutor in an app that took the packages from the feed: $output"

# 3. The same app running from the NuGet cache's assemblies (no copy in bin/, as a test host or a
# framework-dependent tool runs): the worker is found in the package's own folder.
(cd "$app" && dotnet build -c Release -nologo -v quiet -p:CopyLocalLockFileAssemblies=false -p:GenerateRuntimeConfigDevFile=true \
  -o "$app/cache-bin" > "$work/app-cache-build.log" 2>&1) || fail "the app did not build against the NuGet cache"
rm -rf "$app/cache-bin/distributed-worker"
[ ! -e "$app/cache-bin/Distributed.Coordinator.dll" ] || fail "CopyLocalLockFileAssemblies=false still copied Distributed.Coordinator.dll"
output=$(timeout 120 dotnet exec --runtimeconfig "$app/cache-bin/PackageUser.runtimeconfig.json" \
  --additionalprobingpath "$NUGET_PACKAGES" --additionalprobingpath "$HOME/.nuget/packages" \
  --depsfile "$app/cache-bin/PackageUser.deps.json" "$app/cache-bin/PackageUser.dll" pool 2>&1) \
  || fail "the ProcessPoolExecutor running from the NuGet cache failed: $output"
grep -q "pool 204 from" <<<"$output" || fail "the ProcessPoolExecutor running from the NuGet cache did not sum the squares: $output"
grep -q "from $NUGET_PACKAGES" <<<"$output" || fail "Distributed.Coordinator was not loaded from the NuGet cache: $output"
echo "package-test: a ProcessPoolExecutor whose worker was found in the NuGet cache"

# 3b. The same app published self-contained, run where no .NET is installed (an empty
# environment: no dotnet on PATH, no DOTNET_ROOT): its pool's workers run on the app's own runtime.
(cd "$app" && dotnet publish -c Release --use-current-runtime --self-contained -nologo -v quiet -o "$app/self-contained" \
  > "$work/app-publish.log" 2>&1) || fail "the app did not publish self-contained"
output=$(cd "$work" && timeout 120 env -i HOME="$work" PATH=/nonexistent "$app/self-contained/PackageUser" pool 2>&1) \
  || fail "the self-contained app's ProcessPoolExecutor failed: $output"
grep -q "pool 204 from $app/self-contained/.* on worker" <<<"$output" || fail "the self-contained app's pool did not sum the squares on its own worker program: $output"
echo "package-test: a self-contained app's ProcessPoolExecutor, with no .NET installed: $output"

# 3c. The same app published ReadyToRun: the app's assemblies are precompiled, the worker
# program's are left as the package ships them (already ReadyToRun, in a folder of their own).
(cd "$app" && dotnet publish -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -nologo -v quiet -o "$app/r2r" \
  > "$work/app-r2r-publish.log" 2>&1) || fail "the app did not publish ReadyToRun: $(tail -5 "$work/app-r2r-publish.log")"
output=$(cd "$work" && timeout 120 "$app/r2r/PackageUser" pool 2>&1) || fail "the ReadyToRun app's ProcessPoolExecutor failed: $output"
grep -q "pool 204 from $app/r2r/" <<<"$output" || fail "the ReadyToRun app's pool did not sum the squares: $output"
for file in worker.dll Distributed.Worker.dll; do
  unzip -p "$feed/Distributed.Coordinator.$version.nupkg" "distributed-worker/$file" | cmp -s - "$app/r2r/distributed-worker/$file" \
    || fail "the ReadyToRun publish changed distributed-worker/$file instead of leaving it as the package ships it"
done
echo "package-test: an app published ReadyToRun runs its pool: $output"

# 4. The two tools from the feed, and a cluster made of them with the app as its client.
tools="$work/tools"
dotnet tool install --tool-path "$tools" --add-source "$feed" Distributed.Coordinator.Tool --version "$version" > "$work/tool.log" 2>&1 \
  || fail "the coordinator tool did not install"
dotnet tool install --tool-path "$tools" --add-source "$feed" Distributed.Worker.Tool --version "$version" >> "$work/tool.log" 2>&1 \
  || fail "the worker tool did not install"
for tool in coordinator worker; do
  printed=$("$tools/$tool" --version)
  [ "$printed" = "$version" ] || fail "$tool --version printed '$printed', not $version"
done
echo "package-test: both tools installed; --version prints $version"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port"
"$tools/coordinator" --listen "$url" --workers 0 > "$work/coordinator.log" 2>&1 &
pids+=($!)
disown
wait_for "$work/coordinator.log" "Coordinator listening" 60
"$tools/worker" --coordinator "$url" --worker-id tool-worker --slots 2 --assembly "$app_dll" > "$work/worker.log" 2>&1 &
pids+=($!)
disown
wait_for "$work/coordinator.log" "Worker tool-worker " 60
output=$(timeout 120 dotnet "$app_dll" remote "$url" 2>&1) || fail "the app as a RemoteExecutor client failed: $output"
grep -q "remote 204 on worker" <<<"$output" || fail "the cluster of tools did not sum the squares on the tool-installed worker: $output"
echo "package-test: a cluster of the two tools ran the app's tasks: $output"
