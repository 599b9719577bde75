"""PostgreSQL goes away during a burst of 50 payment notifications (10 orders, 5 copies each): a
notification that got a 5xx is applied when Midtrans sends it again, and every order is applied once."""

import random
import threading

import pytest
import requests
from django.db import connection

from billing import services
from billing.models import Transaction
from billing.services import transaction_start
from billing.tests.test_notifications_http import post_all, purchases_of
from core.testing.tcp_proxy import database_through_proxy
from core.whatsapp.outbox import outbox_drain

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


def test_a_database_restart_during_fifty_notifications_applies_each_order_once(
    http_server, midtrans_fake, make_user, package, outbox, monkeypatch
):
    endpoint = f"{http_server}/billing/midtrans/notification/"
    orders = [transaction_start(user=make_user(), package=package) for _ in range(10)]
    notifications = []
    for tx in orders:
        midtrans_fake.pay(tx.order_id, "settlement")
        notifications += [midtrans_fake.notification(tx.order_id)] * 5
    random.Random(20).shuffle(notifications)

    with database_through_proxy(connection) as proxy:
        apply = services._package_apply
        once = threading.Lock()

        def restart_midway(tx):  # the package is in the ledger, the transaction not yet committed
            apply(tx)
            if once.acquire(blocking=False):
                proxy.cut()

        monkeypatch.setattr(services, "_package_apply", restart_midway)
        statuses = post_all(endpoint, notifications)
        assert 500 not in statuses and any(status >= 500 for status in statuses)
        proxy.restore()
        retried = [n for n, status in zip(notifications, statuses, strict=True) if status != 200]
        for _ in range(3):  # Midtrans retries what did not get a 2xx
            retried = [n for n in retried if requests.post(endpoint, json=n, timeout=10).status_code != 200]
        assert retried == []

    # A receipt whose after-commit send met the cut waits in the outbox: the minute schedule sends it.
    outbox_drain()
    for tx in orders:
        tx.refresh_from_db()
        assert tx.status == Transaction.Status.PAID
        assert purchases_of(tx.user).count() == 1
        assert len([m for m in outbox if tx.order_id in m["text"]]) == 1
