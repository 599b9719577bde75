"""`make run`'s demo on SQLite: seeding, the simulator, a converge, a usage cycle, a guard cycle and every
schedule the worker runs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from routers.demo import plant_demo_hosts
from routeros_sim import RouterSimulator

call_command("migrate", verbosity=0)
call_command("seed_demo")
call_command("seed_demo")  # idempotent
sim = RouterSimulator("admin", "demo").start("127.0.0.1", 0)
plant_demo_hosts(sim, 20)
from django.conf import settings
settings.MIKROTIK_PORT = sim.port
call_command("router_sync")
call_command("router_check")
sim.add_traffic("172.16.2.101", 1_000_000, 5)
call_command("usage_sync")
call_command("quota_guard", "--once")
call_command("quota_show", "--phone", "081200000001")
# A broadcast, then every schedule the demo's worker runs, once, on SQLite.
from accounts.models import User
from quota.broadcast import broadcast_create
staff = User.objects.filter(role="SUPER_ADMIN").first()
broadcast_create(text="Besok ada kunjungan", audience="all", actor=staff)
from importlib import import_module
from lpsaring.schedules import declared_schedules
for item in declared_schedules():
    module, name = item["func"].rsplit(".", 1)
    getattr(import_module(module), name)()
print("schedules ran", len(declared_schedules()))
from quota.models import BroadcastRecipient
print("broadcast sent", BroadcastRecipient.objects.filter(ok=True).count())
bindings = sim.menu("/ip/hotspot/ip-binding").rows()
print("bindings", sum(row.get("comment", "").startswith("lps:") for row in bindings))
sim.stop()
"""


def test_the_demo_seeds_converges_and_counts_usage_on_sqlite(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "lpsaring.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "WHATSAPP_BACKEND": "memory",
        "MIKROTIK_HOST": "127.0.0.1",
        "MIKROTIK_USER": "admin",
        "MIKROTIK_PASSWORD": "demo",
        "WALLED_GARDEN_DOMAINS": "",  # no DNS lookups leave the machine
        "MIDTRANS_API_BASE_URL": "http://127.0.0.1:9",  # nothing listens: a status check fails at once
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert out.count("Demo data ready.") == 2
    assert "drift=0" in out
    # 5 s at 1 MB/s counted for the resident whose device is 172.16.2.101
    assert "used       4,8 MB" in out
    # ok, fup, unlimited and the Komandan are bypassed, the blocked resident's device blocked; habis and
    # expired residents' devices have no binding (the hotspot captures them and shows the portal)
    assert "bindings 5" in out
    assert "schedules ran" in out  # none of them fails on the demo's SQLite
    assert "broadcast sent 0" not in out and "broadcast sent" in out
