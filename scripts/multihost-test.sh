#!/usr/bin/env bash
# The cluster across hosts, for real: four hosts made of Linux network namespaces, joined by veth
# pairs to a bridge that lives in a fifth namespace. The coordinator runs on one host, a worker on
# each of two others, and a client on the fourth. Every interface and address exists only inside
# these namespaces, and everything is removed on exit, however the script ends.
#
#  1. The client runs a batch; every task must complete, and both worker hosts must have run some.
#  2. The client runs a longer batch; mid-run, one worker's link is cut. The coordinator must give
#     that worker up (no heartbeat) and run its tasks on the other: every task still completes.
#
# Needs root (namespaces) and a built solution (dotnet build -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "multihost-test: skipped, it needs root to create network namespaces." >&2
  exit 0
fi

bin=Release/net10.0
coordinator_dll=src/coordinator/bin/$bin/coordinator.dll
worker_dll=src/worker/bin/$bin/worker.dll
probe_dll=tests/Distributed.TestPrograms/bin/$bin/Distributed.TestPrograms.dll
for dll in "$coordinator_dll" "$worker_dll" "$probe_dll"; do
  [ -f "$dll" ] || { echo "multihost-test: $dll is missing; run dotnet build -c Release first." >&2; exit 1; }
done

# Unique names and subnet per run, so parallel runs do not collide.
id=$(printf '%04x' $(( ($$ + RANDOM) % 65536 )))
subnet="10.$(( 100 + RANDOM % 100 )).$(( RANDOM % 250 ))"
network="$subnet."
switch="df$id-switch"
hosts=(coord w1 w2 client)
declare -A address=([coord]="$subnet.1" [w1]="$subnet.2" [w2]="$subnet.3" [client]="$subnet.4")
work=$(mktemp -d)
pids=()

cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  for host in "${hosts[@]}"; do
    ip netns pids "df$id-$host" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns del "df$id-$host" 2>/dev/null
  done
  ip netns del "$switch" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "multihost-test: FAILED: $*" >&2
  for log in "$work"/*.log; do echo "--- $(basename "$log")"; tail -n 30 "$log"; done >&2
  exit 1
}

# Waits (bounded) until a file holds a line matching a pattern.
wait_for() {
  local file=$1 pattern=$2 seconds=$3
  for _ in $(seq 1 $(( seconds * 10 ))); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "no '$pattern' in $(basename "$file") within ${seconds}s"
}

echo "multihost-test: hosts on $subnet.0/24 (namespaces df$id-*)"
ip netns add "$switch"
ip -n "$switch" link add br0 type bridge
ip -n "$switch" link set br0 up
for host in "${hosts[@]}"; do
  ns="df$id-$host"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$ns" link add name eth0 type veth peer name "p$id$host" netns "$switch"
  ip -n "$switch" link set "p$id$host" master br0 up
  ip -n "$ns" addr add "${address[$host]}/24" dev eth0
  ip -n "$ns" link set eth0 up
done

token="$work/token"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$token"
chmod 600 "$token"
url="http://${address[coord]}:5000"

ip netns exec "df$id-coord" dotnet "$coordinator_dll" --listen "$url" --token-file "$token" \
  --heartbeat-interval 0.5 --heartbeat-timeout 3 > "$work/coordinator.log" 2>&1 &
pids+=($!)
wait_for "$work/coordinator.log" "Coordinator listening" 60

for worker in w1 w2; do
  ip netns exec "df$id-$worker" dotnet "$worker_dll" --coordinator "$url" --token-file "$token" \
    --worker-id "$worker" --slots 2 --assembly "$probe_dll" > "$work/$worker.log" 2>&1 &
  pids+=($!)
done
wait_for "$work/coordinator.log" "Worker w1 " 60
wait_for "$work/coordinator.log" "Worker w2 " 60

# 1. A batch spread over both worker hosts.
ip netns exec "df$id-client" dotnet "$probe_dll" cluster-check "$url" "$token" "$network" 40 50 > "$work/client-batch.log" 2>&1 \
  || fail "the first batch did not complete"
grep -q "all 40 tasks completed" "$work/client-batch.log" || fail "the first batch did not report 40 results"
grep -q "${address[w1]}=" "$work/client-batch.log" || fail "no task ran on w1 (${address[w1]})"
grep -q "${address[w2]}=" "$work/client-batch.log" || fail "no task ran on w2 (${address[w2]})"
echo "multihost-test: batch 1: $(grep '^hosts' "$work/client-batch.log")"

# 2. A longer batch; w1's link is cut once results flow.
ip netns exec "df$id-client" dotnet "$probe_dll" cluster-check "$url" "$token" "$network" 60 300 > "$work/client-cut.log" 2>&1 &
client=$!
pids+=($client)
wait_for "$work/client-cut.log" "result 6 of 60" 120
ip -n "df$id-w1" link set eth0 down
echo "multihost-test: cut w1's link after $(grep -c '^result' "$work/client-cut.log") results"
wait "$client" || fail "the batch did not complete after w1 was cut off"
grep -q "all 60 tasks completed" "$work/client-cut.log" || fail "the cut batch did not report 60 results"
grep -qE "Worker w1 \(pid [0-9]+\) lost" "$work/coordinator.log" || fail "the coordinator never gave w1 up"
echo "multihost-test: batch 2: $(grep '^hosts' "$work/client-cut.log")"
echo "multihost-test: passed"
