# Run by scripts/deploy_rehearsal through `scripts/manage shell -c`: an approved resident, a package and a
# pending Snap transaction created through the app's own services (Snap is the Midtrans fake). Prints
# ORDER=<order id>.
import os

from accounts.models import Block, Room, User
from accounts.services import user_register
from billing.models import Package
from billing.services import transaction_start
from quota.residents import user_approve

phone = os.environ["REHEARSAL_RESIDENT_PHONE"]
staff = User.objects.get(phone=os.environ["REHEARSAL_ADMIN_PHONE"])
block, _ = Block.objects.get_or_create(name="Gladi")
room, _ = Room.objects.get_or_create(block=block, name="Kamar 1")
resident = User.objects.filter(phone=phone).first() or user_register(
    phone=phone, full_name="Warga Gladi", room=room
)
user_approve(user=resident, actor=staff)
package, _ = Package.objects.get_or_create(
    name="Paket Gladi 5 GB",
    defaults={"price": 25_000, "quota_bytes": 5 * 1024**3, "validity_days": 30},
)
order = transaction_start(user=resident, package=package)
assert order.status == order.Status.PENDING, order.status
print(f"ORDER={order.order_id}")
