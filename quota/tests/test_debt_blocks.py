"""Debt blocks: the limit, the end-of-month and overdue blocks (warning first), reminders once each."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.units import GIB, MIB
from core.whatsapp import memory
from quota.debt import debt_grant, debt_pay_from_credit, debt_settle_cash
from quota.debt_blocks import DebtBlock, ItemFacts, debt_block_reason
from quota.debt_cycle import debt_cycle
from quota.models import QuotaBalance, QuotaNotice
from quota.router_state import BINDING_TYPES, desired_state, status_list
from quota.selectors import access_status_of
from quota.services import quota_consume, quota_grant
from quota.status import AccessStatus
from sites.models import Site

pytestmark = pytest.mark.django_db
ZONES = ["Asia/Makassar", "Asia/Jakarta"]


def at(zone: str, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def site_zone(zone: str) -> None:
    Site.objects.filter(pk=Site.objects.default().pk).update(time_zone=zone)


def status(user, now=None):
    user.refresh_from_db()
    return access_status_of(user, QuotaBalance.objects.get(user=user), now=now or timezone.now())


def owing(make_user, zone, *, price=20000):
    site_zone(zone)
    with time_machine.travel(at(zone, "2026-03-15 10:00"), tick=False):
        user = make_user()
        item = debt_grant(user=user, amount_bytes=2 * GIB, price_rp=price, actor=None, note="Paket 2 GB")
    return user, item


def cycle_at(moment):
    with time_machine.travel(moment, tick=False):
        return debt_cycle()


MARCH = at("UTC", "2026-03-20 00:00")  # inside the items' validity, for reading statuses


def test_the_rule_blocks_only_items_a_sent_warning_covers_and_at_the_limit():
    granted = datetime(2026, 3, 15, tzinfo=ZoneInfo("UTC"))
    item = ItemFacts(due_date=granted.date().replace(day=31), created_at=granted)
    warned = {"debt:month_end:2026-03-31": granted + timedelta(days=16)}
    assert (
        debt_block_reason(auto_bytes=0, items_bytes=1, items=[item], notices=warned, limit_bytes=0) == "due"
    )
    assert debt_block_reason(auto_bytes=0, items_bytes=1, items=[item], notices={}, limit_bytes=0) == ""
    late = ItemFacts(due_date=item.due_date, created_at=granted + timedelta(days=17))  # granted after it
    assert debt_block_reason(auto_bytes=0, items_bytes=1, items=[late], notices=warned, limit_bytes=0) == ""
    assert debt_block_reason(auto_bytes=5, items_bytes=5, items=[], notices={}, limit_bytes=10) == "limit"
    assert debt_block_reason(auto_bytes=5, items_bytes=4, items=[], notices={}, limit_bytes=10) == ""


def test_debt_is_treated_like_habis_on_the_router(settings):
    assert AccessStatus.DEBT not in BINDING_TYPES
    assert status_list(AccessStatus.DEBT) == settings.ROUTER_LIST_HABIS


@pytest.mark.parametrize("zone", ZONES)
def test_month_end_block_starts_at_23_local_after_the_warning_and_cash_lifts_it(make_user, outbox, zone):
    user, _item = owing(make_user, zone)
    cycle_at(at(zone, "2026-03-31 22:59"))
    assert status(user, MARCH) != AccessStatus.DEBT
    assert not QuotaNotice.objects.filter(user=user, key__startswith="debt:month_end").exists()
    report = cycle_at(at(zone, "2026-03-31 23:00"))
    assert report.warnings == 1 and status(user, MARCH) == AccessStatus.DEBT
    assert QuotaBalance.objects.get(user=user).debt_block == DebtBlock.DUE
    assert any("blocked" in m["text"] or "diblokir" in m["text"] for m in outbox if m["phone"] == user.phone)
    with time_machine.travel(at(zone, "2026-03-31 23:10"), tick=False):
        debt_settle_cash(user=user, actor=None, amount_rp=20000)
    assert status(user, MARCH) == AccessStatus.OK  # at once, not at the next cycle
    cycle_at(at(zone, "2026-03-31 23:11"))
    assert status(user, MARCH) == AccessStatus.OK


def test_no_block_when_the_warning_could_not_be_sent(make_user, outbox):
    user, _item = owing(make_user, "Asia/Makassar")
    memory.failing.add(user.phone)
    report = cycle_at(at("Asia/Makassar", "2026-03-31 23:00"))
    assert report.warnings_failed == 1 and status(user, MARCH) == AccessStatus.OK
    assert not QuotaNotice.objects.filter(user=user, key__startswith="debt:month_end").exists()
    memory.failing.clear()
    cycle_at(at("Asia/Makassar", "2026-03-31 23:01"))  # the next minute tries again
    assert status(user, MARCH) == AccessStatus.DEBT


@pytest.mark.parametrize("zone", ZONES)
def test_overdue_items_block_from_08_the_day_after_due(make_user, outbox, zone):
    user, _item = owing(make_user, zone)
    memory.failing.add(user.phone)  # the month-end warning never went out
    cycle_at(at(zone, "2026-03-31 23:30"))
    memory.failing.clear()
    cycle_at(at(zone, "2026-04-01 07:59"))
    assert status(user, MARCH) == AccessStatus.OK
    cycle_at(at(zone, "2026-04-01 08:00"))
    assert status(user, MARCH) == AccessStatus.DEBT
    assert QuotaNotice.objects.filter(user=user, key="debt:overdue:2026-03-31").exists()


def test_reminders_go_once_each_every_minute_and_across_restarts(
    make_user, outbox, django_capture_on_commit_callbacks
):
    zone = "Asia/Makassar"
    user, _item = owing(make_user, zone)
    due_end = at(zone, "2026-04-01 00:00")
    with django_capture_on_commit_callbacks(execute=True):
        for hours in (72, 24, 3):
            start = due_end - timedelta(hours=hours) - timedelta(minutes=2)
            for minute in range(5):  # every minute around the moment
                cycle_at(start + timedelta(minutes=minute))
            cycle_at(start + timedelta(minutes=4))  # a restart runs it again
    reminders = [m for m in outbox if m["phone"] == user.phone]
    assert len(reminders) == 3
    keys = set(
        QuotaNotice.objects.filter(user=user, key__startswith="debt:remind").values_list("key", flat=True)
    )
    assert keys == {f"debt:remind:{h}:2026-03-31" for h in (72, 24, 3)}


def test_limit_warns_once_at_80_percent_blocks_at_the_limit_and_a_purchase_lifts_it_at_once(
    make_user, outbox, settings, django_capture_on_commit_callbacks
):
    settings.DEBT_LIMIT_MB = 1000
    site_zone("Asia/Makassar")
    with time_machine.travel(at("Asia/Makassar", "2026-03-10 10:00"), tick=False):
        user = make_user(quota_bytes=100 * MIB)
        quota_consume(user=user, amount_bytes=900 * MIB, idempotency_key="u1")  # 800 MB auto debt
        with django_capture_on_commit_callbacks(execute=True):
            debt_cycle()
            debt_cycle()
        warnings = [m for m in outbox if m["phone"] == user.phone]
        assert len(warnings) == 1 and status(user, MARCH) == AccessStatus.HABIS
        quota_consume(user=user, amount_bytes=200 * MIB, idempotency_key="u2")  # 1000 MB: the limit
        debt_cycle()
        assert status(user, MARCH) == AccessStatus.DEBT
        assert desired_state(user_ids=[user.pk]).bindings == []
        with transaction.atomic():  # what a paid purchase does
            quota_grant(user=user, amount_bytes=GIB, days=30, idempotency_key="buy")
            debt_pay_from_credit(user=user, credited_bytes=GIB, key="buy", reference="buy")
        assert status(user, MARCH) == AccessStatus.OK


def test_quota_rebuild_rederives_a_drifted_debt_block(make_user, outbox):
    user, _item = owing(make_user, "Asia/Makassar")
    cycle_at(at("Asia/Makassar", "2026-03-31 23:00"))
    QuotaBalance.objects.filter(user=user).update(debt_block="")  # drifted
    with pytest.raises(SystemExit):
        call_command("quota_rebuild", stdout=StringIO())
    out = StringIO()
    call_command("quota_rebuild", "--fix", stdout=out)
    assert "derived due" in out.getvalue()
    assert QuotaBalance.objects.get(user=user).debt_block == DebtBlock.DUE


def test_a_quiet_minute_reads_every_debtor_in_the_same_few_queries(make_user, outbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def debtors(n):
        for _ in range(n):
            owing(make_user, "Asia/Makassar")
        with time_machine.travel(at("Asia/Makassar", "2026-03-16 10:00"), tick=False):
            debt_cycle()  # nothing due mid-month: no reminder, warning or block to write
            with CaptureQueriesContext(connection) as queries:
                report = debt_cycle()
        return report, len(queries)

    few, few_queries = debtors(2)
    many, many_queries = debtors(20)
    assert (few.residents, many.residents) == (2, 22)
    assert many_queries == few_queries <= 12  # not one transaction per debtor
    assert outbox == []


def test_the_batched_minute_still_sends_what_is_due_once(
    make_user, outbox, django_capture_on_commit_callbacks
):
    quiet, _ = owing(make_user, "Asia/Makassar")
    with time_machine.travel(at("Asia/Makassar", "2026-03-10 10:00"), tick=False):
        due_soon = make_user()
        debt_grant(user=due_soon, amount_bytes=GIB, price_rp=10000, actor=None, note="x")
    with django_capture_on_commit_callbacks(execute=True):
        # 72 hours before the end of 31 March, when both items are due: each debtor is reminded once.
        assert cycle_at(at("Asia/Makassar", "2026-03-29 00:01")).reminders == 2
        assert cycle_at(at("Asia/Makassar", "2026-03-29 00:02")).reminders == 0
    assert sorted(m["phone"] for m in outbox) == sorted([quiet.phone, due_soon.phone])
