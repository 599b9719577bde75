"""Access to the resident pages (reused by billing)."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect


def resident_required(view):
    """A logged-in, active resident (USER or KOMANDAN); anyone else goes to the portal login."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_resident):
            return redirect(f"{settings.RESIDENT_LOGIN_URL}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapped
