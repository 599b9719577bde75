"""Faults benchmark: one deployment (in one process: the web app through Django's test client, the usage
cycle, the outbox drain) under a steady load, each part taken down and brought back in turn.

Load per tick (a tick lasts at least BENCH_TICK_S, 1 s, of wall-clock time): 1 MB of download planted
on each of 200 residents' queues in the RouterOS simulator (over TCP), one usage cycle, one paid order's
Midtrans notification (answers other than 200 are sent again on the next ticks, as Midtrans retries), the
outbox drain, and /healthz. Faults: Redis stopped (own redis-server),
PostgreSQL cut (a TCP proxy in front of it drops every connection and refuses new ones), the router
dropping every print, Midtrans' status API down, the WhatsApp gateway (Fonnte fake) down.
Prints per fault: ticks and seconds to detect, seconds to heal after the part returns; then the totals
that must be 0: bytes lost (planted minus the ledger), payments doubled, receipts lost or doubled.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lpsaring .venv/bin/python benchmarks/faults.py
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.testing.redis_server import RedisServer  # noqa: E402  standard library only, before Django

REDIS = RedisServer().start()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpsaring.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-" + "x" * 50)
os.environ.setdefault("MIDTRANS_SERVER_KEY", "SB-Mid-server-BENCH")
os.environ["REDIS_URL"] = REDIS.url
os.environ["Q_SYNC"] = "1"
os.environ["Q_BROKER"] = "orm"
os.environ["WHATSAPP_BACKEND"] = "fonnte"
os.environ["FONNTE_TOKEN"] = "bench"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["MIKROTIK_HOST"] = ""
os.environ["MIKROTIK_TIMEOUT_S"] = "1"
os.environ["MIKROTIK_CONNECT_ATTEMPTS"] = "1"
os.environ["LOG_LEVEL"] = "CRITICAL"
_base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lpsaring")
os.environ["DATABASE_URL"] = _base.rsplit("/", 1)[0] + "/lps_bench_faults"
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", 200))
DOWN_TICKS = int(os.environ.get("BENCH_DOWN_TICKS", 5))
# A tick lasts at least this long (wall clock): one notification per tick is then one a second at most.
TICK_S = float(os.environ.get("BENCH_TICK_S", 1.0))
PLANT = 1_000_000


def main() -> None:
    import logging

    import django

    django.setup()
    logging.disable(logging.CRITICAL)
    from datetime import timedelta

    from _bench import simulated_router
    from django.conf import settings
    from django.db import close_old_connections, connection
    from django.db.models import Sum
    from django.test import Client
    from django.utils import timezone

    from billing.models import Package, Transaction
    from billing.services import pending_reconcile, transaction_start
    from billing.testing import MidtransFake
    from core import cache as failover
    from core.models import WhatsAppMessage
    from core.testing.fonnte_fake import FonnteFake
    from core.testing.tcp_proxy import database_through_proxy
    from core.whatsapp import outbox
    from quota.metering.cycles import usage_cycle
    from quota.models import QuotaEntry
    from quota.router_state import full_reconcile
    from quota.tests.usage_bulk import bulk_residents, plant_traffic

    settings.ALLOWED_HOSTS = ["*"]
    outbox.BACKOFF_FIRST_S = 1  # real time here: retries after 1, 2, 4 s instead of 30 s, 1 min, …
    fonnte = FonnteFake(token="bench").start()
    settings.FONNTE_URL = fonnte.send_url
    midtrans = MidtransFake(server_key=settings.MIDTRANS_SERVER_KEY).start()
    settings.MIDTRANS_SNAP_BASE_URL = midtrans.snap_base_url
    settings.MIDTRANS_API_BASE_URL = midtrans.base_url
    settings.MIDTRANS_TIMEOUT_S = 2

    with simulated_router() as sim, database_through_proxy(connection) as db_proxy:
        user_ids = bulk_residents(sim, RESIDENTS)
        full_reconcile()
        start = timezone.now()
        clock = lambda: start + timedelta(seconds=sim.now())  # noqa: E731
        usage_cycle(now=clock)
        package = Package.objects.create(
            name="Paket 1 GB", price=10000, quota_bytes=1 << 30, validity_days=30
        )
        from accounts.models import User

        buyers = list(User.objects.filter(pk__in=user_ids).order_by("pk"))
        orders = [transaction_start(user=user, package=package).order_id for user in buyers]
        web = Client()
        state = {"planted": 0, "next_order": 0, "retry": [], "errors": 0}

        def attempt(work):
            try:
                return work()
            except Exception:
                state["errors"] += 1
                return None
            finally:
                close_old_connections()  # as every task, request and the guard loop does between runs

        def notify(notification):
            response = web.post(
                "/billing/midtrans/notification/", notification, content_type="application/json"
            )
            return response.status_code == 200

        def tick():
            began = time.monotonic()
            plant_traffic(sim, user_ids, PLANT)
            state["planted"] += PLANT * len(user_ids)
            sim.advance(60)
            report = attempt(lambda: usage_cycle(now=clock))
            if state["next_order"] < len(orders):
                order_id = orders[state["next_order"]]
                state["next_order"] += 1
                midtrans.pay(order_id, "settlement")
                state["retry"].append(midtrans.notification(order_id))
            state["retry"] = [n for n in state["retry"] if not attempt(lambda n=n: notify(n))]
            attempt(outbox.outbox_drain)
            health = attempt(lambda: web.get("/healthz"))
            body = health.json() if health is not None else {"status": "down", "cache": {"ok": True}}
            time.sleep(max(0.0, TICK_S - (time.monotonic() - began)))
            return body, report

        def until(condition, limit=60):
            began = time.monotonic()
            for n in range(1, limit + 1):
                body, report = tick()
                if condition(body, report):
                    return n, time.monotonic() - began
            return float("nan"), float("nan")

        faults = [
            (
                "Redis stopped",
                REDIS.stop,
                lambda: (REDIS.start(), failover._state.update(down_until=0.0)),
                lambda body, report: not body["cache"]["ok"],
                lambda body, report: body["cache"]["ok"],
            ),
            (
                "PostgreSQL cut",
                db_proxy.cut,
                db_proxy.restore,
                lambda body, report: body["status"] == "down",
                lambda body, report: body["status"] != "down" and report is not None,
            ),
            (
                "router drops every print",
                lambda: sim.inject("/queue/simple/print", drop=True, times=None),
                sim.clear_injections,
                lambda body, report: report is not None and report.routers_failed,
                lambda body, report: report is not None and not report.routers_failed,
            ),
            (
                "Midtrans status API down",
                lambda: setattr(midtrans, "status_api_down", True),
                lambda: setattr(midtrans, "status_api_down", False),
                lambda body, report: bool(state["retry"]),
                lambda body, report: not state["retry"],
            ),
            (
                "WhatsApp gateway down",
                lambda: setattr(fonnte, "device_connected", False),
                lambda: setattr(fonnte, "device_connected", True),
                lambda body, report: outbox.gateway_down(),
                lambda body, report: not WhatsAppMessage.objects.filter(status="pending").exists(),
            ),
        ]
        for _ in range(3):
            tick()
        rows = []
        for name, inject, restore, detected, healed in faults:
            errors_before = state["errors"]
            inject()
            detect_ticks, detect_s = until(detected)
            for _ in range(DOWN_TICKS):
                tick()
            restore()
            _, heal_s = until(healed)
            rows.append((name, detect_ticks, detect_s, heal_s, state["errors"] - errors_before))
        for _ in range(3):
            tick()
        usage_cycle(now=clock)
        pending_reconcile(min_age=timedelta(0))
        outbox.outbox_drain()

        counted = QuotaEntry.objects.filter(kind="usage").aggregate(total=Sum("amount_bytes"))["total"] or 0
        paid = Transaction.objects.filter(status=Transaction.Status.PAID).values_list("order_id", flat=True)
        purchases = QuotaEntry.objects.filter(kind="purchase").count()
        receipts = [m["message"] for m in fonnte.sent]
        per_order = [sum(order_id in text for text in receipts) for order_id in paid]
        print(f"{RESIDENTS} residents, {len(paid)} orders paid, {state['planted']:,} bytes planted, "
              f"each fault {DOWN_TICKS} ticks after it was detected")  # fmt: skip
        print(f"{'fault':<28}{'detect':>8}{'detect s':>10}{'heal s':>8}{'failed runs':>13}")
        for name, ticks, detect_s, heal_s, errors in rows:
            print(f"{name:<28}{ticks:>8}{detect_s:>10.2f}{heal_s:>8.2f}{errors:>13}")
        print(f"bytes lost: {state['planted'] - (-counted):,}")
        print(f"payments doubled: {purchases - len(paid)}")
        print(
            f"receipts lost: {per_order.count(0)}, receipts doubled: {sum(max(0, n - 1) for n in per_order)}"
        )
    fonnte.stop()
    midtrans.stop()


if __name__ == "__main__":
    try:
        main()
    finally:
        REDIS.stop()
