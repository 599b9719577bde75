from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from core.phone import normalize_phone


class PhoneBackend(ModelBackend):
    """Staff sign in with their phone number in any common form (08…, 628…, +628…) and a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            username = normalize_phone(username or kwargs.get("phone", ""))
        except ValidationError:
            return None
        return super().authenticate(request, username=username, password=password)
