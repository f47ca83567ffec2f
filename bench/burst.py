"""The quiz start's yardstick: as many visitors as learners request the floor at once.

bench/load.py runs this right before each quiz phase, against the same servers and from the
same driver: one thread per visitor, released together by a barrier, a new connection per
request, each visitor asking for the floor page twice in a row, as a learner sends the
start and then asks for the attempt page. What the floor's first request waits is the least
a start can wait on this machine with this driver: the queue in front of the page workers,
nginx, and the driver's own threads taking turns for the interpreter.
"""

import threading
import time

from harness import http_request
from quiz_load import Results

FLOOR_PATH = "/bench/floor/"
KINDS = ("floor, first request", "floor, second request")


def floor_burst(port, visitors):
    """Results with the timings of every visitor's two floor requests."""
    results = Results()
    barrier = threading.Barrier(visitors + 1, timeout=600)

    def visit():
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return
        for kind in KINDS:
            start = time.perf_counter()
            try:
                status = http_request(port, "GET", FLOOR_PATH)[0]
            except OSError as exc:
                results.error(kind, f"{type(exc).__name__}: {exc}")
                return
            if status != 200:
                results.error(kind, f"GET {FLOOR_PATH}: {status}")
                return
            results.timing(kind, start, time.perf_counter())

    threads = [threading.Thread(target=visit, daemon=True) for _ in range(visitors)]
    for thread in threads:
        thread.start()
    barrier.wait()
    for thread in threads:
        thread.join(600)
    return results
