"""Who on the staff may do what to whom: a pure policy, tested with a table (no database).

- Residents and Komandan never act in the admin.
- Resident actions (approve, reject, block, quota, devices, router) apply to residents only.
- An ADMIN cannot change, block or delete an ADMIN or SUPER_ADMIN account.
- Only a SUPER_ADMIN changes roles and settings (groups, routers, packages).
"""

from enum import StrEnum

STAFF_ROLES = ("ADMIN", "SUPER_ADMIN")
RESIDENT_ROLES = ("USER", "KOMANDAN")


class StaffAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    BLOCK = "block"
    DELETE = "delete"
    SET_ROLE = "set_role"
    SETTINGS = "settings"
    RESIDENT = "resident"  # approve, reject, quota, unlimited, devices, router reset


def staff_may(*, actor_role: str, action: StaffAction, target_role: str | None = None) -> bool:
    if actor_role not in STAFF_ROLES:
        return False
    is_super = actor_role == "SUPER_ADMIN"
    if action == StaffAction.VIEW:
        return True
    if action in (StaffAction.SET_ROLE, StaffAction.SETTINGS):
        return is_super
    if action == StaffAction.RESIDENT:
        return target_role in RESIDENT_ROLES
    # CHANGE, BLOCK, DELETE on an account
    if target_role in STAFF_ROLES:
        return is_super
    return True
