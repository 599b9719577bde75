from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Units, formatting, phone and MAC normalisation, the WhatsApp transport, Turnstile and admin parts.
    Imports no app of the project; every app may import it."""

    name = "core"
