"""Tasks the worker-shutdown test enqueues; the cluster under test imports them by name."""

import time
from pathlib import Path


def wait_for_release(directory: str) -> str:
    """Notes each start, waits until the test creates `release`, then notes the finish."""
    folder = Path(directory)
    with (folder / "starts").open("a") as log:
        log.write("start\n")
    while not (folder / "release").exists():
        time.sleep(0.05)
    with (folder / "finishes").open("a") as log:
        log.write("done\n")
    return "done"
