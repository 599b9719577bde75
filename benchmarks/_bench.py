"""Set-up shared by the benchmarks: a throw-away database with a RouterOS simulator, and bulk residents.

Django is imported inside the functions: each script sets its environment and database before django.setup().
"""

import os
from contextlib import contextmanager


def django_setup() -> None:
    """Django for a benchmark: the settings module, a demo secret, no configured router (the benchmark
    starts its own simulator) and tasks run inline. Variables already exported win over the first two."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpsaring.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "benchmark-" + "x" * 50)
    os.environ["MIKROTIK_HOST"] = ""
    os.environ["Q_SYNC"] = "1"
    django.setup()


@contextmanager
def simulated_router():
    """A throw-away test database holding one Router row for a running RouterOS simulator; yields the
    simulator, and stops it and drops the database on the way out."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    from routeros_sim import RouterSimulator
    from routers.models import Router

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    sim = RouterSimulator(username="bench", password="bench").start()
    try:
        Router.objects.create(
            name="bench", host="127.0.0.1", port=sim.port, username="bench", password="bench"
        )
        yield sim
    finally:
        sim.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def residents_create(count: int) -> list:
    """`count` approved residents in one room, straight into the database (no password hashing)."""
    from accounts.models import Block, Room, User

    room = Room.objects.get_or_create(block=Block.objects.get_or_create(name="B")[0], name="1")[0]
    return User.objects.bulk_create(
        User(
            phone=f"+62812{n:08d}",
            full_name=f"Warga {n}",
            room=room,
            block=room.block,
            approval_status=User.Approval.APPROVED,
        )
        for n in range(count)
    )
