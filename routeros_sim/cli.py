"""Run the RouterOS simulator until Ctrl-C: ``main(["--port", "8728", "--realtime"])``.

The ``routeros_sim`` management command is a thin wrapper around ``main``; it plants its demo hosts
through ``on_start``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable

from routeros_sim import versions
from routeros_sim.server import RouterSimulator


def _version(value: str) -> str:
    try:
        return versions.behaviour(value).version
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="routeros_sim", description="A simulated RouterOS API server.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8728, help="port (default 8728; 0 picks a free one)")
    parser.add_argument("--tls", action="store_true", help="TLS (api-ssl), self-signed certificate")
    parser.add_argument("--user", default="admin", help="API user name (default admin)")
    parser.add_argument("--password", default="", help="API password (default empty)")
    parser.add_argument("--login-method", choices=("plain", "token"), default="plain")
    parser.add_argument("--identity", default="MikroTik", help="/system/identity name")
    parser.add_argument("--realtime", action="store_true", help="advance the simulated clock with wall time")
    parser.add_argument(
        "--version",
        type=_version,
        default=versions.LATEST,
        help=f"behave as this RouterOS version: 7.17 (empty print: !done alone), 7.18 and later (!empty, "
        f"then !done), or latest (= {versions.LATEST}, the default)",
    )
    return parser


def main(
    argv: list[str] | None = None,
    *,
    stop: threading.Event | None = None,
    out=None,
    on_start: Callable[[RouterSimulator], str | None] | None = None,
) -> int:
    """Serve until Ctrl-C or SIGTERM (or until ``stop`` is set, for callers that run it in a thread).

    ``on_start(sim)`` runs once the simulator listens and before the clock runs or the address is
    printed (to plant entries with the test hooks); a string it returns is added to the printed line."""
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    sim = RouterSimulator(
        args.user,
        args.password,
        login_method=args.login_method,
        tls=args.tls,
        version=args.version,
        identity=args.identity,
    )
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # honcho and systemd stop with SIGTERM
    sim.start(args.host, args.port)
    try:
        note = on_start(sim) if on_start else None
        if args.realtime:
            sim.set_realtime(True)
        scheme = "api-ssl" if args.tls else "api"
        line = f"RouterOS {args.version} simulator ({scheme}) listening on {args.host}:{sim.port}"
        print(f"{line}, {note}" if note else line, file=out)
        if sim.cafile:
            print(f"CA certificate: {sim.cafile}", file=out)
        print("Press Ctrl-C to stop.", file=out, flush=True)
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
