import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.units import format_bytes
from quota.management.commands.quota_grant import _user_by_phone
from quota.selectors import quota_summary


class Command(BaseCommand):
    help = "Show a user's access status, quota, expiry and devices (for support and scripts)."

    def add_arguments(self, parser):
        parser.add_argument("--phone", required=True)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        user = _user_by_phone(options["phone"])
        summary = quota_summary(user)
        expires_at = summary["expires_at"]
        data = {
            "phone": user.phone,
            "name": user.full_name,
            "role": user.role,
            "status": summary["status"],
            "purchased_bytes": summary["purchased_bytes"],
            "used_bytes": summary["used_bytes"],
            "remaining_bytes": summary["remaining_bytes"],
            "unlimited": summary["unlimited"],
            "expires_at": expires_at.isoformat() if expires_at else None,
            "devices": [
                {"mac": d.mac, "ip": d.last_ip, "label": d.label, "authorized": d.is_authorized}
                for d in user.devices.order_by("mac")
            ],
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        expires = timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M") if expires_at else "-"
        self.stdout.write(f"{data['name']} {data['phone']} ({data['role']})")
        self.stdout.write(f"status     {data['status']}{' (unlimited)' if data['unlimited'] else ''}")
        self.stdout.write(f"purchased  {format_bytes(data['purchased_bytes'])}")
        self.stdout.write(f"used       {format_bytes(data['used_bytes'])}")
        self.stdout.write(f"remaining  {format_bytes(data['remaining_bytes'])}")
        self.stdout.write(f"expires    {expires}")
        for device in data["devices"]:
            state = "authorized" if device["authorized"] else "not authorized"
            self.stdout.write(f"device     {device['mac']} {device['ip'] or '-'} {device['label']} ({state})")
