"""A router that answers nonsense is one failed router in the cycle, not a failed cycle."""

import socket
import threading

from core.units import GIB
from quota.metering.cycles import usage_cycle
from quota.router_state import full_reconcile
from quota.tests.usage_support import *  # noqa: F403 - fixtures
from quota.tests.usage_support import SIM_PASSWORD, SIM_USER, used
from routeros_sim.protocol import EndOfStream, SentenceReader, encode_sentence
from routers.models import Router

MBPS = 1_000_000


class OddRouter:
    """Speaks the API framing correctly, logs anyone in, and answers every print with one managed queue
    whose counters are not numbers, as a router with a strange firmware (or a man in the middle) might."""

    def __init__(self, user_id):
        self.user_id = user_id
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        reader = SentenceReader(conn)
        with conn:
            try:
                while True:
                    words = reader.read_sentence()
                    if words[0].endswith("/print"):
                        row = [
                            "!re",
                            "=.id=*1",
                            f"=name=lps-u{self.user_id}",
                            f"=comment=lps:u={self.user_id}",
                        ]
                        conn.sendall(encode_sentence([*row, "=bytes=lots/many", "=uptime=a while"]))
                    conn.sendall(encode_sentence(["!done"]))
            except (EndOfStream, OSError):
                return

    def close(self):
        self.listener.close()


def test_a_router_answering_unparseable_counters_does_not_stop_the_others(resident, sim, clock):
    user, ip = resident(quota_bytes=10 * GIB)
    full_reconcile()
    usage_cycle(now=clock)
    odd = OddRouter(user.pk)
    try:
        Router.objects.create(
            name="odd", host="127.0.0.1", port=odd.port, username=SIM_USER, password=SIM_PASSWORD
        )
        sim.start_flow(ip, 8 * MBPS)
        sim.advance(10)
        report = usage_cycle(now=clock)
    finally:
        odd.close()

    assert [name for name, _ in report.routers_failed] == ["odd"]
    assert used(user) == 10_000_000
