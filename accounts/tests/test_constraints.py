"""The database itself refuses what breaks the domain's invariants, whatever code writes."""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from accounts.models import Block, Room, TampingType, User

pytestmark = pytest.mark.django_db


def _insert_user(phone, role="USER", block_id=None, room_id=None, tamping_type_id=None):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_user (password, is_superuser, phone, full_name, role, approval_status,
                rejection_reason, is_active, block_id, room_id, tamping_type_id, is_blocked, blocked_reason,
                date_joined)
            VALUES ('!', false, %s, 'Raw SQL', %s, 'PENDING', '', true, %s, %s, %s, false, '', now())
            """,
            [phone, role, block_id, room_id, tamping_type_id],
        )


@pytest.fixture
def places():
    block_a = Block.objects.create(name="A")
    block_b = Block.objects.create(name="B")
    return {
        "a": block_a,
        "b": block_b,
        "room_a": Room.objects.create(block=block_a, name="1"),
        "room_b": Room.objects.create(block=block_b, name="1"),
        "tamping": TampingType.objects.create(name="Dapur"),
    }


@pytest.mark.parametrize(
    ("case", "role", "fields"),
    [
        ("resident without any location", "USER", {}),
        ("resident with a room but no block", "USER", {"room": "room_a"}),
        ("resident with a block but no room", "USER", {"block": "a"}),
        (
            "tamping resident who also has a room",
            "USER",
            {"tamping": "tamping", "block": "a", "room": "room_a"},
        ),
        ("komandan without any location", "KOMANDAN", {}),
    ],
)
def test_raw_sql_breaking_the_location_rule_fails(places, case, role, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_user(
            "+628111000001",
            role=role,
            block_id=places[fields["block"]].pk if "block" in fields else None,
            room_id=places[fields["room"]].pk if "room" in fields else None,
            tamping_type_id=places[fields["tamping"]].pk if "tamping" in fields else None,
        )
    assert not User.objects.filter(phone="+628111000001").exists()


def test_raw_sql_putting_a_room_in_another_block_fails(places):
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_user("+628111000002", block_id=places["b"].pk, room_id=places["room_a"].pk)
    assert not User.objects.filter(phone="+628111000002").exists()


def test_raw_sql_that_respects_the_rule_succeeds(places):
    _insert_user("+628111000003", block_id=places["a"].pk, room_id=places["room_a"].pk)
    _insert_user("+628111000004", tamping_type_id=places["tamping"].pk)
    _insert_user("+628111000005", role="ADMIN")
    assert User.objects.filter(phone__startswith="+62811100000").count() == 3


def test_moving_a_resident_to_a_room_of_another_block_fails(places):
    _insert_user("+628111000006", block_id=places["a"].pk, room_id=places["room_a"].pk)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET room_id = %s WHERE phone = '+628111000006'", [places["room_b"].pk]
        )


def test_two_authorized_devices_cannot_share_a_mac(make_user):
    from accounts.models import Device

    first, second = make_user(), make_user()
    Device.objects.create(user=first, mac="AC:DE:48:00:00:01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.create(user=second, mac="AC:DE:48:00:00:01")
    Device.objects.create(user=second, mac="AC:DE:48:00:00:01", is_authorized=False)


def test_a_lower_case_mac_is_refused_by_the_database(make_user):
    from accounts.models import Device

    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.create(user=make_user(), mac="ac:de:48:00:00:01")


BYTE_OR_MONEY_WORDS = ("bytes", "quota", "amount", "price", "rate", "usage", "used", "remaining", "purchased")


def test_no_quota_byte_or_money_column_is_a_float_or_decimal():
    """Every model column: none is a float or decimal, and every byte/money column is an integer."""
    offenders = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FloatField | models.DecimalField):
                offenders.append(f"{model._meta.label}.{field.name}")
            elif (
                any(word in field.name for word in BYTE_OR_MONEY_WORDS)
                and not isinstance(
                    field, models.IntegerField | models.BigIntegerField | models.PositiveIntegerField
                )
                and field.name not in {"rate_tier"}
            ):
                offenders.append(f"{model._meta.label}.{field.name} ({type(field).__name__})")
    assert offenders == []


def test_schema_in_postgres_has_no_real_or_numeric_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('real', 'double precision', 'numeric')
            """
        )
        assert cursor.fetchall() == []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name LIKE '%%bytes%%' AND data_type <> 'bigint'
            """
        )
        assert cursor.fetchall() == []
