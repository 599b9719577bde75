"""``manage.py routeros_sim``: the simulator's command line (``routeros_sim.cli``) plus ``--demo-hosts``."""

import threading

from django.core.management.base import BaseCommand, CommandError

from routeros_sim import cli
from routers.demo import MAX_DEMO_HOSTS, demo_ip, plant_demo_hosts, start_demo_traffic


def _argv(options) -> list[str]:
    """The simulator's own command line, rebuilt from the parsed options."""
    argv = ["--host", options["host"], "--port", str(options["port"]), "--user", options["user"]]
    argv += ["--password", options["password"], "--login-method", options["login_method"]]
    argv += ["--identity", options["identity"], "--version", options["version"]]
    argv += [flag for flag, dest in (("--tls", "tls"), ("--realtime", "realtime")) if options[dest]]
    return argv


def _demo_planter(count: int, mbps: float):
    def on_start(sim) -> str:
        plant_demo_hosts(sim, count)
        if mbps:
            start_demo_traffic(sim, count, mbps)
        traffic = f", each downloading {mbps:g}–{2 * mbps:g} Mbit/s" if mbps else ""
        return f"{count} demo hosts planted ({demo_ip(1)}…{demo_ip(count)}){traffic}"

    return on_start


class Command(BaseCommand):
    help = "Run the RouterOS API simulator (see README); --demo-hosts N plants the demo residents' devices."
    stop: threading.Event | None = None  # set it to stop serving (tests); Ctrl-C and SIGTERM also stop

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The simulator's --version (the RouterOS version to imitate) takes the place of Django's --version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        for action in cli.build_parser()._actions:
            if action.dest != "help":
                parser._add_action(action)
        parser.add_argument("--demo-hosts", type=int, default=0, help="plant N hotspot hosts and DHCP leases")
        parser.add_argument(
            "--demo-traffic", type=float, default=0, help="with --demo-hosts: each host downloads about MBPS"
        )

    def handle(self, *args, **options):
        count = options["demo_hosts"]
        if not 0 <= count <= MAX_DEMO_HOSTS:
            raise CommandError(f"--demo-hosts must be between 0 and {MAX_DEMO_HOSTS}")
        self.stdout.ending = ""  # main() prints whole lines itself
        on_start = _demo_planter(count, options["demo_traffic"]) if count else None
        cli.main(_argv(options), stop=self.stop, out=self.stdout, on_start=on_start)
