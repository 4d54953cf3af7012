"""Python's side of the process-pool benchmarks, one scenario per run, printing one number.

  throughput --tasks N     no-op tasks, submit all then take every result: tasks/s
  map --items N --chunk C  map over N ints with chunksize C: items/s
  roundtrip --calls N      N sequential submit->result calls: "p50_us p99_us"
  startup                  time from ProcessPoolExecutor(2) to the first result: seconds

Each runs with 2 workers, started (warmed up) before the clock starts except for `startup`.
"""
import argparse
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

WORKERS = 2


def noop():
    return 0


def square(x):
    return x * x


def warm(executor):
    for f in [executor.submit(noop) for _ in range(WORKERS * 20)]:
        f.result()


def throughput(tasks):
    with ProcessPoolExecutor(max_workers=WORKERS) as executor:
        warm(executor)
        start = time.perf_counter()
        futures = [executor.submit(noop) for _ in range(tasks)]
        for f in futures:
            f.result()
        return tasks / (time.perf_counter() - start)


def map_items(items, chunk):
    with ProcessPoolExecutor(max_workers=WORKERS) as executor:
        warm(executor)
        start = time.perf_counter()
        total = 0
        for r in executor.map(square, range(items), chunksize=chunk):
            total += r
        elapsed = time.perf_counter() - start
        assert total == sum(x * x for x in range(items))
        return items / elapsed


def roundtrip(calls):
    with ProcessPoolExecutor(max_workers=WORKERS) as executor:
        warm(executor)
        times = []
        for _ in range(calls):
            start = time.perf_counter()
            executor.submit(noop).result()
            times.append((time.perf_counter() - start) * 1e6)
        times.sort()
        return f"{times[len(times) // 2]:.1f} {times[int(len(times) * 0.99)]:.1f}"


def startup():
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=WORKERS) as executor:
        executor.submit(noop).result()
        return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["throughput", "map", "roundtrip", "startup"])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    if args.scenario == "throughput":
        print(throughput(args.tasks))
    elif args.scenario == "map":
        print(map_items(args.items, args.chunk))
    elif args.scenario == "roundtrip":
        print(roundtrip(args.calls))
    else:
        print(startup())


if __name__ == "__main__":
    main()
