"""Admin building blocks shared by every app (confirmed object actions, read-only admins), and the one
page core has: the WhatsApp outbox."""

from core.admin import outbox  # noqa: F401 - registers the outbox page when the admin loads
