"""Lookups that keep a menu's commands independent of its size: entries by number, entries by the values
of each indexed key set (unique keys, the name field), and a heap of expiry times.

``Menu`` updates the index on every mutation it makes (add, set, remove, expiry) and rebuilds it when its
entry list is replaced wholesale (reboot) or renumbered. Key values are remembered as they were indexed,
so an entry is always found under, and removed from, the keys it was filed under. Entries whose key
fields are changed in place without going through ``Menu`` would be missed, so only counters, timestamps
and other non-key fields may be written directly (traffic, hooks).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routeros_sim.menus import Entry

KeySet = tuple[str, ...]


class MenuIndex:
    def __init__(self, key_sets: Iterable[KeySet]) -> None:
        self.key_sets: tuple[KeySet, ...] = tuple(dict.fromkeys(key_sets))
        self.rebuild([])

    def rebuild(self, entries: Iterable[Entry]) -> None:
        self.by_number: dict[int, Entry] = {}
        self._holders: dict[KeySet, dict[tuple, set[int]]] = {keys: {} for keys in self.key_sets}
        self._filed: dict[int, tuple[tuple | None, ...]] = {}
        self._expiries: list[tuple[int, int]] = []
        self._filed_expiry: dict[int, int | None] = {}
        for entry in entries:
            self.add(entry)

    @staticmethod
    def key_of(keys: KeySet, values: dict[str, str]) -> tuple | None:
        """The entry's value for ``keys``, or None if any of them is unset (unset never collides)."""
        key = tuple(values.get(name) for name in keys)
        return None if None in key else key

    def add(self, entry: Entry) -> None:
        self.by_number[entry.number] = entry
        filed = tuple(self.key_of(keys, entry.values) for keys in self.key_sets)
        for keys, key in zip(self.key_sets, filed, strict=True):
            if key is not None:
                self._holders[keys].setdefault(key, set()).add(entry.number)
        self._filed[entry.number] = filed
        self._file_expiry(entry)

    def discard(self, entry: Entry) -> None:
        if self.by_number.get(entry.number) is not entry:
            return
        del self.by_number[entry.number]
        for keys, key in zip(self.key_sets, self._filed.pop(entry.number), strict=True):
            if key is None:
                continue
            holders = self._holders[keys][key]
            holders.discard(entry.number)
            if not holders:
                del self._holders[keys][key]
        self._filed_expiry.pop(entry.number, None)

    def refresh(self, entry: Entry) -> None:
        """Re-file an entry whose values (or expiry) changed."""
        expiry = self._filed_expiry.get(entry.number)
        self.discard(entry)
        self._filed_expiry[entry.number] = expiry
        self.add(entry)

    def holders(self, keys: KeySet, key: tuple) -> set[int]:
        """Numbers of the entries whose ``keys`` currently hold ``key`` (do not modify the set)."""
        return self._holders[keys].get(key, _EMPTY)

    def _file_expiry(self, entry: Entry) -> None:
        if entry.expires_ms is not None and self._filed_expiry.get(entry.number) != entry.expires_ms:
            heapq.heappush(self._expiries, (entry.expires_ms, entry.number))
        self._filed_expiry[entry.number] = entry.expires_ms

    def expired(self, now_ms: int) -> list[Entry]:
        """Entries whose expiry is due; heap items left behind by removed or re-timed entries are dropped."""
        due: dict[int, Entry] = {}
        while self._expiries and self._expiries[0][0] <= now_ms:
            _, number = heapq.heappop(self._expiries)
            entry = self.by_number.get(number)
            if entry is not None and entry.expires_ms is not None and entry.expires_ms <= now_ms:
                due[number] = entry
        return list(due.values())


_EMPTY: set[int] = set()
