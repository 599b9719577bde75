"""Resident pages: buying through Snap (the fake over HTTP) and the confirmed status page."""

import socket
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from billing.links import order_from_token, order_status_url
from billing.models import Package, Transaction
from quota.models import QuotaEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client


def order_linked(url: str) -> str | None:
    """The order a status link opens. Tokens carry the second they were signed, so two links to one order
    differ from second to second: compare what they open."""
    path = url.split("://", 1)[-1]
    if "/billing/order/" not in path:
        return None
    return order_from_token(path.rstrip("/").rsplit("/", 1)[-1])


def buy(client, package):
    return client.post(reverse("billing:purchase", args=[package.pk]))


def test_buying_creates_a_snap_transaction_and_redirects_to_it(
    resident_client, midtrans_fake, package, resident
):
    response = buy(resident_client, package)

    tx = Transaction.objects.get(user=resident)
    assert response.status_code == 302 and response["Location"] == tx.redirect_url
    assert tx.order_id.startswith("LPS-") and tx.amount == 25000 and tx.status == Transaction.Status.PENDING
    order = midtrans_fake.orders[tx.order_id]
    assert order["gross_amount"] == "25000.00"
    assert order_linked(order["finish_url"]) == tx.order_id
    params = order["params"]
    assert sum(item["price"] * item["quantity"] for item in params["item_details"]) == 25000
    assert params["customer_details"] == {"first_name": resident.full_name, "phone": resident.phone}
    assert params["expiry"]["unit"] == "minute" and params["expiry"]["duration"] == 15
    started = datetime.strptime(params["expiry"]["start_time"], "%Y-%m-%d %H:%M:%S %z")
    assert abs(started - tx.created_at) < timedelta(seconds=1)
    assert tx.expires_at - tx.created_at == timedelta(minutes=15)


def test_order_prefix_comes_from_the_settings(resident_client, midtrans_fake, package, resident, settings):
    settings.MIDTRANS_ORDER_PREFIX = "RUTAN"
    buy(resident_client, package)
    assert Transaction.objects.get(user=resident).order_id.startswith("RUTAN-")


def test_buying_again_reuses_the_unexpired_pending_transaction(
    resident_client, midtrans_fake, package, resident
):
    first = buy(resident_client, package)
    second = buy(resident_client, package)

    assert first["Location"] == second["Location"]
    assert Transaction.objects.filter(user=resident).count() == 1
    assert len(midtrans_fake.orders) == 1


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_midtrans_unreachable_shows_a_clear_message_and_creates_nothing(resident_client, package, settings):
    settings.MIDTRANS_SNAP_BASE_URL = f"http://127.0.0.1:{closed_port()}/snap/v1"

    response = buy(resident_client, package)
    page = resident_client.get(response["Location"])

    assert response["Location"] == reverse("billing:packages")
    assert "cannot be reached" in page.content.decode() or "tidak dapat" in page.content.decode()
    assert not Transaction.objects.exists()


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers, like a Midtrans that hangs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def test_a_hanging_snap_times_out_with_a_clear_message(resident_client, package, settings, silent_port):
    settings.MIDTRANS_SNAP_BASE_URL = f"http://127.0.0.1:{silent_port}/snap/v1"
    settings.MIDTRANS_TIMEOUT_S = 0.2

    response = buy(resident_client, package)

    assert response["Location"] == reverse("billing:packages")
    assert "tidak dapat dihubungi" in resident_client.get(response["Location"]).content.decode()
    assert not Transaction.objects.exists()


def test_a_hanging_status_api_times_out_and_the_page_still_answers(client, started, settings, silent_port):
    settings.MIDTRANS_API_BASE_URL = f"http://127.0.0.1:{silent_port}"
    settings.MIDTRANS_TIMEOUT_S = 0.2

    page = client.get(order_status_url(started.order_id)).content.decode()

    assert "Menunggu pembayaran" in page and "belum dapat dikonfirmasi" in page


def test_snap_failing_with_500_creates_nothing(resident_client, midtrans_fake, package):
    midtrans_fake.snap_down = True
    assert buy(resident_client, package)["Location"] == reverse("billing:packages")
    assert not Transaction.objects.exists()


def test_an_inactive_package_cannot_be_bought(resident_client, midtrans_fake, package):
    Package.objects.filter(pk=package.pk).update(is_active=False)
    assert buy(resident_client, package).status_code == 404
    assert not Transaction.objects.exists()


def test_anonymous_visitors_are_sent_to_the_resident_login(client, package, settings):
    response = client.get(reverse("billing:packages"))
    assert response.status_code == 302 and response["Location"].startswith(settings.RESIDENT_LOGIN_URL)


def test_package_page_lists_active_packages(resident_client, package, unlimited_package):
    Package.objects.create(name="Paket Lama", price=5000, quota_bytes=1, is_active=False)
    page = resident_client.get(reverse("billing:packages")).content.decode()
    assert "Paket 5 GB" in page and "Paket Unlimited" in page and "Paket Lama" not in page
    assert "5,00 GB" in page and "25.000" in page
    # The resident's tabs are there, so the page is not a dead end in the captive window.
    assert f'href="{reverse("resident:home")}"' in page


def test_status_page_trusts_the_status_api_not_the_query_string(client, midtrans_fake, started):
    url = order_status_url(started.order_id)

    claimed = client.get(url, {"order_id": started.order_id, "transaction_status": "settlement"})

    assert claimed.status_code == 200
    started.refresh_from_db()
    assert started.status == Transaction.Status.PENDING
    assert not QuotaEntry.objects.filter(kind=QuotaEntry.Kind.PURCHASE).exists()


def test_status_page_from_another_browser_confirms_a_payment(client, midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")

    page = client.get(order_status_url(started.order_id))  # not logged in: the signed link is enough

    started.refresh_from_db()
    assert started.status == Transaction.Status.PAID
    assert QuotaEntry.objects.filter(reference=started.order_id).count() == 1
    assert started.order_id in page.content.decode()


def test_the_paid_status_page_shows_the_owner_the_new_quota(
    resident_client, client, midtrans_fake, make_user, package
):
    from billing.services import transaction_start
    from core.units import GIB

    owner = make_user(quota_bytes=GIB)
    resident_client.force_login(owner)
    tx = transaction_start(user=owner, package=package)
    midtrans_fake.pay(tx.order_id, "settlement")

    page = resident_client.get(order_status_url(tx.order_id)).content.decode()

    assert "Lunas" in page and 'id="remaining">6,00 GB<' in page  # 1 GB before + the 5 GB package
    resident_client.logout()
    elsewhere = resident_client.get(order_status_url(tx.order_id)).content.decode()
    assert "Lunas" in elsewhere and 'id="remaining"' not in elsewhere  # the link alone shows no balance


def test_a_tampered_status_link_is_not_found(client, started):
    token = order_status_url(started.order_id).rstrip("/").rsplit("/", 1)[-1]
    assert client.get(reverse("billing:order-status", args=[token[:-2] + "xx"])).status_code == 404


def test_finish_redirect_leads_the_owner_to_the_status_page(resident_client, started, make_user, client):
    response = resident_client.get(reverse("billing:finish"), {"order_id": started.order_id})
    assert order_linked(response["Location"]) == started.order_id

    client.force_login(make_user())
    assert client.get(reverse("billing:finish"), {"order_id": started.order_id}).status_code == 404


@pytest.mark.parametrize("order_id", ["x" * 500, ""])
def test_finish_with_a_garbled_order_id_is_not_found(resident_client, started, order_id):
    assert resident_client.get(reverse("billing:finish"), {"order_id": order_id}).status_code == 404


@pytest.mark.parametrize("order_id", ["\x00", "LPS-\x00-1"])
def test_finish_with_a_nul_in_the_order_id_is_a_bad_request(resident_client, started, order_id):
    # Every query string with a NUL is refused before any view (core.middleware.QueryStringNulMiddleware).
    assert resident_client.get(reverse("billing:finish"), {"order_id": order_id}).status_code == 400


def test_status_page_says_when_midtrans_cannot_be_reached(client, midtrans_fake, started):
    quiet = client.get(order_status_url(started.order_id)).content.decode()
    midtrans_fake.status_api_down = True
    down = client.get(order_status_url(started.order_id)).content.decode()

    assert "Menunggu pembayaran" in quiet and "belum dapat dikonfirmasi" not in quiet
    assert "belum dapat dikonfirmasi" in down
