"""Two staff members (or a double click) approving one Komandan request at once apply it once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from accounts.models import AuditEntry, User
from core.units import GIB
from quota.komandan import quota_request_approve, quota_request_create
from quota.models import QuotaBalance, QuotaEntry


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_apply_once(make_user, staff):
    komandan = make_user(role=User.Role.KOMANDAN)
    second_staff = make_user(role=User.Role.ADMIN, password="x-admin-pass-1")
    request = quota_request_create(
        requester=komandan, kind="QUOTA", requested_bytes=2 * GIB, requested_days=5
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(actor):
        try:
            barrier.wait()
            quota_request_approve(request_id=request.pk, actor=actor)
            outcomes.append("applied")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=approve, args=(actor,)) for actor in (staff, second_staff)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["applied", "processed"]
    assert QuotaEntry.objects.filter(user=komandan).count() == 1
    assert QuotaBalance.objects.get(user=komandan).remaining_bytes == 2 * GIB
    assert AuditEntry.objects.filter(action="komandan.approved", target_user=komandan).count() == 1
