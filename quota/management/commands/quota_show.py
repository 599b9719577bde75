import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from lpsaring.units import format_bytes
from quota.management.commands.quota_grant import _user_by_phone
from quota.models import QuotaBalance
from quota.selectors import access_status_of


class Command(BaseCommand):
    help = "Show a user's access status, quota, expiry and devices (for support and scripts)."

    def add_arguments(self, parser):
        parser.add_argument("--phone", required=True)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        user = _user_by_phone(options["phone"])
        balance = QuotaBalance.objects.filter(user=user).first()
        data = {
            "phone": user.phone,
            "name": user.full_name,
            "role": user.role,
            "status": str(access_status_of(user, balance)),
            "purchased_bytes": balance.purchased_bytes if balance else 0,
            "used_bytes": balance.used_bytes if balance else 0,
            "remaining_bytes": balance.remaining_bytes if balance else 0,
            "unlimited": bool(balance and balance.is_unlimited),
            "expires_at": balance.expires_at.isoformat() if balance and balance.expires_at else None,
            "devices": [
                {"mac": d.mac, "ip": d.last_ip, "label": d.label, "authorized": d.is_authorized}
                for d in user.devices.order_by("mac")
            ],
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        expires = (
            timezone.localtime(balance.expires_at).strftime("%Y-%m-%d %H:%M") if data["expires_at"] else "-"
        )
        self.stdout.write(f"{data['name']} {data['phone']} ({data['role']})")
        self.stdout.write(f"status     {data['status']}{' (unlimited)' if data['unlimited'] else ''}")
        self.stdout.write(f"purchased  {format_bytes(data['purchased_bytes'])}")
        self.stdout.write(f"used       {format_bytes(data['used_bytes'])}")
        self.stdout.write(f"remaining  {format_bytes(data['remaining_bytes'])}")
        self.stdout.write(f"expires    {expires}")
        for device in data["devices"]:
            state = "authorized" if device["authorized"] else "not authorized"
            self.stdout.write(f"device     {device['mac']} {device['ip'] or '-'} {device['label']} ({state})")
