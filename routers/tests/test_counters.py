"""Reading queue counters: one print per router, managed queues only, never a reset."""

import pytest

from routers.counters import counters_read, parse_byte_pair, parse_duration

QUEUES = "/queue/simple"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0s", 0),
        ("59s", 59),
        ("1m30s", 90),
        ("2w1d3h4m5s", 1_307_045),
        ("1m2s340ms", 62),
        ("01:02:03", 3723),
        ("", 0),
    ],
)
def test_router_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_byte_pairs():
    assert parse_byte_pair("12/3456") == (12, 3456) and parse_byte_pair(None) == (0, 0)


def test_counters_of_managed_queues_in_one_print_without_resetting(router, sim):
    queues = sim.menu(QUEUES)
    queues.add({"name": "lps-u7", "target": "172.16.2.7/32", "comment": "lps:u=7", "bytes": "10/2000"})
    queues.add({"name": "lps-u8", "target": "172.16.2.8/32", "comment": "lps:u=8", "bytes": "0/5"})
    queues.add({"name": "kantor", "target": "10.0.0.0/24", "bytes": "9/9"})
    sim.advance(125)
    sim.clear_log()

    snapshot = counters_read(router)

    assert {(q.name, q.user_id, q.bytes_up, q.bytes_down) for q in snapshot.queues} == {
        ("lps-u7", 7, 10, 2000),
        ("lps-u8", 8, 0, 5),
    }
    assert snapshot.uptime_s == 125
    assert [e.command for e in sim.log if e.command != "/login"] == [
        "/queue/simple/print",
        "/system/resource/print",
    ]
    assert not sim.writes()
    assert {row["bytes"] for row in queues.rows()} == {"10/2000", "0/5", "9/9"}


def test_reading_only_named_queues(router, sim):
    queues = sim.menu(QUEUES)
    for uid in (1, 2, 3):
        queues.add({"name": f"lps-u{uid}", "target": f"172.16.2.{uid}/32", "comment": f"lps:u={uid}"})
    snapshot = counters_read(router, queue_names=["lps-u1", "lps-u3"])
    assert sorted(q.user_id for q in snapshot.queues) == [1, 3]
