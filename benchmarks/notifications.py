"""Midtrans notifications per second and latency: gunicorn (2 sync workers), PostgreSQL, the Midtrans fake.

Each order gets one settlement notification and two duplicates, sent by CONCURRENCY clients at once; every
notification is confirmed with the (fake) status API, as in production. Prints throughput and p50/p99 and
checks that every order was applied exactly once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lpsaring .venv/bin/python benchmarks/notifications.py
"""

import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
ORDERS = int(os.environ.get("BENCH_ORDERS", 400))
DUPLICATES = 2
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 4))
SERVER_KEY = "SB-Mid-server-BENCH"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lpsaring")
    return base.rsplit("/", 1)[0] + "/lps_bench_notifications"


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    fake_port, web_port = free_port(), free_port()
    fake_url, web_url = f"http://127.0.0.1:{fake_port}", f"http://127.0.0.1:{web_port}"
    env = {
        **os.environ,
        "DATABASE_URL": bench_database_url(),
        "DB_CONN_MAX_AGE": "60",
        "SECRET_KEY": "bench-" + "s3cr3t" * 10,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": "",
        "WHATSAPP_BACKEND": "memory",
        "LOG_LEVEL": "ERROR",
        "MIDTRANS_SERVER_KEY": SERVER_KEY,
        "MIDTRANS_SNAP_BASE_URL": f"{fake_url}/snap/v1",
        "MIDTRANS_API_BASE_URL": fake_url,
        "DJANGO_SETTINGS_MODULE": "lpsaring.settings",
    }
    recreate_database(env["DATABASE_URL"])
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    processes = [
        subprocess.Popen(
            [*manage, "midtrans_fake", "--port", str(fake_port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        ),
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "lpsaring.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{web_port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        ),
    ]
    try:
        wait_for(f"{fake_url}/")
        wait_for(f"{web_url}/healthz")
        order_ids = prepare_orders(env, fake_url)
        firsts = []
        for order_id in order_ids:
            requests.post(
                f"{fake_url}/_fake/orders/{order_id}/pay", json={"transaction_status": "settlement"}
            )
            firsts.append(requests.get(f"{fake_url}/_fake/orders/{order_id}/notification").json())
        # Midtrans repeats a notification when our answer was lost or late: the duplicates come later,
        # mixed across orders.
        duplicates = firsts * DUPLICATES
        random.Random(7).shuffle(duplicates)
        url = f"{web_url}/billing/midtrans/notification/"
        run(f"{web_url}/healthz", [None] * 20)  # warm-up: worker imports and connections
        phases = [
            ("first notification of each order (confirmed, applied)", firsts),
            ("duplicates (recorded, nothing applied)", duplicates),
        ]
        totals = ([], [], 0.0)
        for label, payloads in phases:
            started = time.perf_counter()
            latencies, statuses = run(url, payloads)
            elapsed = time.perf_counter() - started
            report(label, latencies, statuses, elapsed)
            totals = (totals[0] + latencies, totals[1] + statuses, totals[2] + elapsed)
        report("all", *totals)
        check()
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def prepare_orders(env: dict, fake_url: str) -> list[str]:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from _bench import residents_create
    from django.utils import timezone

    from billing.models import Package, Transaction

    package = Package.objects.create(name="Bench 5 GB", price=25000, quota_bytes=5 * 1024**3)
    users = residents_create(ORDERS)
    expires = timezone.now() + timedelta(minutes=15)
    transactions = Transaction.objects.bulk_create(
        Transaction(order_id=f"BENCH-{i:06d}", user=user, package=package, amount=25000, expires_at=expires)
        for i, user in enumerate(users)
    )
    with requests.Session() as session:
        session.auth = (SERVER_KEY, "")
        for tx in transactions:
            body = {"transaction_details": {"order_id": tx.order_id, "gross_amount": tx.amount}}
            session.post(f"{fake_url}/snap/v1/transactions", json=body).raise_for_status()
    return [tx.order_id for tx in transactions]


def run(url: str, payloads: list) -> tuple[list[float], list[int]]:
    local = threading.local()

    def post(payload):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        begin = time.perf_counter()
        if payload is None:
            status = local.session.get(url, timeout=30).status_code
        else:
            status = local.session.post(url, json=payload, timeout=30).status_code
        return time.perf_counter() - begin, status

    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        results = list(pool.map(post, payloads))
    return [r[0] for r in results], [r[1] for r in results]


def report(label, latencies, statuses, elapsed) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    answers = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(
        f"{label}: {len(latencies)} notifications, {len(latencies) / elapsed:.0f} notifications/s, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, answers {answers}"
    )


def check() -> None:
    from billing.models import Transaction
    from quota.models import QuotaEntry

    paid = Transaction.objects.filter(status="PAID").count()
    applied = QuotaEntry.objects.filter(kind="purchase").count()
    print(
        f"gunicorn -w 2, PostgreSQL, Midtrans fake, {CONCURRENCY} concurrent clients: "
        f"paid orders {paid}/{ORDERS}, purchase ledger entries {applied} (must equal the orders)"
    )


if __name__ == "__main__":
    main()
