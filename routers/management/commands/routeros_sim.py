import threading

from django.core.management.base import BaseCommand

from routers.demo import plant_demo_hosts
from routers.sim import cli
from routers.sim.server import RouterSimulator


def _argv(options) -> list[str]:
    """The simulator's own command line, rebuilt from the parsed options."""
    argv = ["--host", options["host"], "--port", str(options["port"]), "--user", options["user"]]
    argv += ["--password", options["password"], "--login-method", options["login_method"]]
    argv += ["--identity", options["identity"]]
    argv += [
        flag
        for flag, dest in (("--tls", "tls"), ("--realtime", "realtime"), ("--empty-reply", "empty_reply"))
        if options[dest]
    ]
    return argv


class Command(BaseCommand):
    help = "Run the RouterOS API simulator (see README); --demo-hosts N plants the demo residents' devices."

    def add_arguments(self, parser):
        for action in cli.build_parser()._actions:
            if action.dest != "help":
                parser._add_action(action)
        parser.add_argument("--demo-hosts", type=int, default=0, help="plant N hotspot hosts and DHCP leases")

    def handle(self, *args, **options):
        if not options["demo_hosts"]:
            cli.main(_argv(options), out=self.stdout)
            return
        # cli.main builds its simulator itself and offers no hook to plant hosts before serving, so this
        # path starts the same simulator here.
        sim = RouterSimulator(
            options["user"],
            options["password"],
            login_method=options["login_method"],
            tls=options["tls"],
            empty_reply=options["empty_reply"],
            identity=options["identity"],
        )
        sim.start(options["host"], options["port"])
        try:
            plant_demo_hosts(sim, options["demo_hosts"])
            if options["realtime"]:
                sim.set_realtime(True)
            self.stdout.write(
                f"RouterOS simulator listening on {options['host']}:{sim.port} "
                f"with {options['demo_hosts']} demo hosts (172.16.2.101…). Press Ctrl-C to stop."
            )
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()
