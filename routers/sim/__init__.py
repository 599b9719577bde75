"""A wire-faithful RouterOS API simulator (pure standard library). See README.md."""

from routers.sim.hooks import LogEntry
from routers.sim.server import RouterSimulator, token_response

__all__ = ["LogEntry", "RouterSimulator", "token_response"]
