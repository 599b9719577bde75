"""A Flask-lpsaring-shaped PostgreSQL database for tests and benchmarks.

The tables and columns are those the import reads, as the published SQLAlchemy models declare them
(babahdigital/lpsaring, backend/app/infrastructure/db/models.py): UUID keys, enums stored as VARCHAR
(`native_enum=False`), quota in MB (BIGINT purchased, NUMERIC(15,2) used), JSON details in TEXT columns.
`flask_database()` creates a scratch database and drops it afterwards; `fill()` writes N residents with
devices, transactions, events, Komandan requests, debts and admin logs, plus one row of each awkward kind
(`AWKWARD` says which reason each must be rejected with), through COPY.
"""

from __future__ import annotations

import contextlib
import os
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import psycopg

from routers.adoption import FLASK_PROFILES

DDL = """
CREATE TABLE package_profiles (id UUID PRIMARY KEY, profile_name VARCHAR(100) NOT NULL UNIQUE,
  description TEXT, created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now());
CREATE TABLE packages (id UUID PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE, price BIGINT NOT NULL,
  description TEXT, is_active BOOLEAN NOT NULL DEFAULT true, data_quota_gb NUMERIC(8,2) NOT NULL DEFAULT 0,
  duration_days INTEGER NOT NULL DEFAULT 30,
  profile_id UUID NOT NULL REFERENCES package_profiles(id) ON DELETE RESTRICT,
  created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now());
CREATE TABLE users (id UUID PRIMARY KEY, phone_number VARCHAR(25) NOT NULL UNIQUE, password_hash VARCHAR(255),
  full_name VARCHAR(100) NOT NULL, blok VARCHAR(10), kamar VARCHAR(20),
  is_tamping BOOLEAN NOT NULL DEFAULT false, tamping_type VARCHAR(50),
  previous_blok VARCHAR(10), previous_kamar VARCHAR(20), is_active BOOLEAN NOT NULL DEFAULT false,
  role VARCHAR(11) NOT NULL DEFAULT 'USER', approval_status VARCHAR(16) NOT NULL DEFAULT 'PENDING_APPROVAL',
  is_blocked BOOLEAN NOT NULL DEFAULT false, blocked_reason TEXT, blocked_at TIMESTAMPTZ,
  blocked_by_id UUID REFERENCES users(id) ON DELETE SET NULL,
  mikrotik_user_exists BOOLEAN NOT NULL DEFAULT false, mikrotik_server_name VARCHAR(100),
  mikrotik_profile_name VARCHAR(100), mikrotik_password VARCHAR(255),
  total_quota_purchased_mb BIGINT NOT NULL DEFAULT 0, total_quota_used_mb NUMERIC(15,2) NOT NULL DEFAULT 0.0,
  auto_debt_offset_mb BIGINT NOT NULL DEFAULT 0, manual_debt_mb BIGINT NOT NULL DEFAULT 0,
  manual_debt_updated_at TIMESTAMPTZ, quota_expiry_date TIMESTAMPTZ,
  is_unlimited_user BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  approved_at TIMESTAMPTZ, last_login_at TIMESTAMPTZ);
CREATE TABLE user_devices (id UUID PRIMARY KEY, user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  mac_address VARCHAR(32) NOT NULL, ip_address VARCHAR(45), last_bytes_total BIGINT, user_agent VARCHAR(255),
  label VARCHAR(100), is_authorized BOOLEAN NOT NULL DEFAULT true,
  first_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(), last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  authorized_at TIMESTAMPTZ, deauthorized_at TIMESTAMPTZ,
  CONSTRAINT uq_user_devices_user_mac UNIQUE (user_id, mac_address));
CREATE TABLE transactions (id UUID PRIMARY KEY, user_id UUID REFERENCES users(id) ON DELETE SET NULL,
  package_id UUID REFERENCES packages(id) ON DELETE RESTRICT, midtrans_order_id VARCHAR(100) NOT NULL UNIQUE,
  midtrans_transaction_id VARCHAR(100), snap_token VARCHAR(200), snap_redirect_url TEXT,
  amount BIGINT NOT NULL, status VARCHAR(9) NOT NULL DEFAULT 'PENDING', payment_method VARCHAR(50),
  payment_time TIMESTAMPTZ, expiry_time TIMESTAMPTZ, va_number VARCHAR(50),
  midtrans_notification_payload TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE TABLE transaction_events (id UUID PRIMARY KEY,
  transaction_id UUID NOT NULL REFERENCES transactions(id) ON DELETE CASCADE, source VARCHAR(32) NOT NULL,
  event_type VARCHAR(64) NOT NULL, status VARCHAR(9), payload TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE TABLE quota_requests (id UUID PRIMARY KEY,
  requester_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status VARCHAR(18) NOT NULL DEFAULT 'PENDING', request_type VARCHAR(9) NOT NULL, request_details TEXT,
  granted_details TEXT, rejection_reason TEXT, processed_by_id UUID REFERENCES users(id) ON DELETE SET NULL,
  processed_at TIMESTAMPTZ, created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now());
CREATE TABLE user_quota_debts (id UUID PRIMARY KEY,
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_by_id UUID REFERENCES users(id) ON DELETE SET NULL, debt_date DATE, due_date DATE,
  amount_mb BIGINT NOT NULL, paid_mb BIGINT NOT NULL DEFAULT 0, price_rp BIGINT,
  is_paid BOOLEAN NOT NULL DEFAULT false, paid_at TIMESTAMPTZ, last_paid_source VARCHAR(50), note TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE TABLE admin_action_logs (id UUID PRIMARY KEY, admin_id UUID REFERENCES users(id) ON DELETE SET NULL,
  target_user_id UUID REFERENCES users(id) ON DELETE SET NULL, action_type VARCHAR(40) NOT NULL,
  details TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
"""

BLOKS = "ABCDEF"
TAMPING = ["Tamping Dapur", "Tamping Masjid", "Tamping Kebersihan", "Tamping Perpustakaan"]
NOW = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)  # the fixture's "today": tests freeze the clock here
DEBT_DAY, DEBT_DUE = NOW.date(), NOW.date() + timedelta(days=15)


@dataclass
class Filled:
    """What `fill` wrote: Flask ids of the awkward rows by the reason each must be rejected with."""

    users: int = 0
    devices: int = 0
    transactions: int = 0
    awkward: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # reason → [(table, id)]
    debtors: dict[str, str] = field(default_factory=dict)  # case → phone of a resident with that debt


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextlib.contextmanager
def flask_database(admin_url: str | None = None, name: str | None = None):
    """Create an empty Flask schema in a scratch database; yield its URL; drop it afterwards."""
    admin_url = admin_url or os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = name or f"flask_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(_with_db(admin_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(admin_url, name)
    try:
        with psycopg.connect(url) as conn:
            conn.execute(DDL)
        yield url
    finally:
        with psycopg.connect(_with_db(admin_url, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy(conn, table: str, columns: list[str], rows: list[tuple]) -> None:
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


USER_COLUMNS = [
    "id",
    "phone_number",
    "password_hash",
    "full_name",
    "blok",
    "kamar",
    "is_tamping",
    "tamping_type",
    "is_active",
    "role",
    "approval_status",
    "is_blocked",
    "blocked_reason",
    "total_quota_purchased_mb",
    "total_quota_used_mb",
    "quota_expiry_date",
    "is_unlimited_user",
    "created_at",
    "mikrotik_profile_name",
    "auto_debt_offset_mb",
]


def resident_phone(n: int) -> str:
    return f"+62812{n:08d}"


def device_mac(n: int) -> str:
    return "02:00:" + ":".join(f"{(n >> shift) & 0xFF:02X}" for shift in (24, 16, 8, 0))


def device_ip(n: int) -> str:
    return f"10.{20 + n // 65000}.{(n % 65000) // 250}.{n % 250 + 2}"


def _user(
    uid,
    phone,
    *,
    role="USER",
    blok=None,
    kamar=None,
    tamping=None,
    purchased=0,
    used="0",
    expiry=None,
    unlimited=False,
    blocked=False,
    reason=None,
    approval="APPROVED",
    active=True,
    password_hash=None,
    name=None,
    offset=0,
):
    return (
        uid,
        phone,
        password_hash,
        name or f"Warga {phone[-4:]}",
        blok,
        kamar,
        tamping is not None,
        tamping,
        active,
        role,
        approval,
        blocked,
        reason,
        purchased,
        used,
        expiry,
        unlimited,
        NOW - timedelta(days=90),
        "profile-aktif",
        offset,
    )


def fill(
    url: str, *, residents: int = 2000, devices: int = 5000, transactions: int = 20000, seed: int = 17
) -> Filled:
    """Fill the Flask database at `url`; deterministic for a seed."""
    rnd = random.Random(seed)
    filled = Filled()
    profile_ids = {name: uuid.UUID(int=rnd.getrandbits(128)) for name in FLASK_PROFILES}
    packages = [
        (
            uuid.UUID(int=rnd.getrandbits(128)),
            f"Paket {gb} GB",
            price,
            str(gb),
            30,
            profile_ids["profile-aktif"],
        )
        for gb, price in ((5, 50000), (10, 90000), (20, 170000), (2.5, 30000))
    ]
    packages.append(
        (
            uuid.UUID(int=rnd.getrandbits(128)),
            "Paket Unlimited",
            250000,
            "0",
            30,
            profile_ids["profile-unlimited"],
        )
    )
    users, user_ids = [], []
    for n in range(residents):
        uid = uuid.UUID(int=rnd.getrandbits(128))
        kind = n % 20
        purchased = rnd.choice((0, 5120, 10240, 20480, 51200))
        used = f"{rnd.uniform(0, purchased * 1.05 if purchased else 50):.2f}"
        expiry = NOW + timedelta(days=rnd.randint(-5, 30))
        common = dict(purchased=purchased, used=used, expiry=expiry)
        if kind == 1:
            users.append(_user(uid, resident_phone(n), tamping=TAMPING[n % len(TAMPING)], **common))
        elif kind == 2:
            users.append(
                _user(uid, resident_phone(n), role="KOMANDAN", blok=BLOKS[n % 6], kamar="Kamar_1", **common)
            )
        elif kind == 3:
            users.append(
                _user(
                    uid,
                    resident_phone(n),
                    blok=BLOKS[n % 6],
                    kamar=f"Kamar_{n % 6 + 1}",
                    unlimited=True,
                    expiry=expiry,
                )
            )
        elif kind == 4:
            users.append(
                _user(
                    uid,
                    resident_phone(n),
                    blok=BLOKS[n % 6],
                    kamar=f"Kamar_{n % 6 + 1}",
                    blocked=True,
                    reason="quota_manual_debt_end_of_month|x",
                    **common,
                )
            )
        elif kind == 5:
            users.append(
                _user(
                    uid,
                    resident_phone(n),
                    blok=BLOKS[n % 6],
                    kamar=f"Kamar_{n % 6 + 1}",
                    approval="PENDING_APPROVAL",
                    active=False,
                    **common,
                )
            )
        else:
            users.append(
                _user(uid, resident_phone(n), blok=BLOKS[n % 6], kamar=f"Kamar_{n % 6 + 1}", **common)
            )
        user_ids.append(uid)
    staff = []
    for n in range(3):
        uid = uuid.UUID(int=rnd.getrandbits(128))
        staff.append(uid)
        users.append(
            _user(
                uid,
                f"+62813{n:08d}",
                role="SUPER_ADMIN" if n == 0 else "ADMIN",
                name=f"Staf {n}",
                password_hash="pbkdf2:sha256:600000$x$y",
            )
        )

    def awkward(reason, table, row_id):
        filled.awkward.setdefault(reason, []).append((table, str(row_id)))

    bad = [
        ("invalid_phone", dict(blok="A", kamar="Kamar_1"), "+62123"),
        ("room_without_block", dict(kamar="Kamar_2"), "+6281999000001"),
        ("tamping_with_room", dict(tamping="Tamping Dapur", blok="B", kamar="Kamar_3"), "+6281999000002"),
        ("negative_quota", dict(blok="C", kamar="Kamar_1", purchased=1024, used="-12.50"), "+6281999000003"),
    ]
    for reason, extra, phone in bad:
        uid = uuid.UUID(int=rnd.getrandbits(128))
        users.append(_user(uid, phone, **extra))
        awkward(reason, "users", uid)
    # Debt as Flask keeps it: auto debt = max(0, used − purchased − auto_debt_offset_mb), where the offset
    # records auto debt settled without adding quota; open items minus what was paid of them.
    debt_users = {
        "settled_auto": _user(
            None, "+6281999000010", blok="D", kamar="Kamar_2", purchased=1024, used="1536.00", offset=300
        ),
        "stale_offset": _user(
            None, "+6281999000011", blok="D", kamar="Kamar_2", purchased=2048, used="1000.00", offset=500
        ),
        "items": _user(None, "+6281999000012", blok="D", kamar="Kamar_3", purchased=20480, used="100.00"),
    }
    debtor_ids = {}
    for case, row in debt_users.items():
        uid = uuid.UUID(int=rnd.getrandbits(128))
        users.append((uid, *row[1:]))
        debtor_ids[case] = uid
        filled.debtors[case] = row[1]
    device_rows = []
    for n in range(devices):
        owner = user_ids[n % residents]
        mac = device_mac(n)
        device_rows.append(
            (
                uuid.UUID(int=rnd.getrandbits(128)),
                owner,
                mac if n % 7 else mac.lower().replace(":", "-"),
                device_ip(n),
                f"HP {n}",
                n % 13 != 0,
                NOW - timedelta(days=10),
                NOW - timedelta(hours=n % 48),
            )
        )
    dup = uuid.UUID(int=rnd.getrandbits(128))  # the MAC of device 1, authorized for another resident
    device_rows.append(
        (
            dup,
            user_ids[1 % residents + 5],
            device_mac(1),
            device_ip(devices + 1),
            "copy",
            True,
            NOW - timedelta(days=1),
            NOW,
        )
    )
    awkward("duplicate_authorized_mac", "user_devices", dup)
    bad_mac = uuid.UUID(int=rnd.getrandbits(128))
    device_rows.append((bad_mac, user_ids[7], "not-a-mac", None, "", True, NOW, NOW))
    awkward("invalid_mac", "user_devices", bad_mac)
    tx_rows, event_rows = [], []
    statuses = ("SUCCESS",) * 6 + ("EXPIRED", "FAILED", "PENDING", "CANCELLED")
    for n in range(transactions):
        tid = uuid.UUID(int=rnd.getrandbits(128))
        package = packages[n % len(packages)]
        status = statuses[n % len(statuses)]
        created = NOW - timedelta(minutes=37 * n)
        tx_rows.append(
            (
                tid,
                user_ids[n % residents],
                package[0],
                f"BD-LPSR-{tid.hex[:12].upper()}",
                package[2],
                status,
                "qris",
                created + timedelta(minutes=3) if status == "SUCCESS" else None,
                created + timedelta(minutes=15),
                created,
            )
        )
        event_rows.append(
            (uuid.UUID(int=rnd.getrandbits(128)), tid, "APP", "INITIATED", "PENDING", "{}", created)
        )
    debt_tx = uuid.UUID(int=rnd.getrandbits(128))
    tx_rows.append(
        (debt_tx, user_ids[9], None, "BD-DBLP-000000000001", 20000, "SUCCESS", "qris", NOW, NOW, NOW)
    )
    awkward("no_package", "transactions", debt_tx)
    requests = []
    for n, uid in enumerate(user_ids[2:200:20]):
        status = ("PENDING", "APPROVED", "REJECTED", "PARTIALLY_APPROVED")[n % 4]
        requests.append(
            (
                uuid.UUID(int=rnd.getrandbits(128)),
                uid,
                status,
                "QUOTA" if n % 3 else "UNLIMITED",
                '{"requested_mb": 10240, "requested_duration_days": 30}',
                NOW - timedelta(days=n),
            )
        )
    debts = [
        (
            uuid.UUID(int=rnd.getrandbits(128)),
            user_ids[i % residents],
            NOW.date(),
            NOW.date() + timedelta(days=15),
            20480,
            0,
            170000,
            False,
            "Paket: Paket 20 GB (20 GB, Rp 170.000)",
        )
        for i in range(6, 60, 10)
    ]

    def debt(owner, amount_mb, paid_mb, price_rp, *, due=DEBT_DUE, day=DEBT_DAY):
        row_id = uuid.UUID(int=rnd.getrandbits(128))
        note = f"Paket: Paket Darurat ({amount_mb} MB)"
        debts.append((row_id, owner, day, due, amount_mb, paid_mb, price_rp, False, note))
        return row_id

    debt(debtor_ids["items"], 20480, 5120, 170000)  # a quarter paid back: 15 GB open, Rp 127.500
    debt(debtor_ids["items"], 1024, 0, None, due=None, day=date(NOW.year, NOW.month, 3))  # priced here
    awkward("owner_not_resident", "user_quota_debts", debt(user_ids[2], 1024, 0, 10000))  # a Komandan
    awkward("nothing_open", "user_quota_debts", debt(debtor_ids["items"], 1024, 1024, 10000))
    logs = [
        (
            uuid.UUID(int=rnd.getrandbits(128)),
            staff[n % 3],
            user_ids[n % residents],
            action,
            "{}",
            NOW - timedelta(hours=n),
        )
        for n, action in enumerate(["APPROVE_USER", "INJECT_QUOTA", "BLOCK_USER"] * 20)
    ]
    with psycopg.connect(url) as conn:
        _copy(conn, "package_profiles", ["id", "profile_name"], [(i, n) for n, i in profile_ids.items()])
        _copy(
            conn,
            "packages",
            ["id", "name", "price", "data_quota_gb", "duration_days", "profile_id"],
            packages,
        )
        _copy(conn, "users", USER_COLUMNS, users)
        _copy(
            conn,
            "user_devices",
            [
                "id",
                "user_id",
                "mac_address",
                "ip_address",
                "label",
                "is_authorized",
                "first_seen_at",
                "last_seen_at",
            ],
            device_rows,
        )
        _copy(
            conn,
            "transactions",
            [
                "id",
                "user_id",
                "package_id",
                "midtrans_order_id",
                "amount",
                "status",
                "payment_method",
                "payment_time",
                "expiry_time",
                "created_at",
            ],
            tx_rows,
        )
        _copy(
            conn,
            "transaction_events",
            ["id", "transaction_id", "source", "event_type", "status", "payload", "created_at"],
            event_rows,
        )
        _copy(
            conn,
            "quota_requests",
            ["id", "requester_id", "status", "request_type", "request_details", "created_at"],
            requests,
        )
        _copy(
            conn,
            "user_quota_debts",
            ["id", "user_id", "debt_date", "due_date", "amount_mb", "paid_mb", "price_rp", "is_paid", "note"],
            debts,
        )
        _copy(
            conn,
            "admin_action_logs",
            ["id", "admin_id", "target_user_id", "action_type", "details", "created_at"],
            logs,
        )
    filled.users, filled.devices, filled.transactions = len(users), len(device_rows), len(tx_rows)
    return filled
