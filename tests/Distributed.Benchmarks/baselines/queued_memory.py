"""Python's side of the queued-memory benchmark, printing one number.

  queued-memory --tasks N   one worker held by a long task, N no-op tasks queued behind it: the
                            growth of this process's resident set per queued task, in bytes

The futures are kept in a list made before the first measurement, as the C# side keeps them.
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


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def queued_memory(tasks):
    executor = ProcessPoolExecutor(max_workers=1)
    executor.submit(noop).result()
    executor.submit(hold)
    queued = [None] * tasks
    before = resident_bytes()
    for i in range(tasks):
        queued[i] = executor.submit(noop)
    grown = resident_bytes() - before
    assert not any(f.done() for f in queued[-1000:]), "queued tasks ran"
    processes = list(executor._processes.values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            os.kill(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return grown / tasks


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["queued-memory"])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"{queued_memory(args.tasks):.1f}")
