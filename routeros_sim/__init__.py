"""A wire-faithful RouterOS API simulator (pure standard library). See README.md."""

from routeros_sim.hooks import LogEntry
from routeros_sim.server import RouterSimulator, token_response

__all__ = ["LogEntry", "RouterSimulator", "token_response"]
