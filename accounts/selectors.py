"""Reads on accounts that need care."""

from django.db.models import Q


def site_members_q(site_id: int, prefix: str = "") -> Q:
    """Users served by the routers of `site_id`: its residents (through the room's block, or the tamping
    type) and every user without a location (staff), who are not tied to a site. `prefix` reaches the user
    through a relation (e.g. "user__" on devices)."""
    return (
        Q(**{f"{prefix}block__site_id": site_id})
        | Q(**{f"{prefix}tamping_type__site_id": site_id})
        | Q(**{f"{prefix}block__isnull": True, f"{prefix}tamping_type__isnull": True})
    )
