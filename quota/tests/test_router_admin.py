"""Staff converge and check routers from the admin, and the password is never shown back."""

import pytest

from accounts.models import Device
from core.units import GIB
from routers.models import Router
from routers.tests.helpers import bindings

pytestmark = pytest.mark.usefixtures("fast_router_settings")


def test_staff_converge_a_router_from_the_admin(router, sim, make_user, staff, client):
    user = make_user(quota_bytes=10 * GIB)
    Device.objects.create(user=user, mac="AC:DE:48:00:04:01", last_ip="172.16.2.41")
    client.force_login(staff)

    response = client.post(
        "/admin/routers/router/",
        {"action": "converge_now", "_selected_action": [router.pk]},
        follow=True,
    )

    assert bindings(sim) == {"AC:DE:48:00:04:01": "bypassed"}
    assert [str(m) for m in response.context["messages"]] == ["lab: 4 ditambah, 0 diubah, 0 dihapus."]


def test_a_router_that_is_down_gives_staff_a_clear_message(db, staff, client, closed_port):
    router = Router.objects.create(name="far", host="127.0.0.1", port=closed_port, username="api")
    client.force_login(staff)

    response = client.post(
        "/admin/routers/router/", {"action": "check_now", "_selected_action": [router.pk]}, follow=True
    )

    [message] = [str(m) for m in response.context["messages"]]
    reason = "tidak dapat terhubung (koneksi ditolak)"
    assert message == f"far tidak dapat dihubungi: far (127.0.0.1:{closed_port}): {reason}"


def test_the_password_is_kept_when_left_empty_and_never_rendered(router, staff, client):
    client.force_login(staff)
    page = client.get(f"/admin/routers/router/{router.pk}/change/").content.decode()
    assert "s3cret-pass" not in page
    assert ">Kata sandi API:</label>" in page  # capitalised like "Pengguna API:", not "kata sandi API:"

    client.post(
        f"/admin/routers/router/{router.pk}/change/",
        {
            "name": "lab",
            "host": "127.0.0.1",
            "port": router.port,
            "username": "api-lps",
            "password": "",
            "enabled": "on",
        },
    )

    router.refresh_from_db()
    assert router.password == "s3cret-pass"


def test_a_port_outside_1_to_65535_is_refused_in_indonesian(db, staff, client):
    client.force_login(staff)

    response = client.post(
        "/admin/routers/router/add/",
        {
            "name": "x",
            "host": "192.0.2.1",
            "port": "99999",
            "username": "api",
            "password": "p",
            "enabled": "on",
        },
    )

    assert response.status_code == 200 and not Router.objects.exists()
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 65535." in response.content.decode()


@pytest.mark.parametrize("action", ["converge_now", "check_now"])
def test_admin_actions_try_a_router_once_so_staff_never_wait_for_retries(router, sim, staff, client, action):
    sim.inject("/login", drop=True)  # the next login is cut off; a retry would get through
    client.force_login(staff)

    response = client.post(
        "/admin/routers/router/", {"action": action, "_selected_action": [router.pk]}, follow=True
    )

    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("lab tidak dapat dihubungi:") and "koneksi terputus" in message
    assert [entry.verb for entry in sim.log] == ["login"]
