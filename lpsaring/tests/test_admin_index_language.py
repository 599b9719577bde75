"""The admin index every staff member sees first speaks Indonesian, including the task queue's section."""

import pytest


@pytest.mark.django_db
def test_the_task_queue_section_of_the_admin_index_is_in_indonesian(client, staff):
    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    for indonesian in ("Tugas latar belakang", "Tugas gagal", "Tugas berhasil", "Tugas terjadwal"):
        assert indonesian in page
    for english in ("Django Q", "Failed tasks", "Successful tasks", "Scheduled tasks", "Queued tasks"):
        assert english not in page
