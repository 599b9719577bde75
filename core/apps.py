from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Units, formatting, phone and MAC normalisation, the WhatsApp transport, Turnstile and admin parts.
    Imports no app of the project; every app may import it."""

    name = "core"
    verbose_name = _("Messages")  # its one admin page: the WhatsApp outbox
