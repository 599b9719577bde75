"""The simulated router's state: menus, clock, traffic flows, reboot. No networking here.

Every public method takes the one lock, so the server threads and test hooks can interleave safely.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
import threading
import time
from typing import Any

from routeros_sim import catalog, traffic
from routeros_sim.clock import Clock
from routeros_sim.menus import Menu, NoSuchCommand, Result
from routeros_sim.protocol import Request

_MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")


def _wire(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class MenuHandle:
    """Test-hook view of one menu. Writes are trusted: read-only fields (counters, ``status``,
    ``uptime``…) may be planted and uniqueness is not checked, so duplicates can be staged."""

    def __init__(self, router: Router, menu: Menu) -> None:
        self._router = router
        self._menu = menu

    def rows(self) -> list[dict[str, str]]:
        """Copies of every row as ``print`` shows it (including ``.id``), in menu order."""
        with self._router.lock:
            return self._menu.rows()

    def get(self, id: str | None = None) -> dict[str, str]:
        """One row by ``.id`` (or name, for ``/queue/simple``); ``None`` for single-row menus."""
        with self._router.lock:
            entry = self._menu.entries[0] if id is None else self._menu.find(id)
            return self._menu.render(entry)

    def add(self, values: dict[str, Any], dynamic: bool | None = None) -> str:
        """Plant an entry and return its ``.id``. ``dynamic=None`` uses the menu's default (True for
        hotspot hosts and active sessions, False elsewhere); dynamic entries vanish on ``reboot()``."""
        with self._router.lock:
            attrs = {k: _wire(val) for k, val in values.items()}
            return self._menu.add(attrs, trusted=True, dynamic=dynamic).id

    def set(self, id: str | None, values: dict[str, Any]) -> None:
        """Change fields of one entry (``id=None`` for single-row menus such as ``/system/resource``)."""
        with self._router.lock:
            entry = self._menu.entries[0] if id is None else self._menu.find(id)
            self._menu.set([entry], {k: _wire(val) for k, val in values.items()}, trusted=True)

    def remove(self, id: str) -> None:
        with self._router.lock:
            self._menu.remove([self._menu.find(id)])


class Router:
    def __init__(self, *, step: float = 0.1, **menu_options: Any) -> None:
        self.lock = threading.RLock()
        self.clock = Clock()
        self.menus = catalog.build(self.clock, **menu_options)
        # Every menu path and each directory above one (/ip, /ip/hotspot, /ip/hotspot/ip-binding, ...).
        self.directories = {
            "/".join(path.split("/")[:n]) for path in self.menus for n in range(2, path.count("/") + 2)
        }
        self.flows: dict[int, traffic.Flow] = {}
        self._flow_ids = itertools.count(1)
        self.step_ms = max(round(step * 1000), 1)
        self._realtime: threading.Thread | None = None
        self._realtime_stop = threading.Event()

    # ---- commands ------------------------------------------------------------------------------

    def execute(self, request: Request) -> Result:
        with self.lock:
            self._expire()
            menu = self.menus.get(request.menu)
            if menu is None:
                raise NoSuchCommand(self._first_unknown(request.command))
            return menu.execute(request)

    def _first_unknown(self, command: str) -> str:
        """The name RouterOS puts in "no such command or directory (<name>)": the first path segment
        that is neither a menu nor a directory (``/ip/nowhere/print`` -> ``nowhere``)."""
        parts = command.split("/")
        for n in range(2, len(parts) + 1):
            if "/".join(parts[:n]) not in self.directories:
                return parts[n - 1]
        return parts[-1]

    def menu(self, path: str) -> MenuHandle:
        path = "/" + path.strip("/")
        if path not in self.menus:
            raise KeyError(f"the simulator has no menu {path}")
        return MenuHandle(self, self.menus[path])

    def _expire(self) -> None:
        for menu in self.menus.values():
            menu.expire(self.clock.now_ms)

    # ---- clock and traffic ---------------------------------------------------------------------

    def now(self) -> float:
        return self.clock.now_ms / 1000

    def advance(self, seconds: float) -> None:
        remaining = round(seconds * 1000)
        while remaining > 0:
            with self.lock:
                if not self.flows and not self._rates_moving():
                    self.clock.now_ms += remaining
                    break
                dt = min(self.step_ms, remaining)
                traffic.step(self.menus, list(self.flows.values()), dt, self.clock.now_ms + dt)
                self.clock.now_ms += dt
                self.flows = {
                    i: f for i, f in self.flows.items() if f.remaining_ms is None or f.remaining_ms > 0
                }
                remaining -= dt
        with self.lock:
            self._expire()

    def _rates_moving(self) -> bool:
        return any(e.values.get("rate", "0/0") != "0/0" for e in self.menus["/queue/simple"].entries)

    def address_of(self, ip_or_mac: str) -> ipaddress.IPv4Address:
        """An IPv4 address, or the address a MAC has in the hotspot hosts, DHCP leases or ARP."""
        if not _MAC.match(ip_or_mac):
            return ipaddress.IPv4Address(ip_or_mac)
        mac = ip_or_mac.upper().replace("-", ":")
        with self.lock:
            for path in ("/ip/hotspot/host", "/ip/dhcp-server/lease", "/ip/arp"):
                for entry in self.menus[path].entries:
                    if entry.values.get("mac-address") == mac and entry.values.get("address"):
                        return ipaddress.IPv4Address(entry.values["address"])
        raise LookupError(f"no address known for {mac}")

    def start_flow(
        self, ip: str, bits_per_second: int, seconds: float | None = None, direction: str = "down"
    ) -> int:
        if direction not in traffic.DIRECTIONS:
            raise ValueError("direction must be 'down' or 'up'")
        flow = traffic.Flow(
            next(self._flow_ids),
            self.address_of(ip),
            int(bits_per_second),
            direction,
            None if seconds is None else round(seconds * 1000),
        )
        with self.lock:
            self.flows[flow.id] = flow
        return flow.id

    def stop_flow(self, flow_id: int) -> None:
        with self.lock:
            self.flows.pop(flow_id, None)

    def add_traffic(self, ip: str, bytes_per_second: int, seconds: float, direction: str = "down") -> int:
        if direction not in traffic.DIRECTIONS:
            raise ValueError("direction must be 'down' or 'up'")
        flow = traffic.Flow(
            0, self.address_of(ip), int(bytes_per_second) * 8, direction, round(seconds * 1000)
        )
        with self.lock:
            while flow.remaining_ms > 0:
                traffic.step(self.menus, [flow], self.step_ms, self.clock.now_ms)
        return flow.delivered

    def set_realtime(self, enabled: bool = True, tick: float = 0.1) -> None:
        if enabled and self._realtime is None:
            self._realtime_stop.clear()
            self._realtime = threading.Thread(target=self._run_realtime, args=(tick,), daemon=True)
            self._realtime.start()
        elif not enabled and self._realtime is not None:
            self._realtime_stop.set()
            self._realtime.join()
            self._realtime = None

    def _run_realtime(self, tick: float) -> None:
        last = time.monotonic()
        while not self._realtime_stop.wait(tick):
            now = time.monotonic()
            self.advance(now - last)
            last = now

    # ---- reboot --------------------------------------------------------------------------------

    def reboot(self, renumber: bool = False) -> None:
        with self.lock:
            for menu in self.menus.values():
                menu.keep(lambda entry: not entry.dynamic)
                if menu.path == "/queue/simple":
                    for entry in menu.entries:
                        catalog.reset_queue_counters(entry)
                if renumber and not menu.spec.singleton:
                    menu.renumber()
            self.clock.boot_ms = self.clock.now_ms
