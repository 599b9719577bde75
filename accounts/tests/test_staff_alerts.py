import pytest

from accounts.alerts import staff_alert_send
from accounts.models import User
from core.whatsapp.memory import messages_to

pytestmark = pytest.mark.django_db


def test_alerts_go_to_the_configured_numbers(settings, staff, django_capture_on_commit_callbacks):
    settings.STAFF_ALERT_PHONES = ["+6281111111111"]
    with django_capture_on_commit_callbacks(execute=True):
        staff_alert_send(text="Peringatan")
    assert messages_to("+6281111111111") == ["Peringatan"] and messages_to(staff.phone) == []


def test_without_configured_numbers_the_active_super_admins_are_told(
    settings, staff, make_user, django_capture_on_commit_callbacks
):
    settings.STAFF_ALERT_PHONES = []
    admin = make_user(role=User.Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        staff_alert_send(text="Peringatan")
    assert messages_to(staff.phone) == ["Peringatan"] and messages_to(admin.phone) == []
