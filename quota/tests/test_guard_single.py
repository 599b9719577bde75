"""One quota guard runs cycles at a time; a second one stands by and takes over when the first stops."""

import threading
import time

import pytest
from django.db import connection

from quota.metering.cycles import guard_cycle, guard_loop


def _run_guard(counts, name, stop):
    def counted():
        counts[name] += 1
        return guard_cycle()

    try:
        guard_loop(interval_s=0.05, stop=stop.is_set, log=lambda line: None, cycle=counted)
    finally:
        connection.close()  # as a process that stops: its leader lock goes with its connection


@pytest.mark.django_db(transaction=True)
def test_a_second_guard_stands_by_and_takes_over_when_the_first_stops():
    counts = {"first": 0, "second": 0}
    stop_first, stop_second = threading.Event(), threading.Event()
    first = threading.Thread(target=_run_guard, args=(counts, "first", stop_first))
    first.start()
    deadline = time.monotonic() + 10
    while counts["first"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    second = threading.Thread(target=_run_guard, args=(counts, "second", stop_second))
    second.start()
    time.sleep(0.5)  # both running: only the first runs cycles
    both_running = dict(counts)
    stop_first.set()
    first.join()
    deadline = time.monotonic() + 10
    while counts["second"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    stop_second.set()
    second.join()

    assert both_running["first"] > 1 and both_running["second"] == 0
    assert counts["second"] > 0  # it took over
