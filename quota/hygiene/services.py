"""Staff actions on free riders: block the MAC (a blocked ip-binding on the next run), or register it as a
device of a resident (it leaves the list on the next run)."""

from django.db import transaction

from accounts.audit import audit_record
from accounts.models import User
from accounts.services import device_authorize
from routers.models import FreeRider


@transaction.atomic
def free_rider_block(*, rider: FreeRider, actor: User, reason: str = "") -> FreeRider:
    rider = FreeRider.objects.select_for_update().get(pk=rider.pk)
    if not rider.blocked:
        rider.blocked = True
        rider.save(update_fields=["blocked"])
        audit_record(
            actor=actor, action="free_rider.block", obj=rider, after={"mac": rider.mac}, reason=reason
        )
    return rider


@transaction.atomic
def free_rider_register(*, rider: FreeRider, user: User, actor: User):
    """The MAC becomes an authorized device of `user` (audited by device_authorize)."""
    rider = FreeRider.objects.select_for_update().get(pk=rider.pk)
    device, _replaced = device_authorize(user=user, mac=rider.mac, ip=rider.address, actor=actor)
    rider.delete()
    return device
