"""Python's side of the seed's CPU-bound example: the concurrent.futures docs' is_prime over the
docs' PRIMES list (or that list repeated), serially and on a ProcessPoolExecutor(2) that has just
started and run one warm-up call. Prints one line: "serial_s round1_s round2_s ...".

Usage: seed_primes.py --repeat R --rounds N
"""
import argparse
import math
import time
from concurrent.futures import ProcessPoolExecutor

# The list from the concurrent.futures documentation's ProcessPoolExecutor example.
PRIMES = [
    112272535095293,
    112582705942171,
    112272535095293,
    115280095190773,
    115797848077099,
    1099726899285419,
]


def is_prime(n):
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    sqrt_n = int(math.floor(math.sqrt(n)))
    for i in range(3, sqrt_n + 1, 2):
        if n % i == 0:
            return False
    return True


def noop():
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    numbers = PRIMES * args.repeat
    start = time.perf_counter()
    expected = [is_prime(n) for n in numbers]
    serial = time.perf_counter() - start
    rounds = []
    with ProcessPoolExecutor(max_workers=2) as executor:
        executor.submit(noop).result()
        for _ in range(args.rounds):
            start = time.perf_counter()
            results = list(executor.map(is_prime, numbers))
            rounds.append(time.perf_counter() - start)
            assert results == expected
    print(" ".join(f"{t:.6f}" for t in [serial] + rounds))


if __name__ == "__main__":
    main()
