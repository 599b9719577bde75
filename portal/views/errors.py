from django.shortcuts import render
from django.utils.translation import gettext as _


def ratelimited(request, exception=None):
    return render(
        request,
        "error.html",
        {"title": _("Too many attempts"), "message": _("Too many attempts. Wait a moment and try again.")},
        status=429,
    )


def csrf_failure(request, reason=""):
    """A form sent from a page that is too old (or from elsewhere): say so plainly, offer a way back."""
    return render(
        request,
        "error.html",
        {
            "title": _("The page has expired"),
            "message": _(
                "This form was open too long or came from elsewhere. Open the page again and retry."
            ),
            "back_url": "/captive/",
        },
        status=403,
    )
