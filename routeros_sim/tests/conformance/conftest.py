"""The conformance suite's target: the simulator (7.17 and latest behaviour) or, with ROUTEROS_TEST_HOST, a
real router.

Against a real router every entry the tests create carries a comment starting with ``PREFIX``; only such
entries are ever set or removed, and every one left over (also by an interrupted earlier run) is removed
when the session ends. Tests that would change anything else (an interface) or that need the
simulator's hooks (planting a hotspot host, traffic) run on the simulator only.

Plain pytest fixtures: the suite needs no Django (``pytest -p no:django routeros_sim`` and the project's
own ``pytest`` both run it).
"""

from __future__ import annotations

import functools
import os
import ssl
from dataclasses import dataclass, field

import librouteros
import pytest

from routeros_sim import RouterSimulator
from routeros_sim.tests.conformance.wire import Wire
from routeros_sim.versions import LATEST

PREFIX = "lps-conformance"  # every comment the suite writes starts with this
# Menus the suite adds entries to; the session's clean-up looks in each of them.
WRITTEN_MENUS = ("/ip/firewall/address-list", "/ip/hotspot/ip-binding", "/queue/simple", "/ip/address")
SIM_USER, SIM_PASSWORD = "conformance", "c0nf-pass"

HOST = os.environ.get("ROUTEROS_TEST_HOST", "")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "source(*refs): where the RouterOS behaviour a test checks is documented"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing conformance test shows the source of the behaviour it checks."""
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("source")
    if marker is not None and report.when == "call":
        report.sections.append(("RouterOS source", "\n".join(marker.args)))


@dataclass
class Target:
    """Where the suite connects, and how."""

    label: str
    host: str
    port: int
    user: str
    password: str
    tls: ssl.SSLContext | None = None
    sim: RouterSimulator | None = None
    _version: tuple[int, ...] | None = field(default=None, repr=False)

    def wire(self) -> Wire:
        return Wire.open(self.host, self.port, tls=self.tls)

    def login(self) -> Wire:
        wire = self.wire()
        reply = wire.login(self.user, self.password)
        assert reply.sentences == [["!done"]], reply.sentences
        return wire

    def api(self):
        kwargs = {"port": self.port, "timeout": 10}
        if self.tls is not None:
            kwargs["ssl_wrapper"] = functools.partial(self.tls.wrap_socket, server_hostname=self.host)
        return librouteros.connect(self.host, self.user, self.password, **kwargs)

    @property
    def version(self) -> tuple[int, ...]:
        """The RouterOS version the target reports in /system/resource (``7.18.2 (stable)`` -> (7, 18, 2))."""
        if self._version is None:
            wire = self.login()
            (row,) = wire.command("/system/resource/print", "=.proplist=version").rows
            wire.close()
            number = row["version"].split()[0]
            self._version = tuple(int(part) for part in number.split(".") if part.isdigit())
        return self._version

    @property
    def empty_reply(self) -> bool:
        """RouterOS 7.18 and later answer an empty print with ``!empty`` before ``!done``."""
        return self.version[:2] >= (7, 18)

    def require_sim(self, why: str) -> RouterSimulator:
        if self.sim is None:
            pytest.skip(f"simulator only: {why}")
        return self.sim


def _router_target() -> Target:
    use_tls = os.environ.get("ROUTEROS_TEST_TLS", "").lower() in ("1", "yes", "true")
    port = int(os.environ.get("ROUTEROS_TEST_PORT") or (8729 if use_tls else 8728))
    context = None
    if use_tls:
        cafile = os.environ.get("ROUTEROS_TEST_CAFILE")
        context = (
            ssl.create_default_context(cafile=cafile) if cafile else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        )
        if not cafile:  # api-ssl without a certificate speaks anonymous DH (manual, "API over TLS")
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.set_ciphers("DEFAULT:ADH:@SECLEVEL=0")
    return Target(
        label=f"router {HOST}:{port}",
        host=HOST,
        port=port,
        user=os.environ.get("ROUTEROS_TEST_USER", "admin"),
        password=os.environ.get("ROUTEROS_TEST_PASSWORD", ""),
        tls=context,
    )


def start_sim(version: str, *, tls: bool = False) -> tuple[RouterSimulator, Target]:
    sim = RouterSimulator(SIM_USER, SIM_PASSWORD, version=version, tls=tls).start()
    context = None
    if tls:
        context = ssl.create_default_context(cafile=sim.cafile)
    target = Target(f"simulator {version}", "127.0.0.1", sim.port, SIM_USER, SIM_PASSWORD, context, sim)
    return sim, target


def _clean_up(target: Target) -> None:
    """Remove every entry whose comment starts with PREFIX from the menus the suite writes to."""
    wire = target.login()
    try:
        for menu in WRITTEN_MENUS:
            rows = wire.command(f"{menu}/print", "=.proplist=.id,comment").rows
            ids = [row[".id"] for row in rows if row.get("comment", "").startswith(PREFIX)]
            if ids:
                wire.command(f"{menu}/remove", f"=.id={','.join(ids)}")
    finally:
        wire.close()


@pytest.fixture(scope="session", params=["router"] if HOST else ["7.17", LATEST])
def target(request):
    """The router under test: the simulator at each modelled version, or ROUTEROS_TEST_HOST."""
    if request.param == "router":
        target = _router_target()
        _clean_up(target)  # what an interrupted earlier run left behind
        yield target
        _clean_up(target)
        return
    sim, target = start_sim(request.param)
    try:
        yield target
        _clean_up(target)
    finally:
        sim.stop()


@pytest.fixture
def wire(target):
    """A logged-in raw connection."""
    wire = target.login()
    yield wire
    wire.close()


@pytest.fixture
def api(target):
    """A logged-in librouteros connection (the client lpsaring uses)."""
    api = target.api()
    yield api
    api.close()


@pytest.fixture
def prefix(request):
    """A comment prefix unique to this test (starting with PREFIX), ASCII only."""
    return f"{PREFIX}:{request.node.name.encode('ascii', 'replace').decode()[:40]}:"


@pytest.fixture
def interface(target, wire) -> str:
    """The name of an interface that exists on the target (the first Ethernet port, else the first one)."""
    rows = wire.command("/interface/print", "=.proplist=name,type").rows
    assert rows, "the router has no interfaces"
    ether = [row["name"] for row in rows if row.get("type") == "ether"]
    return (ether or [rows[0]["name"]])[0]
