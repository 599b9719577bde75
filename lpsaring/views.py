from django.shortcuts import render
from django.utils.translation import gettext as _


def ratelimited(request, exception=None):
    return render(
        request,
        "error.html",
        {"title": _("Too many attempts"), "message": _("Too many attempts. Wait a moment and try again.")},
        status=429,
    )
