"""Python's side of the thread-pool throughput benchmark: submit every no-op task, then take every
result, as the C# side does. Prints one line per run: tasks per second."""
import argparse
import time
from concurrent.futures import ThreadPoolExecutor


def noop():
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with ThreadPoolExecutor(max_workers=args.workers) as executor:
        # Warm-up: start the threads, as the C# side's warm-up run does.
        for f in [executor.submit(noop) for _ in range(1000)]:
            f.result()
        start = time.perf_counter()
        futures = [executor.submit(noop) for _ in range(args.tasks)]
        for f in futures:
            f.result()
        elapsed = time.perf_counter() - start
    print(args.tasks / elapsed)


if __name__ == "__main__":
    main()
