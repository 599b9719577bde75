"""Captive portal page weight and server time.

Prints the bytes of the portal entry, phone and code pages (everything the page loads: HTML with inline
CSS, no images, fonts or scripts except Turnstile's, which is excluded; target <= 30 KB each) and the
median server time of each over repeated requests through Django's test client (target <= 15 ms).
Runs on a throw-away test database and a local RouterOS simulator.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lpsaring .venv/bin/python benchmarks/portal.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import core.testing.pytest_env  # noqa: F401 - the test environment defaults

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpsaring.settings")

import django

django.setup()

from _bench import simulated_router  # noqa: E402
from django.test import Client  # noqa: E402

ROUNDS = 200


def timed(client, url, **params):
    samples = []
    body = b""
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url, params)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content
    return len(body), statistics.median(samples)


def main():
    with simulated_router() as sim:
        sim.menu("/ip/hotspot/host").add(
            {"mac-address": "AC:DE:48:00:00:0F", "address": "172.16.2.115"}, dynamic=True
        )
        client = Client()
        entry = {
            "ip": "172.16.2.115",
            "mac": "AC:DE:48:00:00:0F",
            "link-login-only": "http://login.home.arpa/login",
        }
        rows = [("portal entry (asks the router)", *timed(client, "/captive/", **entry))]
        rows.append(("portal entry (session)", *timed(client, "/captive/")))
        rows.append(("phone page", *timed(client, "/captive/masuk/")))
        session = client.session
        session["captive_phone"] = "+6281234567890"
        session.save()
        rows.append(("code page", *timed(client, "/captive/kode/")))
        print(f"captive portal, {ROUNDS} requests each (median server time through the Django test client)")
        for name, size, median in rows:
            print(f"  {name:34s} {size / 1024:6.1f} KB   median {median:6.2f} ms")


if __name__ == "__main__":
    main()
