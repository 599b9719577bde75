"""Who may do what: residents on their own pages and API, staff in the admin.

Residents: a logged-in, active USER or KOMANDAN (`resident_may_enter`), checked by the page decorator and
the API permission alike. Staff (`staff_may`), a pure policy tested with a table (no database):
- Residents and Komandan never act in the admin.
- Resident actions (approve, reject, block, quota, devices, router) apply to residents only.
- An ADMIN cannot change, block or delete an ADMIN or SUPER_ADMIN account.
- Only a SUPER_ADMIN changes roles and settings (groups, routers, packages).
"""

from enum import StrEnum
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from rest_framework import permissions


def resident_may_enter(user) -> bool:
    """A logged-in, active resident (USER or KOMANDAN)."""
    return bool(user and user.is_authenticated and user.is_active and user.is_resident)


def resident_required(view):
    """Resident pages: anyone else goes to the portal login, and comes back after it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not resident_may_enter(request.user):
            return redirect(f"{settings.RESIDENT_LOGIN_URL}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapped


class IsResident(permissions.BasePermission):
    """The JSON API's resident check: the same rule as the pages."""

    message = "Only residents have quota."

    def has_permission(self, request, view):
        return resident_may_enter(request.user)


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
