"""import_lpsaring against a Flask-shaped database with 2,000 residents, 5,000 devices and 20,000
transactions plus one row of each awkward kind."""

import json
from decimal import ROUND_HALF_UP, Decimal

import psycopg
import pytest
import time_machine
from django.core.management import call_command
from psycopg.rows import dict_row

from accounts.models import Device, User
from billing.models import Transaction, TransactionEvent
from lpsaring.models import ImportedRecord
from lpsaring.takeover import flask_fixture
from quota.models import QuotaBalance, QuotaEntry, QuotaRequest


@pytest.fixture
def flask_db():
    with flask_fixture.flask_database() as url:
        filled = flask_fixture.fill(url)
        yield url, filled


def _expected_remaining(row) -> int:
    mib = Decimal(1048576)
    used = (Decimal(row["total_quota_used_mb"]) * mib).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(row["total_quota_purchased_mb"]) * 1048576 - int(used)


def _counts():
    return (
        User.objects.count(),
        Device.objects.count(),
        Transaction.objects.count(),
        TransactionEvent.objects.count(),
        QuotaEntry.objects.count(),
        QuotaRequest.objects.count(),
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
    staff = User.objects.filter(role__in=["ADMIN", "SUPER_ADMIN"])
    assert staff.count() == 3 and not any(u.has_usable_password() for u in staff)

    before = _counts()
    call_command("import_lpsaring", source=url, report=str(report_file))
    assert _counts() == before
    again = json.loads(report_file.read_text())
    assert all(t["imported"] == 0 for t in again["tables"].values())


@pytest.mark.django_db(transaction=True)
@time_machine.travel(flask_fixture.NOW, tick=False)
def test_dry_run_writes_nothing(tmp_path):
    with flask_fixture.flask_database() as url:
        flask_fixture.fill(url, residents=40, devices=80, transactions=100)
        call_command("import_lpsaring", source=url, dry_run=True)
    assert User.objects.count() == 0 and ImportedRecord.objects.count() == 0
