"""Staff authentication and permissions: the role decides, groups hold the permission sets.

A staff member's permissions are those of the Django group named like their role (ADMIN, SUPER_ADMIN,
created by lpsaring/migrations/0001_staff_groups.py) plus any group they were added to by hand, so a role
change needs no group bookkeeping. Residents and Komandan have no permissions here whatever their groups.
"""

from django.contrib.auth.models import Permission

from accounts.backends import PhoneBackend
from accounts.models import User


class RoleBackend(PhoneBackend):
    def _get_group_permissions(self, user_obj):
        if user_obj.role not in User.STAFF_ROLES:
            return Permission.objects.none()
        by_role = Permission.objects.filter(group__name=user_obj.role)
        by_membership = Permission.objects.filter(group__user=user_obj)
        return (by_role | by_membership).distinct()

    def _get_user_permissions(self, user_obj):
        if user_obj.role not in User.STAFF_ROLES:
            return Permission.objects.none()
        return super()._get_user_permissions(user_obj)
