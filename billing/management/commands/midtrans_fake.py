import time

from django.conf import settings
from django.core.management.base import BaseCommand

from billing.testing import MidtransFake


class Command(BaseCommand):
    help = "Run the loopback Midtrans fake (Snap, status API, a payment page that sends notifications)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8999)
        parser.add_argument(
            "--notification-url",
            default=f"{settings.PUBLIC_BASE_URL}/billing/midtrans/notification/",
            help="where the payment page posts its signed notifications",
        )

    def handle(self, *args, port, notification_url, **options):
        fake = MidtransFake(
            server_key=settings.MIDTRANS_SERVER_KEY, port=port, notification_url=notification_url
        )
        fake.start()
        self.stdout.write(
            f"Midtrans fake on {fake.base_url}: set MIDTRANS_SNAP_BASE_URL={fake.snap_base_url} "
            f"MIDTRANS_API_BASE_URL={fake.base_url}; notifications go to {notification_url}"
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            fake.stop()
