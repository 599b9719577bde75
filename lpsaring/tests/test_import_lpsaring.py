"""import_lpsaring against a Flask-shaped database with 2,000 residents, 5,000 devices and 20,000
transactions plus one row of each awkward kind."""

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import psycopg
import pytest
import time_machine
from django.core.management import call_command
from psycopg.rows import dict_row

from accounts.models import Device, User
from billing.models import Transaction, TransactionEvent
from core.units import MIB
from lpsaring.models import ImportedRecord
from lpsaring.takeover import flask_fixture, mapping
from quota.debt import debt_summary
from quota.models import DebtItem, QuotaBalance, QuotaEntry, QuotaRequest


@pytest.fixture
def flask_db():
    with flask_fixture.flask_database() as url:
        filled = flask_fixture.fill(url)
        yield url, filled


def _expected_remaining(row) -> int:
    """Flask's purchased − used, plus the auto debt Flask settled through its offset (still covering
    usage beyond purchased; never for a Komandan or an unlimited resident)."""
    mib = Decimal(1048576)
    used = int((Decimal(row["total_quota_used_mb"]) * mib).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    purchased = int(row["total_quota_purchased_mb"]) * 1048576
    settled = 0
    if row["role"] == "USER" and not row["is_unlimited_user"]:
        settled = min(int(row["auto_debt_offset_mb"]) * 1048576, max(used - purchased, 0))
    return purchased - used + settled


def _counts():
    return (
        User.objects.count(),
        Device.objects.count(),
        Transaction.objects.count(),
        TransactionEvent.objects.count(),
        QuotaEntry.objects.count(),
        QuotaRequest.objects.count(),
        DebtItem.objects.count(),
        ImportedRecord.objects.count(),
    )


@pytest.mark.django_db(transaction=True)
@time_machine.travel(flask_fixture.NOW, tick=False)
def test_import_takes_everything_once_and_reports_every_rejected_row(flask_db, tmp_path, outbox):
    url, filled = flask_db
    report_file = tmp_path / "report.json"
    call_command("import_lpsaring", source=url, report=str(report_file))
    report = json.loads(report_file.read_text())

    rejected = {(r["table"], r["id"]): r["reason"] for r in report["rejected"]}
    for reason, rows in filled.awkward.items():
        for table, row_id in rows:
            assert rejected.get((table, row_id)) == reason, (reason, table, row_id)
    # Nothing of a rejected resident was half-written.
    assert not User.objects.filter(phone__in=["+6281999000001", "+6281999000002", "+6281999000003"]).exists()

    with psycopg.connect(url, row_factory=dict_row) as conn:
        flask_users = {str(r["id"]): r for r in conn.execute("SELECT * FROM users").fetchall()}
    imported = dict(ImportedRecord.objects.filter(source_table="users").values_list("source_id", "target_id"))
    assert len(imported) == filled.users - len([1 for r in report["rejected"] if r["table"] == "users"])
    balances = {b.user_id: b for b in QuotaBalance.objects.all()}
    for flask_id, user_id in imported.items():
        row = flask_users[flask_id]
        if row["role"] in ("ADMIN", "SUPER_ADMIN"):
            assert user_id not in balances
            continue
        assert balances[user_id].remaining_bytes == _expected_remaining(row), flask_id
    assert report["remaining_bytes"]["flask"] == report["remaining_bytes"]["lpsaring"]
    tables = report["tables"]
    assert tables["user_devices"]["imported"] + tables["user_devices"]["rejected"] == filled.devices
    assert tables["transactions"]["imported"] == filled.transactions - 1  # the debt payment
    assert Device.objects.filter(mac=flask_fixture.device_mac(14)).exists()  # lower-case, dashes
    assert all(m == m.upper() for m in Device.objects.values_list("mac", flat=True))
    _assert_debt_as_in_flask(filled)
    staff = User.objects.filter(role__in=["ADMIN", "SUPER_ADMIN"])
    assert staff.count() == 3 and not any(u.has_usable_password() for u in staff)

    before = _counts()
    call_command("import_lpsaring", source=url, report=str(report_file))
    assert _counts() == before
    again = json.loads(report_file.read_text())
    assert all(t["imported"] == 0 for t in again["tables"].values())


def _assert_debt_as_in_flask(filled):
    """What each debtor owes here is what Flask says they owe: auto debt net of what its offset settled,
    and open items with the open part of their price."""
    debtors = {case: User.objects.get(phone=phone) for case, phone in filled.debtors.items()}
    settled = debt_summary(debtors["settled_auto"])
    assert settled.auto_bytes == 212 * MIB and settled.items == []  # 1536 used − 1024 bought − 300 settled
    assert QuotaBalance.objects.get(user=debtors["settled_auto"]).remaining_bytes == -212 * MIB  # still habis
    stale = debt_summary(debtors["stale_offset"])
    assert not stale.has_debt
    assert QuotaBalance.objects.get(user=debtors["stale_offset"]).remaining_bytes == 1048 * MIB
    items = debt_summary(debtors["items"])
    assert items.auto_bytes == 0
    assert [(o.open_bytes, o.open_rp, o.item.due_date) for o in items.items] == [
        (1024 * MIB, 10000, date(2026, 6, 30)),  # no price: as auto debt; due at the end of its month
        (15360 * MIB, 127500, flask_fixture.DEBT_DUE),  # a quarter of 20 GB paid back: 3/4 of Rp 170.000
    ]  # in the order Flask pays them back: the older debt date first
    # Flask credited the quota when it gave the debt: the import adds no bytes for an item.
    assert QuotaBalance.objects.get(user=debtors["items"]).remaining_bytes == (20480 - 100) * MIB
    assert DebtItem.objects.filter(user__role=User.Role.USER).count() == DebtItem.objects.count() == 8


@pytest.mark.django_db(transaction=True)
@time_machine.travel(flask_fixture.NOW, tick=False)
def test_dry_run_writes_nothing(tmp_path):
    with flask_fixture.flask_database() as url:
        flask_fixture.fill(url, residents=40, devices=80, transactions=100)
        call_command("import_lpsaring", source=url, dry_run=True)
    assert User.objects.count() == 0 and ImportedRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("offset_mb", "purchased_mb", "used_mb", "counts_debt", "settled_mb"),
    [
        (0, 1024, 1536, True, 0),  # nothing settled: all of the overuse is auto debt
        (300, 1024, 1536, True, 300),  # part settled
        (512, 1024, 1536, True, 512),  # all settled: habis, no debt
        (900, 1024, 1536, True, 512),  # more than the overuse: only the overuse counts, no free quota
        (500, 2048, 1000, True, 0),  # a purchase overtook the offset
        (300, 1024, 1536, False, 0),  # a Komandan or an unlimited resident: no auto debt in Flask
        (-5, 1024, 1536, True, 0),  # a negative offset counts nothing
    ],
)
def test_the_auto_debt_flask_settled_becomes_a_settlement_of_the_overuse_only(
    offset_mb, purchased_mb, used_mb, counts_debt, settled_mb
):
    settled = mapping.settled_auto_debt(
        offset_bytes=offset_mb * MIB,
        purchased_bytes=purchased_mb * MIB,
        used_bytes=used_mb * MIB,
        counts_debt=counts_debt,
    )
    assert settled == settled_mb * MIB
