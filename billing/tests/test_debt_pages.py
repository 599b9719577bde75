"""The resident side of debt: the "Bayar utang" page, the split on the purchase page, the pay-to-continue
status page, and the whole path grant → month-end block at 23:00 → online settlement → block lifted."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from billing.models import Transaction
from billing.services import transaction_confirm
from core.units import GIB, MIB
from quota.debt import debt_grant, debt_summary
from quota.debt_cycle import debt_cycle
from quota.models import QuotaBalance
from quota.selectors import access_status_of
from quota.services import quota_consume
from quota.status import AccessStatus
from sites.models import Site

pytestmark = pytest.mark.django_db
MIDMONTH = "2026-03-15 10:00 +08:00"


def at(zone, text):
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


@pytest.fixture
def owing(make_user):
    with time_machine.travel(MIDMONTH, tick=False):
        user = make_user(quota_bytes=GIB)
        quota_consume(user=user, amount_bytes=GIB + 300 * MIB, idempotency_key="u")  # 300 MB auto debt
        debt_grant(user=user, amount_bytes=2 * GIB, price_rp=20000, actor=None, note="Paket 2 GB")
    return user


@time_machine.travel(MIDMONTH, tick=False)
def test_the_debt_page_lists_items_auto_debt_and_total_and_starts_a_debt_order(
    client, owing, package, midtrans_fake
):
    # 2 GB on credit after 300 MB beyond the quota: the credit paid the auto debt; buy more usage back.
    quota_consume(user=owing, amount_bytes=2 * GIB + 100 * MIB, idempotency_key="u2")
    client.force_login(owing)
    page = client.get(reverse("billing:debt")).content.decode()
    assert "Paket 2 GB" in page and 'id="auto-debt"' in page and "20.000" in page
    response = client.post(reverse("billing:debt-pay"))
    tx = Transaction.objects.get(user=owing, kind=Transaction.Kind.DEBT)
    assert response.status_code == 302 and response["Location"] == tx.redirect_url
    assert f"Rp {tx.amount:,}".replace(",", ".") in page  # the total shown is what the order asks


@time_machine.travel(MIDMONTH, tick=False)
def test_the_account_page_links_the_debt_page_only_when_owing(client, owing, make_user):
    client.force_login(owing)
    assert 'id="pay-debt"' in client.get(reverse("resident:home")).content.decode()
    client.force_login(make_user(quota_bytes=GIB))
    assert 'id="pay-debt"' not in client.get(reverse("resident:home")).content.decode()


@time_machine.travel(MIDMONTH, tick=False)
def test_without_debt_the_page_says_so_and_no_order_is_made(client, make_user, midtrans_fake):
    user = make_user(quota_bytes=GIB)
    client.force_login(user)
    assert 'id="no-debt"' in client.get(reverse("billing:debt")).content.decode()
    assert client.post(reverse("billing:debt-pay")).status_code == 302
    assert not Transaction.objects.filter(user=user).exists()


@time_machine.travel(MIDMONTH, tick=False)
def test_the_purchase_page_shows_what_pays_debt_and_what_is_added(client, make_user, package):
    user = make_user(quota_bytes=GIB)
    quota_consume(user=user, amount_bytes=GIB + 300 * MIB, idempotency_key="u")
    client.force_login(user)
    page = client.get(reverse("billing:packages")).content.decode()
    assert 'class="split"' in page and 'id="owes"' in page
    assert "300" in page  # 300 MB pays the auto debt first


@pytest.mark.parametrize("zone", ["Asia/Makassar", "Asia/Jakarta"])
def test_grant_block_at_23_settle_online_lifts_the_block_and_clears_the_debt(
    client, make_user, package, midtrans_fake, zone
):
    Site.objects.filter(pk=Site.objects.default().pk).update(time_zone=zone)
    with time_machine.travel(at(zone, "2026-03-15 10:00"), tick=False):
        user = make_user()
        debt_grant(user=user, amount_bytes=2 * GIB, price_rp=20000, actor=None, note="Paket 2 GB")
    for moment, blocked in (("2026-03-31 22:59", False), ("2026-03-31 23:00", True)):
        with time_machine.travel(at(zone, moment), tick=False):
            debt_cycle()
            user.refresh_from_db()
            assert (access_status_of(user) == AccessStatus.DEBT) is blocked
    with time_machine.travel(at(zone, "2026-03-31 23:05"), tick=False):
        client.force_login(user)
        status_page = client.get(reverse("captive:status")).content.decode()
        assert 'id="status-debt"' in status_page and reverse("billing:debt") in status_page
        client.post(reverse("billing:debt-pay"))
        tx = Transaction.objects.get(user=user, kind=Transaction.Kind.DEBT)
        midtrans_fake.pay(tx.order_id, "settlement", payment_type="gopay")
        assert transaction_confirm(order_id=tx.order_id, source="test", notification=None) == "applied"
        user.refresh_from_db()
        assert access_status_of(user) == AccessStatus.OK
        assert not debt_summary(user).has_debt and QuotaBalance.objects.get(user=user).debt_block == ""
