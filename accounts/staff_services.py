"""Staff edits of accounts from the admin: profile changes and new staff accounts, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_record, snapshot
from accounts.models import User
from accounts.services import location_validate, user_set_role
from core.phone import normalize_phone

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
        before = snapshot(user, fields)
        for name in fields:
            setattr(user, name, changes[name])
        moved = "room" in fields or "tamping_type" in fields
        if moved:
            user.block_id = user.room.block_id if user.room_id else None
            location_validate(role=role, room=user.room, tamping_type=user.tamping_type)
        user.save(update_fields=[*fields, "block"] if moved else fields)
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
        full_name.strip(),
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
