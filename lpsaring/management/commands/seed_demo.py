"""Demo data: blocks A–F with rooms, tamping types, staff, a Komandan and residents in every status.

Idempotent: running it again changes nothing. Demo devices use the MACs and IPs that
`routeros_sim --demo-hosts 20` plants in the simulator's hotspot host table.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Block, Device, Room, TampingType, User
from accounts.services import staff_account_create, user_block, user_register
from accounts.signals import access_changed
from billing.models import Package
from core.units import GIB
from quota.models import QuotaBalance
from quota.receivers import connect_receivers
from quota.residents import user_approve
from quota.services import balance_lock, quota_consume, quota_grant, quota_set_unlimited
from routers.demo import demo_ip, demo_mac

ROUTER_CONVERGE_UID = "quota.router_converge"
STAFF_PHONE = "+6281100000001"
STAFF_PASSWORD = "demo-admin-123"
ADMIN_PHONE = "+6281100000002"
BLOCKS = "ABCDEF"
ROOMS_PER_BLOCK = 6
TAMPING_TYPES = ["Dapur", "Kebersihan", "Perpustakaan", "Masjid", "Bengkel", "Kebun"]
PACKAGES = [
    ("Paket Harian 2 GB", 5_000, 2, 1),
    ("Paket Mingguan 10 GB", 20_000, 10, 7),
    ("Paket Bulanan 30 GB", 50_000, 30, 30),
    ("Paket Unlimited 30 Hari", 150_000, 0, 30),
]


# phone, name, status to reach, device number (None = no device)
RESIDENTS = [
    ("+6281200000001", "Budi Santoso", "ok", 1),
    ("+6281200000002", "Agus Salim", "fup", 2),
    ("+6281200000003", "Dedi Kurniawan", "habis", 3),
    ("+6281200000004", "Eko Prasetyo", "expired", 4),
    ("+6281200000005", "Fajar Nugroho", "blocked", 5),
    ("+6281200000006", "Gilang Ramadhan", "unlimited", 6),
    ("+6281200000007", "Hendra Wijaya", "pending", None),
    ("+6281200000008", "Irfan Hakim", "ok", None),
]
KOMANDAN = ("+6281300000001", "Komandan Joko", 7)


class Command(BaseCommand):
    help = "Create the demo data (idempotent) and print the staff login."

    def handle(self, *args, **options):
        # The demo router (the simulator) starts after seeding; the worker's first full reconcile
        # converges everything at once, so per-user converges here would only fail and log.
        access_changed.disconnect(dispatch_uid=ROUTER_CONVERGE_UID)
        try:
            self._seed()
        finally:
            connect_receivers()

    @transaction.atomic
    def _seed(self):
        rooms = self._locations()
        self._packages()
        staff = self._staff(STAFF_PHONE, "Staf Demo", User.Role.SUPER_ADMIN)
        self._staff(ADMIN_PHONE, "Admin Demo", User.Role.ADMIN)
        for index, (phone, name, status, device) in enumerate(RESIDENTS):
            room = rooms[index % len(rooms)]
            user = self._resident(phone, name, room=room)
            self._bring_to(user, status, staff)
            if device is not None:
                self._device(user, device)
        tamping = TampingType.objects.order_by("name").first()
        tamping_user = self._resident("+6281200000009", "Joni Tamping", tamping_type=tamping)
        self._bring_to(tamping_user, "ok", staff)
        phone, name, device = KOMANDAN
        komandan = self._resident(phone, name, room=rooms[-1], role=User.Role.KOMANDAN)
        self._bring_to(komandan, "ok", staff)
        self._device(komandan, device)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        base = settings.PUBLIC_BASE_URL
        self.stdout.write(
            f"Staff: {base}/admin/  phone {STAFF_PHONE} (or 081100000001), password {STAFF_PASSWORD}"
        )
        self.stdout.write(
            f"Resident: {base}/captive/?ip={demo_ip(15)}&mac={demo_mac(15)}"
            "&link-login-only=http://login.home.arpa/login  (phone 081200000008; the code is printed here)"
        )

    def _locations(self) -> list[Room]:
        rooms = []
        for name in BLOCKS:
            block, _ = Block.objects.get_or_create(name=name)
            for number in range(1, ROOMS_PER_BLOCK + 1):
                rooms.append(Room.objects.get_or_create(block=block, name=f"Kamar {number}")[0])
        for name in TAMPING_TYPES:
            TampingType.objects.get_or_create(name=name)
        return rooms

    def _packages(self) -> None:
        for name, price, gigabytes, days in PACKAGES:
            Package.objects.get_or_create(
                name=name,
                defaults={
                    "price": price,
                    "quota_bytes": gigabytes * GIB,
                    "validity_days": days,
                    "rate_tier": "standard",
                },
            )

    def _staff(self, phone: str, name: str, role: str) -> User:
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = staff_account_create(
                phone=phone, full_name=name, role=role, password=STAFF_PASSWORD, actor=None
            )
        return user

    def _resident(self, phone, name, *, room=None, tamping_type=None, role=User.Role.USER) -> User:
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = user_register(phone=phone, full_name=name, room=room, tamping_type=tamping_type, role=role)
        return user

    def _bring_to(self, user: User, status: str, staff: User) -> None:
        if status == "pending" or user.approval_status != User.Approval.PENDING:
            return
        user_approve(user=user, actor=staff)
        key = f"seed:{user.pk}"
        grants = {"ok": 10, "fup": 5, "habis": 1, "expired": 5, "blocked": 10, "unlimited": 1}
        quota_grant(
            user=user,
            amount_bytes=grants[status] * GIB,
            days=30,
            idempotency_key=key,
            actor=staff,
            reason="Demo",
        )
        if status == "fup":
            quota_consume(user=user, amount_bytes=3 * GIB, idempotency_key=f"{key}:use")
        elif status == "habis":
            quota_consume(user=user, amount_bytes=1 * GIB, idempotency_key=f"{key}:use")
        elif status == "expired":
            balance_lock(user.pk)
            QuotaBalance.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(days=2))
        elif status == "blocked":
            user_block(user=user, actor=staff, reason="Demo: pelanggaran tata tertib")
        elif status == "unlimited":
            quota_set_unlimited(user=user, unlimited=True, actor=staff, days=30, reason="Demo")

    def _device(self, user: User, number: int) -> None:
        Device.objects.get_or_create(
            user=user,
            mac=demo_mac(number),
            defaults={"last_ip": demo_ip(number), "label": f"HP {user.get_short_name()}"},
        )
