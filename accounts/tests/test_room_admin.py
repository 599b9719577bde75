"""A room changes block in the admin only while nobody lives in it: otherwise the form says why, with the
way to do it, and nothing changes (before, the database refused and staff saw the error page)."""

import pytest
from django.urls import reverse

from accounts.models import Block, Room

pytestmark = pytest.mark.django_db


def _change(client, room, block):
    url = reverse("admin:accounts_room_change", args=[room.pk])
    return client.post(url, {"block": block.pk, "name": room.name})


def test_a_room_with_residents_keeps_its_block_and_the_form_says_why(staff_client, make_user, room):
    make_user()  # lives in `room`
    other = Block.objects.create(name="Z")

    page = _change(staff_client, room, other)

    assert page.status_code == 200
    assert "Kamar ini berpenghuni" in page.content.decode()
    room.refresh_from_db()
    assert room.block.name == "A"


def test_an_empty_room_moves_to_another_block(staff_client, room):
    other = Block.objects.create(name="Z")
    empty = Room.objects.create(block=room.block, name="2")

    assert _change(staff_client, empty, other).status_code == 302
    empty.refresh_from_db()
    assert empty.block == other
