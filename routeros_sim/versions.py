"""The RouterOS versions the simulator imitates, and what changes between them.

``behaviour("7.17")`` gives the wire behaviour of that release. Only what a client can see differs:

- 7.18 and later put ``!empty`` before ``!done`` when a ``print`` returns nothing (7.18 changelog,
  "console - put !empty sentence when API query returns nothing"); earlier releases send ``!done`` alone.
- ``/system/resource`` reports the version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LATEST = "7.18.2"  # the newest behaviour the simulator models ("latest stable")
ALIASES = {"latest": LATEST, "stable": LATEST}
EMPTY_SINCE = (7, 18)

_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")


@dataclass(frozen=True)
class Behaviour:
    version: str
    numbers: tuple[int, int, int]

    @property
    def empty_reply(self) -> bool:
        """A ``print`` that returns nothing answers ``!empty`` + ``!done`` (else ``!done`` alone)."""
        return self.numbers[:2] >= EMPTY_SINCE

    @property
    def resource_version(self) -> str:
        """``/system/resource`` ``version``, as a router on the stable channel prints it."""
        return f"{self.version} (stable)"


def behaviour(version: str = LATEST) -> Behaviour:
    """The behaviour of RouterOS ``version`` (``7.17``, ``7.18.2``, ``latest``/``stable``).

    Raises ValueError for anything else; RouterOS 6.43 to 7.x are accepted (older releases need the
    ``token`` login, chosen separately)."""
    version = ALIASES.get(version.strip().lower(), version.strip())
    match = _VERSION.match(version)
    if not match:
        raise ValueError(f"not a RouterOS version: {version!r} (use e.g. 7.17, 7.18.2 or latest)")
    numbers = (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
    if not (6, 43) <= numbers[:2] < (8, 0):
        raise ValueError(f"RouterOS {version} is not modelled (6.43 to 7.x are)")
    return Behaviour(version, numbers)
