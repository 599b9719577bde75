"""Redis stopped: buying a package (rate-limited through the cache) still works, on the fallback."""

import pytest
from django.urls import reverse

from billing.models import Transaction
from core.testing.redis_server import cache_on_own_redis

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


def test_with_redis_down_a_resident_can_still_buy_a_package(
    client, resident, midtrans_fake, package, settings
):
    client.force_login(resident)
    with cache_on_own_redis(settings) as redis:
        redis.stop()
        response = client.post(reverse("billing:purchase", args=[package.pk]))
    tx = Transaction.objects.get(user=resident)
    assert response.status_code == 302 and response["Location"] == tx.redirect_url
