from django.core.management.base import BaseCommand, CommandError

from lpsaring.takeover.service import lpsaring_import
from sites.models import Site


class Command(BaseCommand):
    help = (
        "Import a running Flask lpsaring deployment's database (read-only connection): residents, staff, "
        "devices, quota, packages, transactions, Komandan requests, open debts. A rerun imports only what "
        "is new. Rejected rows are listed with their reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="postgres://user@host:port/dbname of Flask")
        parser.add_argument("--dry-run", action="store_true", help="show what would happen, write nothing")
        parser.add_argument("--site", help="code or name of the site that receives them (default site)")
        parser.add_argument("--report", help="write the full report (JSON) to this file")

    def handle(self, *args, source, dry_run=False, site=None, report=None, **options):
        if site:
            target = Site.objects.filter(code=site).first() or Site.objects.filter(name=site).first()
            if target is None:
                raise CommandError(f"no site with code or name {site!r}")
        else:
            target = Site.objects.default()
        try:
            result = lpsaring_import(source_url=source, site=target, dry_run=dry_run)
        except Exception as exc:  # a connection or schema problem: say what, no traceback
            if exc.__class__.__module__.startswith("psycopg"):
                raise CommandError(f"cannot read the Flask database: {exc}") from None
            raise
        for line in result.lines():
            self.stdout.write(line)
        if report:
            with open(report, "w", encoding="utf-8") as handle:
                handle.write(result.as_json())
            self.stdout.write(f"report written to {report}")
