"""The client: clear errors for every way a router can fail, and no worker ever hangs or crashes on one."""

import socket
import threading

import pytest

from routeros_sim import RouterSimulator
from routers.client import RouterError, RouterUnavailable, connect
from routers.models import Router
from routers.tests.fixtures import SIM_PASSWORD, SIM_USER

pytestmark = pytest.mark.usefixtures("fast_router_settings")


def _router(port, **fields):
    fields = {"username": SIM_USER, "password": SIM_PASSWORD, **fields}
    return Router(name="lab", host="127.0.0.1", port=port, site_id=None, **fields)  # unsaved: no site needed


def test_connects_logs_in_and_reads_identity(sim):
    with connect(_router(sim.port)) as api:
        [row] = api.run("/system/identity/print")
    assert row["name"] == "lab-router"


def test_a_wrong_password_is_reported_as_a_refused_login_without_the_password(sim):
    with pytest.raises(RouterUnavailable) as caught:
        connect(_router(sim.port, password="wrong-guess")).__enter__()
    assert "login ditolak, periksa pengguna dan kata sandi API" in caught.value.message
    assert "wrong-guess" not in str(caught.value)
    assert [entry.verb for entry in sim.log] == ["login"]  # a refused login is not retried


def test_an_unknown_menu_is_a_trap_and_the_connection_stays_usable(sim):
    with connect(_router(sim.port)) as api:
        with pytest.raises(RouterError) as caught:
            api.run("/ip/nonexistent/print")
        assert not isinstance(caught.value, RouterUnavailable)
        # RouterOS answers two traps (librouteros' MultiTrapError), read as one error.
        assert caught.value.message == "no such command or directory (nonexistent), no such command prefix"
        assert api.run("/system/identity/print")[0]["name"] == "lab-router"


def test_an_empty_print_is_no_rows_with_or_without_the_empty_sentence(sim):
    # 7.17 answers !done alone; 7.18 and later !empty then !done: the same empty list either way, and
    # the next reply is read in step.
    assert sim.behaviour.empty_reply is (sim.behaviour.numbers >= (7, 18, 0))
    with connect(_router(sim.port)) as api:
        assert api.run("/ip/firewall/address-list/print", "=.proplist=.id") == []
        assert api.run("/queue/simple/print", "?name=nobody") == []
        assert api.run("/ip/firewall/address-list/print", "=count-only=") == [{"ret": 0}]
        assert api.run("/system/identity/print")[0]["name"] == "lab-router"
    assert [entry.command for entry in sim.log][-4:] == [
        "/ip/firewall/address-list/print",
        "/queue/simple/print",
        "/ip/firewall/address-list/print",
        "/system/identity/print",
    ]


def test_a_refused_connection_is_retried_then_reported(closed_port, settings):
    settings.MIKROTIK_CONNECT_ATTEMPTS = 3
    with pytest.raises(RouterUnavailable) as caught:
        connect(_router(closed_port)).__enter__()
    assert caught.value.message == f"lab (127.0.0.1:{closed_port}): tidak dapat terhubung (koneksi ditolak)"


def test_a_router_that_stops_answering_times_out(sim):
    sim.inject("/system/identity/print", delay=1.0)
    with connect(_router(sim.port), timeout=0.3) as api, pytest.raises(RouterUnavailable) as caught:
        api.run("/system/identity/print")
    assert "waktu tunggu jawaban habis" in caught.value.message


def test_a_connection_dropped_mid_command_is_unavailable(sim):
    sim.inject("/queue/simple/print", drop=True)
    with connect(_router(sim.port)) as api, pytest.raises(RouterUnavailable) as caught:
        api.run("/queue/simple/print")
    assert "koneksi terputus" in caught.value.message


def test_tls_with_the_routers_certificate(settings):
    with RouterSimulator(username=SIM_USER, password=SIM_PASSWORD, tls=True) as tls_sim:
        settings.MIKROTIK_TLS_CAFILE = tls_sim.cafile
        with connect(_router(tls_sim.port, use_tls=True)) as api:
            assert api.run("/system/identity/print")[0]["name"] == "MikroTik"


def test_tls_with_an_untrusted_certificate_is_refused(settings):
    settings.MIKROTIK_TLS_CAFILE = ""
    with (
        RouterSimulator(username=SIM_USER, password=SIM_PASSWORD, tls=True) as tls_sim,
        pytest.raises(RouterUnavailable) as caught,
    ):
        connect(_router(tls_sim.port, use_tls=True), attempts=1).__enter__()
    assert "jabat tangan TLS gagal" in caught.value.message


@pytest.fixture
def garbage_server():
    """Something on the API port that is not RouterOS: framed words, but a reply word without `=`."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(1024)
                conn.sendall(b"\x03!re\x07garbage\x00\x05!done\x00")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def test_a_server_answering_garbage_is_unavailable_not_a_crash(garbage_server):
    with pytest.raises(RouterUnavailable) as caught:
        connect(_router(garbage_server), attempts=1).__enter__()
    assert "menjawab sesuatu yang bukan API RouterOS" in caught.value.message


def test_long_words_and_typed_values_read_back_as_librouteros_gives_them(sim):
    comment = "x" * 0x4100  # needs a three-byte length prefix
    sim.menu("/ip/hotspot/ip-binding").add({"mac-address": "AC:DE:48:00:00:01", "comment": comment})
    with connect(_router(sim.port)) as api:
        [row] = api.run("/ip/hotspot/ip-binding/print")
        [count] = api.run("/ip/hotspot/ip-binding/print", "=count-only=")
    assert row["comment"] == comment and row["disabled"] is False and row["type"] == "regular"
    assert count == {"ret": 1}
