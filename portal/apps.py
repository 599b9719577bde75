from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What residents and Komandan see: the captive login and OTP, the resident pages, Komandan requests,
    the landing and error pages, with their forms and rate limits."""

    name = "portal"
