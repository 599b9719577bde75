import pytest
from django.db import transaction
from django.test import override_settings

from core.whatsapp import send_after_commit, send_message
from core.whatsapp.memory import messages_to


def test_console_backend_prints_the_message_for_the_demo(capsys):
    with override_settings(WHATSAPP_BACKEND="console"):
        result = send_message(phone="+6281234567890", text="Kode 123456")
    assert result.ok
    assert "+6281234567890" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_message_scheduled_in_a_rolled_back_transaction_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_after_commit(phone="+6281234567890", text="tidak terkirim")
        raise RuntimeError("rollback")
    assert messages_to("+6281234567890") == []
    with transaction.atomic():
        send_after_commit(phone="+6281234567890", text="terkirim")
        assert messages_to("+6281234567890") == []
    assert messages_to("+6281234567890") == ["terkirim"]
