"""Staff actions on free riders: block the MAC (a blocked ip-binding on the next run), or register it as a
device of a resident (it leaves the list on the next run)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import User
from accounts.selectors import site_members_q
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


def register_candidates(*, site_id: int):
    """The residents a free rider seen on a router of `site_id` may be registered to."""
    return (
        User.objects.filter(
            role__in=User.RESIDENT_ROLES, approval_status=User.Approval.APPROVED, is_active=True
        )
        .filter(site_members_q(site_id))
        .order_by("full_name")
    )


@transaction.atomic
def free_rider_register(*, rider: FreeRider, user: User, actor: User):
    """The MAC becomes an authorized device of `user` (audited by device_authorize). Refused for a
    resident of another site: their routers would never see the device, and staff of one site must not
    reach another site's residents through a free rider."""
    rider = FreeRider.objects.select_for_update().select_related("router").get(pk=rider.pk)
    if not register_candidates(site_id=rider.router.site_id).filter(pk=user.pk).exists():
        raise ValidationError(_("This resident does not live at the site where the device was seen."))
    device, _replaced = device_authorize(user=user, mac=rider.mac, ip=rider.address, actor=actor)
    rider.delete()
    return device
