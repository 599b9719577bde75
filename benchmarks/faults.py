"""Faults benchmark: one deployment under a steady load (a WhatsApp notice and a rate-limited cache count
every 0.1 s, /healthz polled), each part taken down for a few seconds and brought back. Prints per fault:
time to detect (/healthz or the outbox notices), time to heal after the part returns, 5xx answers,
messages lost and doubled. Faults covered so far: Redis stopped, the WhatsApp gateway down. PostgreSQL
restarts, router flapping, Midtrans and worker kills are NOT in this run yet (see README "When a part
fails"); their columns are not printed as zeros.
Uses its own redis-server and a throw-away test database on DATABASE_URL's server.
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
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "benchmark-" + "x" * 50)
os.environ["REDIS_URL"] = REDIS.url
os.environ["Q_SYNC"] = "1"
os.environ["Q_BROKER"] = "orm"
os.environ["WHATSAPP_BACKEND"] = "fonnte"
os.environ["FONNTE_TOKEN"] = "bench"
os.environ["SECURE_SSL_REDIRECT"] = "0"
DOWN_S = float(os.environ.get("BENCH_DOWN_S", 3))
TICK_S = 0.1


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from core import cache as failover
    from core.models import WhatsAppMessage
    from core.testing.fonnte_fake import FonnteFake
    from core.whatsapp import outbox, send_after_commit

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    fonnte = FonnteFake(token="bench").start()
    settings.FONNTE_URL = fonnte.send_url
    outbox.BACKOFF_FIRST_S = 1  # the benchmark's clock is real: retry after 1, 2, 4 s instead of 30 s, …
    client = Client()
    queued = [0]
    errors = [0]

    def tick():
        queued[0] += 1
        send_after_commit(phone="+6281200000001", text=f"notice {queued[0]}")
        key = f"bench:{int(time.time()) // 60}"
        cache.add(key, 0, 120)
        cache.incr(key)
        response = client.get("/healthz")
        errors[0] += response.status_code >= 500
        return response.json()

    def run_until(condition, limit_s=60.0):
        start = time.monotonic()
        while time.monotonic() - start < limit_s:
            body = tick()
            if condition(body):
                return time.monotonic() - start
            time.sleep(TICK_S)
        return float("nan")

    rows = []
    try:
        for _ in range(20):
            tick()
        # --- Redis stopped -------------------------------------------------------------------------
        errors[0] = 0
        REDIS.stop()
        detect = run_until(lambda body: not body["cache"]["ok"])
        run_until(lambda body: False, DOWN_S)
        REDIS.start()
        heal = run_until(lambda body: body["cache"]["ok"] and not failover.redis_is_down())
        rows.append(("Redis stopped", detect, heal, errors[0]))
        # --- WhatsApp gateway down -----------------------------------------------------------------
        errors[0] = 0
        fonnte.device_connected = False
        detect = run_until(lambda body: outbox.gateway_down())
        run_until(lambda body: False, DOWN_S)
        fonnte.device_connected = True
        started = time.monotonic()
        while WhatsAppMessage.objects.filter(status=WhatsAppMessage.Status.PENDING).exists():
            outbox.outbox_drain()
            time.sleep(TICK_S)
            if time.monotonic() - started > 120:
                break
        rows.append(("WhatsApp gateway down", detect, time.monotonic() - started, errors[0]))
        texts = [m["message"] for m in fonnte.sent]
        lost = queued[0] - len(set(texts))
        doubled = len(texts) - len(set(texts))
        print(f"load: {queued[0]} notices queued, one per tick (a notice, a cache count, a /healthz,")
        print(f"      then a {TICK_S:.1f} s pause); each part down {DOWN_S:.0f} s")
        print(f"{'fault':<24}{'detect s':>10}{'heal s':>10}{'5xx':>6}")
        for name, detect, heal, count in rows:
            print(f"{name:<24}{detect:>10.2f}{heal:>10.2f}{count:>6}")
        print(f"messages lost: {lost}, messages doubled: {doubled} (over both faults)")
    finally:
        fonnte.stop()
        REDIS.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    try:
        main()
    finally:
        REDIS.stop()
