"""The print query stack of the RouterOS API simulator (reference A4, A6)."""

import pytest
from librouteros.query import And, Key, Or

from routeros_sim.query import QueryError, compare, matches, parse_word, select

BINDINGS = [
    {".id": "*1", "mac-address": "AA:BB:CC:DD:EE:01", "type": "bypassed", "comment": "kamar 1"},
    {".id": "*2", "mac-address": "AA:BB:CC:DD:EE:01", "type": "blocked"},
    {".id": "*3", "mac-address": "AA:BB:CC:DD:EE:02", "type": "regular", "comment": ""},
    {".id": "*4", "mac-address": "AA:BB:CC:DD:EE:01", "type": "regular", "disabled": "true"},
]


def ids(words, rows=BINDINGS):
    return [row[".id"] for row in select(words, rows)]


def test_librouteros_sends_the_captured_words_for_the_a4_example():
    mac, typ = Key("mac-address"), Key("type")
    words = [
        *(mac == "AA:BB:CC:DD:EE:01"),
        *(typ != "blocked"),
        *Or(typ == "bypassed", typ == "regular"),
    ]
    assert words == [
        "?=mac-address=AA:BB:CC:DD:EE:01",
        "?=type=blocked",
        "?#!",
        "?=type=bypassed",
        "?=type=regular",
        "?#|",
    ]


def test_a4_captured_example_selects_the_unblocked_rows_of_one_mac():
    words = [
        "?=mac-address=AA:BB:CC:DD:EE:01",
        "?=type=blocked",
        "?#!",
        "?=type=bypassed",
        "?=type=regular",
        "?#|",
    ]
    assert ids(words) == ["*1", "*4"]


def test_a_lone_or_pops_a_true_from_the_infinite_stack():
    assert ids(["?=type=blocked", "?#|"]) == ["*1", "*2", "*3", "*4"]


def test_an_empty_query_matches_everything():
    assert ids([]) == ["*1", "*2", "*3", "*4"]


def test_words_are_anded_implicitly():
    assert ids(["?=mac-address=AA:BB:CC:DD:EE:01", "?=type=regular"]) == ["*4"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["?comment"], ["*1", "*3"]),
        (["?-comment"], ["*2", "*4"]),
        (["?type=blocked"], ["*2"]),
        (["?=type=blocked"], ["*2"]),
        (["?>comment="], ["*1"]),  # the manual's "comment is non-empty"
        (["?=comment="], ["*2", "*3", "*4"]),  # a missing property compares as empty
        (["?=type=blocked", "?#!"], ["*1", "*3", "*4"]),
        (["?=type=blocked", "?=type=regular", "?#|"], ["*2", "*3", "*4"]),
        (["?=type=blocked", "?=type=regular", "?#&"], []),
        (["?=type=regular", "?=mac-address=AA:BB:CC:DD:EE:02", "?#&!"], ["*1", "*2", "*4"]),
    ],
)
def test_push_words_and_operators(words, expected):
    assert ids(words) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # an index at the end of the word replaces the whole stack with that value (here: type=regular)
        (["?=type=regular", "?=mac-address=AA:BB:CC:DD:EE:01", "?#1"], ["*3", "*4"]),
        # an index followed by another character pushes a copy: [R, M, R] -> [R, M, !R] never holds
        (["?=type=regular", "?=mac-address=AA:BB:CC:DD:EE:01", "?#1!"], []),
        (["?=type=regular", "?=mac-address=AA:BB:CC:DD:EE:01", "?#1&"], ["*4"]),
        # multi-digit runs are one index; past the bottom lies the infinite true
        (["?=type=blocked", "?#12"], ["*1", "*2", "*3", "*4"]),
        # '.' after an index does nothing: [A, A] stays [A, A]
        (["?=type=blocked", "?#0."], ["*2"]),
        (["?=type=blocked", "?=type=regular", "?#1.|"], ["*2"]),  # [B, R, B] -> [B, R|B]
        # '.' after another character pushes a copy of the top: [!A] -> [!A, !A] -> [!A, A]: never
        (["?=type=blocked", "?#!.!"], []),
        # '.' at the start of the word pushes a copy of the top as well
        (["?=type=blocked", "?#.!"], []),
        # several ?# words and pushes in sequence
        (["?=type=bypassed", "?=type=blocked", "?#|", "?#!"], ["*3", "*4"]),
    ],
)
def test_stack_indices_and_dots(words, expected):
    assert ids(words) == expected


@pytest.mark.parametrize(
    ("row", "word", "expected"),
    [
        ({"mac-address": "AA:BB:CC:DD:EE:01"}, "?=mac-address=aa:bb:cc:dd:ee:01", True),
        ({"mac-address": "AA:BB:CC:DD:EE:01"}, "?=mac-address=aa-bb-cc-dd-ee-01", True),
        ({"address": "10.0.0.5"}, "?=address=10.0.0.5/32", True),
        ({"target": "10.0.0.5/32"}, "?=target=10.0.0.5", True),
        ({"target": "10.0.0.5/32,10.0.0.6/32"}, "?=target=10.0.0.5,10.0.0.6", True),
        ({"target": "10.0.0.0/24"}, "?=target=10.0.0.0", False),
        ({"disabled": "true"}, "?=disabled=yes", True),
        ({"disabled": "false"}, "?=disabled=no", True),
        ({"disabled": "false"}, "?=disabled=yes", False),
        ({"name": "Budi"}, "?=name=budi", False),
    ],
)
def test_equality_normalises_macs_slash32_and_booleans(row, word, expected):
    assert matches([word], row) is expected


@pytest.mark.parametrize(
    ("row", "word", "expected"),
    [
        ({"priority": "9"}, "?<priority=10", True),  # as integers; as strings "9" > "10"
        ({"priority": "10"}, "?>priority=9", True),
        ({"priority": "-3"}, "?<priority=0", True),
        ({"name": "b"}, "?>name=a", True),
        ({"name": "10a"}, "?<name=9", True),  # not both integers: string order
        ({"name": "a"}, "?<name=a", False),
    ],
)
def test_less_and_greater(row, word, expected):
    assert matches([word], row) is expected


def test_compare_is_numeric_only_when_both_sides_are_integers():
    assert compare("9", "10") < 0
    assert compare("9x", "10") > 0


@pytest.mark.parametrize("word", ["?", "?#x", "?=", "?<=1", "?-", "name=x"])
def test_malformed_query_words_are_rejected(word):
    with pytest.raises(QueryError):
        parse_word(word)


def test_librouteros_in_and_or_words_evaluate_as_intended():
    typ = Key("type")
    words = list(typ.In("bypassed", "blocked"))
    assert words == ["?=type=bypassed", "?=type=blocked", "?#|"]
    assert ids(words) == ["*1", "*2"]
    assert ids(list(And(typ == "regular", Key("mac-address") == "AA:BB:CC:DD:EE:02"))) == ["*3"]
