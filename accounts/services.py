"""Writes on residents, staff and devices: registration, location, block state, roles, devices, profile
edits and new staff accounts. Each is atomic and writes its audit row."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record, snapshot
from accounts.models import Block, Device, Room, TampingType, User
from accounts.signals import announce_access_changed
from core.mac import normalize_mac
from core.names import name_clean
from core.phone import normalize_phone
from routers.models import Router
from sites.models import Site

BLOCK_FIELDS = ("is_blocked", "blocked_reason", "blocked_at", "blocked_by")


def location_validate(*, role, room=None, block=None, tamping_type=None) -> None:
    """The location rule of the database CHECK, with messages for people."""
    if role in User.STAFF_ROLES:
        return
    if tamping_type is not None:
        if room is not None or block is not None:
            raise ValidationError(_("A tamping resident has no block or room."), code="location")
        return
    if room is None:
        raise ValidationError(_("Choose a block and room, or a tamping type."), code="location")
    if block is not None and room.block_id != block.pk:
        raise ValidationError(
            _("Room %(room)s is not in block %(block)s.") % {"room": room.name, "block": block.name},
            code="location",
        )


def room_resolve(*, block_name: str, room_name: str) -> Room:
    room = Room.objects.select_related("block").filter(block__name=block_name, name=room_name).first()
    if room is None:
        raise ValidationError(
            _("Unknown room %(room)s in block %(block)s.") % {"room": room_name, "block": block_name},
            code="unknown_room",
        )
    return room


@transaction.atomic
def user_register(
    *,
    phone: str,
    full_name: str,
    room: Room | None = None,
    tamping_type: TampingType | None = None,
    role: str = User.Role.USER,
    actor: User | None = None,
) -> User:
    """A new resident, PENDING until staff approve. Rejects a taken number with a clear message."""
    phone = normalize_phone(phone)
    full_name = name_clean(full_name, max_length=120, min_length=3)
    location_validate(role=role, room=room, tamping_type=tamping_type)
    if User.objects.filter(phone=phone).exists():
        raise ValidationError(_("This number is already registered."), code="phone_taken")
    user = User.objects.create_user(
        phone,
        full_name,
        role=role,
        room=room,
        block_id=room.block_id if room else None,
        tamping_type=tamping_type,
    )
    audit_record(
        actor=actor,
        action="user.register",
        target_user=user,
        obj=user,
        after=snapshot(user, ("phone", "full_name", "role", "room", "tamping_type")),
    )
    return user


@transaction.atomic
def user_reject(*, user: User, actor: User | None, reason: str) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.approval_status != User.Approval.PENDING:
        raise ValidationError(_("Only a pending registration can be rejected."), code="not_pending")
    if not reason.strip():
        raise ValidationError(_("Give a reason for the rejection."), code="reason")
    user.approval_status = User.Approval.REJECTED
    user.rejection_reason = reason.strip()[:255]
    user.save(update_fields=["approval_status", "rejection_reason"])
    audit_record(
        actor=actor,
        action="user.reject",
        target_user=user,
        obj=user,
        before={"approval_status": "PENDING"},
        after={"approval_status": "REJECTED"},
        reason=reason,
    )
    return user


@transaction.atomic
def user_block(*, user: User, actor: User | None, reason: str) -> User:
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason for the block."), code="reason")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, BLOCK_FIELDS)
    user.is_blocked = True
    user.blocked_reason = reason.strip()[:255]
    user.blocked_at = timezone.now()
    user.blocked_by = actor if actor is not None and actor.pk else None
    user.save(update_fields=list(BLOCK_FIELDS))
    audit_record(
        actor=actor,
        action="user.block",
        target_user=user,
        obj=user,
        before=before,
        after=snapshot(user, BLOCK_FIELDS),
        reason=reason,
    )
    announce_access_changed(user.pk)
    return user


@transaction.atomic
def user_unblock(*, user: User, actor: User | None, reason: str = "") -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, BLOCK_FIELDS)
    user.is_blocked = False
    user.blocked_reason = ""
    user.blocked_at = None
    user.blocked_by = None
    user.save(update_fields=list(BLOCK_FIELDS))
    audit_record(
        actor=actor,
        action="user.unblock",
        target_user=user,
        obj=user,
        before=before,
        after=snapshot(user, BLOCK_FIELDS),
        reason=reason,
    )
    announce_access_changed(user.pk)
    return user


@transaction.atomic
def user_set_role(*, user: User, role: str, actor: User | None) -> User:
    if role not in User.Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"role": user.role}
    if role in User.RESIDENT_ROLES:
        location_validate(role=role, room=user.room, block=user.block, tamping_type=user.tamping_type)
    user.role = role
    user.is_superuser = role == User.Role.SUPER_ADMIN
    user.save(update_fields=["role", "is_superuser"])
    audit_record(
        actor=actor, action="user.set_role", target_user=user, obj=user, before=before, after={"role": role}
    )
    announce_access_changed(user.pk)
    return user


@transaction.atomic
def device_authorize(
    *,
    user: User,
    mac: str,
    ip: str | None = None,
    actor: User | None = None,
    label: str = "",
    announce: bool = True,
) -> tuple[Device, Device | None]:
    """Authorize `mac` for `user`; returns the device and the one it replaced at the device limit.

    `announce=False` is for a caller that converges the router itself right after (the captive login,
    which must know whether the router answered), so the router is not asked twice.

    A MAC authorized for someone else is taken over only by staff (actor set and not the user).
    """
    mac = normalize_mac(mac)
    now = timezone.now()
    User.objects.select_for_update().get(pk=user.pk)
    holder = Device.objects.select_for_update().filter(mac=mac, is_authorized=True).exclude(user=user).first()
    if holder is not None:
        raise ValidationError(
            _("This device is registered to another resident. Ask staff."), code="mac_taken"
        )
    device, created = Device.objects.select_for_update().get_or_create(
        user=user,
        mac=mac,
        defaults={"last_ip": ip, "label": label, "first_seen": now, "last_seen": now},
    )
    before = snapshot(device, ("is_authorized", "last_ip"))
    replaced = None
    if created or not device.is_authorized:
        others = list(
            Device.objects.select_for_update()
            .filter(user=user, is_authorized=True)
            .exclude(pk=device.pk)
            .order_by("last_seen", "pk")
        )
        if len(others) >= settings.MAX_DEVICES_PER_USER:
            replaced = others[0]
            replaced.is_authorized = False
            replaced.save(update_fields=["is_authorized"])
            audit_record(
                actor=actor,
                action="device.replace",
                target_user=user,
                obj=replaced,
                before={"is_authorized": True},
                after={"is_authorized": False, "mac": replaced.mac},
            )
    device.is_authorized = True
    device.last_ip = ip or device.last_ip
    device.last_seen = now
    if label:
        device.label = label
    device.save()
    audit_record(
        actor=actor,
        action="device.authorize",
        target_user=user,
        obj=device,
        before=before,
        after={**snapshot(device, ("is_authorized", "last_ip")), "mac": mac},
    )
    if announce:
        announce_access_changed(user.pk)
    return device, replaced


@transaction.atomic
def device_remove(*, device: Device, actor: User | None, reason: str = "") -> None:
    device = Device.objects.select_for_update().get(pk=device.pk)
    user_id = device.user_id
    audit_record(
        actor=actor,
        action="device.remove",
        target_user=device.user,
        obj=device,
        before={"mac": device.mac, "is_authorized": device.is_authorized, "last_ip": device.last_ip},
        reason=reason,
    )
    device.delete()
    announce_access_changed(user_id)


@transaction.atomic
def device_rename(*, device: Device, label: str, actor: User | None) -> Device:
    label = name_clean(label, max_length=60, blank=True)
    device = Device.objects.select_for_update().get(pk=device.pk)
    before = {"label": device.label}
    device.label = label
    device.save(update_fields=["label"])
    audit_record(
        actor=actor,
        action="device.rename",
        target_user=device.user,
        obj=device,
        before=before,
        after={"label": label},
    )
    return device


PROFILE_FIELDS = ("full_name", "is_active", "room", "tamping_type")


@transaction.atomic
def user_profile_update(*, user: User, actor: User, changes: dict) -> User:
    """Change name, active flag or location (and role, through user_set_role), with one audit row."""
    unknown = set(changes) - set(PROFILE_FIELDS) - {"role"}
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    role = changes.get("role", user.role)
    fields = [name for name in PROFILE_FIELDS if name in changes]
    if fields:
        if "full_name" in changes:
            changes = {**changes, "full_name": name_clean(changes["full_name"], max_length=120)}
        before = snapshot(user, fields)
        for name in fields:
            setattr(user, name, changes[name])
        moved = "room" in fields or "tamping_type" in fields
        if moved:
            user.block_id = user.room.block_id if user.room_id else None
            location_validate(role=role, room=user.room, tamping_type=user.tamping_type)
        user.save(update_fields=[*fields, "block"] if moved else fields)
        if moved:
            announce_access_changed(user.pk)  # another site's routers, perhaps: the next converge moves them
        audit_record(
            actor=actor,
            action="user.update",
            target_user=user,
            obj=user,
            before=before,
            after=snapshot(user, fields),
        )
    if role != user.role:
        user = user_set_role(user=user, role=role, actor=actor)
    return user


@transaction.atomic
def staff_account_create(*, phone: str, full_name: str, role: str, password: str, actor: User) -> User:
    if role not in User.STAFF_ROLES:
        raise ValidationError(_("Unknown role."), code="role")
    phone = normalize_phone(phone)
    if User.objects.filter(phone=phone).exists():
        raise ValidationError(_("This number is already registered."), code="phone_taken")
    user = User.objects.create_user(
        phone,
        name_clean(full_name, max_length=120),
        password=password,
        role=role,
        approval_status=User.Approval.APPROVED,
        is_superuser=role == User.Role.SUPER_ADMIN,
    )
    audit_record(
        actor=actor,
        action="user.create_staff",
        target_user=user,
        obj=user,
        after={"phone": phone, "role": role},
    )
    return user


def block_move_check(*, block: Block, site: Site) -> None:
    """Why a block cannot move to `site`, as a ValidationError for staff: the site has no enabled router
    (its residents could not go online), or it has a block of that name already."""
    if not Router.objects.filter(site=site, enabled=True).exists():
        raise ValidationError(
            _(
                "Site %(site)s has no enabled router yet: its residents could not go online. "
                "Add the site's router first, then move the block."
            )
            % {"site": site.name},
            code="site_without_router",
        )
    if Block.objects.filter(site=site, name=block.name).exclude(pk=block.pk).exists():
        raise ValidationError(
            _("The site %(site)s already has a block named %(name)s.")
            % {"site": site.name, "name": block.name},
            code="block_name_taken",
        )


@transaction.atomic
def block_move(*, block: Block, site: Site, actor: User | None) -> Block:
    """Move a block, its rooms and its residents to another site. Their router entries follow at once: a
    targeted converge is queued for each resident (removed from the old site's routers, added to the new
    site's), and the next full reconcile catches up with any router that was down."""
    block = Block.objects.select_for_update().get(pk=block.pk)
    if block.site_id == site.pk:
        return block
    block_move_check(block=block, site=site)
    before = {"site": block.site_id}
    block.site = site
    block.save(update_fields=["site"])
    audit_record(actor=actor, action="block.move", obj=block, before=before, after={"site": site.pk})
    for user_id in User.objects.filter(block=block).values_list("pk", flat=True):
        announce_access_changed(user_id)
    return block


@transaction.atomic
def staff_sites_set(*, user: User, sites, actor: User) -> User:
    """Limit a staff account to `sites` (none: every site), with one audit row. Residents have no sites
    to manage."""
    if user.role not in User.STAFF_ROLES:
        raise ValidationError(_("Only staff accounts manage sites."), code="staff_sites")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = sorted(user.staff_sites.values_list("pk", flat=True))
    after = sorted(site.pk for site in sites)
    if before != after:
        user.staff_sites.set(after)
        audit_record(
            actor=actor,
            action="user.staff_sites",
            target_user=user,
            obj=user,
            before={"staff_sites": before},
            after={"staff_sites": after},
        )
    return user
