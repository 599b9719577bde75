"""Run Python code in a child process on the test's database and SIGKILL it at a chosen point: a worker
killed in the middle of its work. The child gets the parent's environment with DATABASE_URL pointing at
the test database; `kill_after` is "module:function": the child wraps it to run, then kill itself (so the
work before it happened, inside whatever transaction is open, and nothing after it)."""

import os
import subprocess
import sys
import textwrap

CHILD = """
import importlib, os, signal, sys
import django
django.setup()
module_name, name = sys.argv[1].split(":")
module = importlib.import_module(module_name)
original = getattr(module, name)
def killed(*args, **kwargs):
    original(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(module, name, killed)
exec(sys.argv[2])
"""


def run_killed(
    *, connection, kill_after: str, code: str, env: dict | None = None, timeout: float = 60
) -> int:
    """The child's return code: -SIGKILL when it was killed at `kill_after`."""
    s = connection.settings_dict
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{host}/{s['NAME']}"
    env = {**os.environ, **(env or {}), "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "lpsaring.settings"}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, kill_after, textwrap.dedent(code)],
        env=env,
        timeout=timeout,
        check=False,
    )
    return child.returncode
