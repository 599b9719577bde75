"""Many residents at once, straight into the database and the simulator (for query-count tests and the
benchmark): no password hashing, no converge per user."""

from django.contrib.auth.hashers import make_password

from accounts.models import Block, Device, Room, User
from core.units import GIB
from quota.models import QuotaBalance

QUEUES = "/queue/simple"


def bulk_residents(sim, count: int, *, quota_bytes: int = 50 * GIB, days: int = 30) -> list[int]:
    from datetime import timedelta

    from django.utils import timezone

    block, _ = Block.objects.get_or_create(name="B")
    room, _ = Room.objects.get_or_create(block=block, name="bulk")
    start = User.objects.count()
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                phone=f"+6289{start + n:09d}",
                full_name=f"Warga Massal {start + n}",
                approval_status=User.Approval.APPROVED,
                room=room,
                block=block,
                password=password,
            )
            for n in range(count)
        ]
    )
    expires = timezone.now() + timedelta(days=days)
    QuotaBalance.objects.bulk_create(
        [QuotaBalance(user=user, purchased_bytes=quota_bytes, expires_at=expires) for user in users]
    )
    devices = []
    queues = sim.menu(QUEUES)
    for n, user in enumerate(users, start=start):
        ip = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        devices.append(
            Device(
                user=user,
                mac=f"02:00:00:{(n >> 16) & 255:02X}:{(n >> 8) & 255:02X}:{n & 255:02X}",
                last_ip=ip,
            )
        )
        queues.add(
            {
                "name": f"lps-u{user.pk}",
                "target": f"{ip}/32",
                "max-limit": "10M/10M",
                "comment": f"lps:u={user.pk}",
            }
        )
    Device.objects.bulk_create(devices)
    return [user.pk for user in users]


def plant_traffic(sim, user_ids, bytes_each: int) -> None:
    """Add `bytes_each` of download to each user's queue counter."""
    queues = sim.menu(QUEUES)
    wanted = {f"lps-u{uid}" for uid in user_ids}
    for row in queues.rows():
        if row.get("name") in wanted:
            up, down = (int(x) for x in row.get("bytes", "0/0").split("/"))
            queues.set(row[".id"], {"bytes": f"{up}/{down + bytes_each}"})
