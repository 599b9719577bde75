"""The captive login from the hotspot redirect to "Terhubung", against the simulator and fakes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Device, OtpCode
from core.units import GIB
from portal.tests.conftest import code_from, demo_ip, demo_mac, request_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def resident(make_user):
    return make_user(quota_bytes=5 * GIB)


# Every refused code gets this one answer, so the code step cannot tell residents from strangers.
REFUSED = "Kode salah, kedaluwarsa, atau sudah dipakai"


def binding_macs(sim):
    return {row["mac-address"] for row in sim.menu("/ip/hotspot/ip-binding").rows()}


def test_a_resident_logs_in_with_the_whatsapp_code_and_the_router_bypasses_the_device(
    portal_client, resident, outbox, router_sim
):
    assert portal_client.arrive(15).status_code == 200
    assert request_code(portal_client, resident.phone).status_code == 302
    response = portal_client.post("/captive/kode/", {"code": code_from(outbox, resident.phone)}, follow=True)
    page = response.content.decode()
    assert "Terhubung" in page
    assert "Buka di browser utama" in page
    assert "5,00 GB" in page
    device = Device.objects.get(user=resident)
    assert (device.mac, device.last_ip, device.is_authorized) == (demo_mac(15), demo_ip(15), True)
    assert demo_mac(15) in binding_macs(router_sim)


def test_a_wrong_code_five_times_locks_the_code(portal_client, resident, outbox):
    portal_client.arrive(15)
    request_code(portal_client, resident.phone)
    good = code_from(outbox, resident.phone)
    wrong = f"{(int(good) + 1) % 10**6:06d}"
    for _ in range(5):
        page = portal_client.post("/captive/kode/", {"code": wrong}).content.decode()
    assert REFUSED in page
    page = portal_client.post("/captive/kode/", {"code": good}).content.decode()
    assert REFUSED in page
    assert not Device.objects.filter(user=resident).exists()
    assert OtpCode.objects.get(user=resident).consumed_at is None


def test_an_expired_code_fails(portal_client, resident, outbox):
    portal_client.arrive(15)
    request_code(portal_client, resident.phone)
    OtpCode.objects.filter(user=resident).update(expires_at=timezone.now() - timedelta(seconds=1))
    page = portal_client.post("/captive/kode/", {"code": code_from(outbox, resident.phone)}).content.decode()
    assert REFUSED in page
    assert not Device.objects.filter(user=resident).exists()


def test_a_used_code_does_not_log_in_a_second_time(portal_client, client_factory, resident, outbox):
    portal_client.arrive(15)
    request_code(portal_client, resident.phone)
    code = code_from(outbox, resident.phone)
    assert portal_client.post("/captive/kode/", {"code": code}).status_code == 302

    other = client_factory()
    other.get(
        "/captive/", {"ip": demo_ip(16), "mac": demo_mac(16), "link-login-only": "http://login.home.arpa/l"}
    )
    session = other.session
    session["captive_phone"] = resident.phone
    session.save()
    page = other.post("/captive/kode/", {"code": code}).content.decode()
    assert REFUSED in page
    assert not Device.objects.filter(mac=demo_mac(16)).exists()


def test_a_browser_mac_that_the_router_contradicts_is_refused(portal_client, resident):
    response = portal_client.arrive(15, mac=demo_mac(3))
    assert response.status_code == 403
    assert "tidak cocok" in response.content.decode()
    assert portal_client.get("/captive/masuk/").status_code == 302  # no context, back to the start


def test_a_client_ip_outside_the_hotspot_network_is_refused(portal_client):
    response = portal_client.get("/captive/", {"ip": "172.16.12.20", "mac": demo_mac(1)})
    assert response.status_code == 403
    assert "WiFi" in response.content.decode()


def test_a_login_link_to_another_host_is_refused(portal_client):
    response = portal_client.arrive(15, **{"link-login-only": "http://evil.example/login"})
    assert response.status_code == 403


def test_a_random_private_mac_gets_a_specific_warning(portal_client, router_sim):
    router_sim.menu("/ip/hotspot/host").add(
        {"mac-address": "DA:A1:19:00:00:01", "address": "172.16.2.99"}, dynamic=True
    )
    response = portal_client.get(
        "/captive/",
        {"ip": "172.16.2.99", "mac": "DA:A1:19:00:00:01", "link-login-only": "http://login.home.arpa/l"},
    )
    assert 'id="random-mac-warning"' in response.content.decode()
    assert 'id="random-mac-warning"' not in portal_client.arrive(15).content.decode()


def test_a_router_outage_keeps_the_code_for_the_next_try(portal_client, resident, outbox, router_sim):
    portal_client.arrive(15)
    request_code(portal_client, resident.phone)
    code = code_from(outbox, resident.phone)
    router_sim.inject("/ip/hotspot/ip-binding", drop=True, times=None)
    page = portal_client.post("/captive/kode/", {"code": code}).content.decode()
    assert "Kode Anda masih berlaku" in page
    assert demo_mac(15) not in binding_macs(router_sim)

    router_sim.clear_injections()
    response = portal_client.post("/captive/kode/", {"code": code}, follow=True)
    assert "Terhubung" in response.content.decode()
    assert demo_mac(15) in binding_macs(router_sim)
    assert len([m for m in outbox if m["phone"] == resident.phone]) == 1


def test_the_device_limit_replaces_the_least_recently_seen_device_with_a_message(
    portal_client, resident, outbox, settings
):
    settings.MAX_DEVICES_PER_USER = 1
    Device.objects.create(
        user=resident, mac=demo_mac(2), label="HP lama", last_seen=timezone.now() - timedelta(days=3)
    )
    portal_client.arrive(15)
    request_code(portal_client, resident.phone)
    page = portal_client.post(
        "/captive/kode/", {"code": code_from(outbox, resident.phone)}, follow=True
    ).content.decode()
    assert "HP lama" in page
    assert list(Device.objects.filter(user=resident, is_authorized=True).values_list("mac", flat=True)) == [
        demo_mac(15)
    ]


def test_a_login_converges_the_router_once(portal_client, resident, outbox, router_sim):
    """The login converges inline (it must know the router answered); no second converge follows."""
    portal_client.arrive(15)
    request_code(portal_client, resident.phone)
    router_sim.clear_log()
    portal_client.post("/captive/kode/", {"code": code_from(outbox, resident.phone)})
    queue_reads = [entry for entry in router_sim.log if entry.command == "/queue/simple/print"]
    assert len(queue_reads) == 1
    assert demo_mac(15) in binding_macs(router_sim)


def test_my_code_does_not_log_in_someone_elses_number(portal_client, resident, make_user, outbox):
    victim = make_user(quota_bytes=5 * GIB)
    portal_client.arrive(15)
    request_code(portal_client, resident.phone)
    mine = code_from(outbox, resident.phone)
    request_code(portal_client, "0" + victim.phone[3:])  # the victim gets a code the attacker never sees
    page = portal_client.post("/captive/kode/", {"code": mine}).content.decode()
    assert "Kode salah" in page
    assert not Device.objects.exists()
    assert "_auth_user_id" not in portal_client.session


@pytest.mark.parametrize("failure", [{"drop": True}, {"trap": "no such command prefix"}])
def test_a_router_failing_during_the_device_lookup_keeps_the_resident_going(
    portal_client, resident, outbox, router_sim, failure
):
    """A router that breaks off mid-lookup is "unreachable", not "your device is not on the WiFi"."""
    router_sim.inject("/ip/hotspot/host", times=None, **failure)
    response = portal_client.arrive(15)
    assert response.status_code == 200
    assert 'id="go-login"' in response.content.decode()

    request_code(portal_client, resident.phone)
    code = code_from(outbox, resident.phone)
    page = portal_client.post("/captive/kode/", {"code": code}).content.decode()
    assert "Kode Anda masih berlaku" in page

    router_sim.clear_injections()
    response = portal_client.post("/captive/kode/", {"code": code}, follow=True)
    assert "Terhubung" in response.content.decode()
    assert demo_mac(15) in binding_macs(router_sim)


def test_a_slow_router_does_not_hold_the_portal_page(portal_client, router_sim, settings):
    """The lookup runs inside the resident's request: one attempt within the quick timeout, as the
    login's converge does, then the page goes on and the router is asked again at the code step."""
    settings.MIKROTIK_TIMEOUT_S = 30
    settings.MIKROTIK_QUICK_TIMEOUT_S = 0.2
    router_sim.inject("/ip/hotspot/host", delay=1, times=1)
    response = portal_client.arrive(15)
    assert response.status_code == 200
    assert portal_client.session["captive_context"]["verified"] is False


def test_a_stranger_and_a_resident_get_the_same_answers_at_the_code_step(
    portal_client, client_factory, resident, outbox
):
    """Five wrong codes, then one more: a resident's number and an unknown one read exactly alike."""
    portal_client.arrive(15)
    request_code(portal_client, resident.phone)
    stranger = client_factory()
    stranger.get(
        "/captive/", {"ip": demo_ip(16), "mac": demo_mac(16), "link-login-only": "http://login.home.arpa/l"}
    )
    request_code(stranger, "081299988877")
    for attempt in range(6):
        mine = portal_client.post("/captive/kode/", {"code": "000000"}).content.decode()
        theirs = stranger.post("/captive/kode/", {"code": "000000"}).content.decode()
        assert REFUSED in mine and REFUSED in theirs, attempt
