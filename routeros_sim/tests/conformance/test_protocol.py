"""Conformance: the API protocol (framing, sentences, tags, traps, !empty, login, TLS).

Each test names its source (sources.py). Run against the simulator by default and against a router with
ROUTEROS_TEST_HOST (see README.md, "RouterOS conformance suite").
"""

from __future__ import annotations

import pytest
from librouteros.exceptions import MultiTrapError, TrapError
from librouteros.protocol import encode_length
from librouteros.query import Key

from routeros_sim.tests.conformance import sources
from routeros_sim.tests.conformance.conftest import PREFIX, start_sim
from routeros_sim.tests.conformance.wire import Closed

BOUNDARIES = [0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000]  # the last and first length of each prefix


def empty_print(target, tag):
    """The whole reply to a print that finds nothing, for the target's version."""
    if target.empty_reply:
        return [["!empty", f".tag={tag}"], ["!done", f".tag={tag}"]]
    return [["!done", f".tag={tag}"]]


# ---- framing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", BOUNDARIES)
@pytest.mark.source(sources.MANUAL_WORDS)
def test_a_word_of_each_boundary_length_reaches_the_router(target, wire, length):
    # Source: MANUAL_WORDS. The word is a query the router must decode whole to answer.
    query = f"?comment={PREFIX}:"
    query += "x" * (length - len(query))
    assert len(query) == length
    tag = wire.next_tag()
    reply = wire.command("/ip/firewall/address-list/print", "=.proplist=.id", query, tag=tag)
    assert reply.sentences == empty_print(target, tag)


@pytest.mark.parametrize("length", [0x7F, 0x80, 0x3FFF, 0x4000])
@pytest.mark.source(sources.MANUAL_WORDS)
def test_a_word_of_each_boundary_length_comes_back_in_the_shortest_form(wire, prefix, length):
    # Source: MANUAL_WORDS ("if len < 0x80 ... else if len < 0x4000 ..."): the router picks the prefix
    # size from the length, so a length of 0x80 takes two bytes and 0x7F one.
    word = f"=comment={prefix}"
    word += "y" * (length - len(word))
    added = wire.command("/ip/firewall/address-list/add", f"=list={PREFIX}", "=address=192.0.2.1", word)
    assert added.kinds == ["!done"], added.sentences
    wire.prefixes.clear()
    reply = wire.command("/ip/firewall/address-list/print", "=.proplist=comment", f"?.id={added.done['ret']}")
    assert [s[2:] for s in reply.sentences if s[0] == "!re"] == [[word]]
    assert (len(encode_length(length)), length) in wire.prefixes
    wire.command("/ip/firewall/address-list/remove", f"=.id={added.done['ret']}")


@pytest.mark.source(sources.MANUAL_WORDS, sources.PRACTICE)
def test_a_length_not_in_its_shortest_form_is_refused(target, wire):
    # Source: MANUAL_WORDS (the router never sends one) and PRACTICE: the simulator refuses it like any
    # other framing error (!fatal, then it closes); a router that accepted it would answer the print.
    command = b"/system/identity/print"
    wire.send_bytes(bytes([0x80, len(command)]) + command + b"\x00")
    try:
        first = wire.read()
    except (Closed, OSError):
        return
    assert first[0] == "!fatal", f"the router executed a command framed with a 2-byte prefix: {first}"
    assert wire.closed()


@pytest.mark.source(sources.MANUAL, sources.MANUAL_TAGS)
def test_sentences_sent_together_are_answered_in_order(wire):
    # Source: MANUAL ("each sentence sent generates at least one reply"), MANUAL_TAGS.
    tags = [wire.next_tag() for _ in range(3)]
    wire.send("/system/identity/print", f".tag={tags[0]}")
    wire.send("/system/resource/print", "=.proplist=version", f".tag={tags[1]}")
    wire.send("/system/identity/print", "=.proplist=name", f".tag={tags[2]}")
    replies = [wire.reply(tag) for tag in tags]
    assert [reply.kinds for reply in replies] == [["!re", "!done"]] * 3
    assert "version" in replies[1].rows[0] and replies[0].rows == replies[2].rows


@pytest.mark.source(sources.MANUAL)
def test_an_empty_sentence_is_ignored(wire):
    # Source: MANUAL ("Sentence is sequence of words terminated by zero length word"; a zero-length word
    # alone carries no command and gets no reply).
    wire.send_bytes(b"\x00")
    reply = wire.command("/system/identity/print")
    assert reply.kinds == ["!re", "!done"]


# ---- tags and reply words -------------------------------------------------------------------------


@pytest.mark.source(sources.CAPTURES, sources.MANUAL_TAGS)
def test_the_tag_follows_the_reply_word_of_every_sentence(wire, prefix):
    # Source: CAPTURES ("!re .tag=10 =.id=*A ...", "!trap .tag=10 =category=2 ..."), MANUAL_TAGS (a tag
    # is echoed in every reply sentence, and only when the request carries one). The manual's
    # hand-written example shows .tag last; routers send it second (the capture wins).
    wire.command(
        "/ip/firewall/address-list/add", f"=list={PREFIX}", "=address=192.0.2.2", f"=comment={prefix}"
    )
    reply = wire.command(
        "/ip/firewall/address-list/print", "=.proplist=.id,comment", f"?comment={prefix}", tag="t1"
    )
    assert [s[:2] for s in reply.sentences] == [["!re", ".tag=t1"], ["!done", ".tag=t1"]]
    assert f"=comment={prefix}" in reply.sentences[0][2:]
    reply = wire.command("/ip/firewall/address-list/remove", "=.id=*FFFFFF", tag="t2")
    assert [s[:2] for s in reply.sentences] == [["!trap", ".tag=t2"], ["!done", ".tag=t2"]]
    reply = wire.command(
        "/ip/firewall/address-list/print", "=.proplist=comment", f"?comment={prefix}", tag=False
    )
    assert reply.sentences == [["!re", f"=comment={prefix}"], ["!done"]]


@pytest.mark.source(sources.CAPTURES)
def test_add_answers_done_with_the_new_id_and_nothing_else(wire, prefix):
    # Source: CAPTURES ("Adding element": !done =ret=*3).
    tag = wire.next_tag()
    reply = wire.command(
        "/ip/firewall/address-list/add",
        f"=list={PREFIX}",
        "=address=192.0.2.3",
        f"=comment={prefix}",
        tag=tag,
    )
    assert len(reply.sentences) == 1 and reply.sentences[0][:2] == ["!done", f".tag={tag}"]
    assert reply.sentences[0][2].startswith("=ret=*")


@pytest.mark.source(sources.MANUAL_TRAP)
def test_a_trap_has_its_category_before_its_message_and_is_followed_by_done(wire, interface):
    # Source: MANUAL_TRAP: "!trap =category=1 =message=input does not match any value of interface".
    tag = wire.next_tag()
    reply = wire.command(
        "/ip/address/add",
        "=address=192.0.2.4/32",
        "=interface=lps-conformance-none",
        "=disabled=yes",
        tag=tag,
    )
    assert reply.sentences == [
        ["!trap", f".tag={tag}", "=category=1", "=message=input does not match any value of interface"],
        ["!done", f".tag={tag}"],
    ]


@pytest.mark.parametrize(
    ("command", "unknown"),
    [
        ("/ip/lps-conformance-none/print", "lps-conformance-none"),
        ("/system/lps-conformance-none/getall", "lps-conformance-none"),
        ("/ip/firewall/address-list/lps-conformance-none", "lps-conformance-none"),
    ],
)
@pytest.mark.source(sources.UNKNOWN_COMMAND)
def test_an_unknown_menu_or_command_answers_two_traps_then_done(wire, command, unknown):
    # Source: UNKNOWN_COMMAND (what routers answered Home Assistant's integration).
    tag = wire.next_tag()
    reply = wire.command(command, tag=tag)
    assert reply.sentences == [
        ["!trap", f".tag={tag}", "=category=0", f"=message=no such command or directory ({unknown})"],
        ["!trap", f".tag={tag}", "=message=no such command prefix"],
        ["!done", f".tag={tag}"],
    ]


@pytest.mark.source(sources.UNKNOWN_COMMAND)
def test_librouteros_raises_both_traps_of_an_unknown_command_at_once(api):
    # Source: UNKNOWN_COMMAND; librouteros joins several traps into one MultiTrapError.
    with pytest.raises(MultiTrapError) as caught:
        list(api("/ip/lps-conformance-none/print"))
    assert str(caught.value) == "no such command or directory (lps-conformance-none), no such command prefix"
    assert api.path("system", "identity") is not None and list(api("/system/identity/print"))


# ---- !empty ---------------------------------------------------------------------------------------


@pytest.mark.source(sources.EMPTY_CHANGELOG)
def test_a_print_that_finds_nothing_answers_by_version(target, wire, api):
    # Source: EMPTY_CHANGELOG: 7.18 and later send !empty then !done; earlier versions !done alone.
    # librouteros (lpsaring's client) ignores reply words it does not know, so reads no rows either way.
    lists = api.path("ip", "firewall", "address-list")
    assert list(lists.select(Key(".id")).where(Key("comment") == "lps-conformance:nothing")) == []
    tag = wire.next_tag()
    reply = wire.command("/ip/firewall/address-list/print", "?comment=lps-conformance:nothing", tag=tag)
    assert reply.sentences == empty_print(target, tag)
    tag = wire.next_tag()
    reply = wire.command("/ip/firewall/address-list/getall", "?comment=lps-conformance:nothing", tag=tag)
    assert reply.sentences == empty_print(target, tag)


@pytest.mark.source(sources.EMPTY_CHANGELOG)
def test_a_print_that_finds_rows_sends_no_empty(wire):
    # Source: EMPTY_CHANGELOG ("when API query returns nothing" only).
    assert wire.command("/system/identity/print").kinds == ["!re", "!done"]


@pytest.mark.source(sources.EMPTY_CHANGELOG)
def test_the_simulator_offers_both_empty_behaviours():
    # Source: EMPTY_CHANGELOG. The modelled versions, side by side (simulator only).
    for version, expected in (
        ("7.17", [["!done", ".tag=e"]]),
        ("7.18", [["!empty", ".tag=e"], ["!done", ".tag=e"]]),
    ):
        sim, target = start_sim(version)
        try:
            wire = target.login()
            assert wire.command("/ip/arp/print", tag="e").sentences == expected
            wire.close()
        finally:
            sim.stop()


# ---- login, quit, cancel --------------------------------------------------------------------------


@pytest.mark.source(sources.MANUAL_LOGIN, sources.COMMAND_NOTES)
def test_plain_login_answers_a_bare_done_and_quit_ends_the_session(target):
    # Source: MANUAL_LOGIN ("/login =name= =password=" -> "!done"); COMMAND_NOTES (">>> /quit <<< !fatal
    # <<< session terminated on request"), then the router closes the connection.
    wire = target.wire()
    assert wire.login(target.user, target.password).sentences == [["!done"]]
    assert wire.command("/system/identity/print").kinds == ["!re", "!done"]
    wire.send("/quit")
    assert wire.read() == ["!fatal", "session terminated on request"]
    assert wire.closed()
    wire.close()


@pytest.mark.source(sources.LOGIN_REFUSED, sources.PRACTICE, sources.MANUAL)
def test_a_refused_login_traps_then_done_and_ends_the_session(target):
    # Source: LOGIN_REFUSED (the trap, its text, the !done); that the router then closes is PRACTICE
    # (librouteros and lpsaring close the connection themselves). A command sent before logging in is not
    # executed (MANUAL: !fatal "... commands before login"; the exact answer is PRACTICE).
    import librouteros

    wire = target.wire()
    wire.send("/system/identity/print")
    try:
        first = wire.read()
        assert first[0] in ("!fatal", "!trap"), f"a command ran before login: {first}"
    except (Closed, OSError):
        pass
    wire.close()
    wire = target.wire()
    reply = wire.login(target.user, target.password + "-wrong")
    assert reply.sentences == [["!trap", "=message=invalid user name or password (6)"], ["!done"]]
    assert wire.closed(), "the router kept the session open after refusing the login"
    wire.close()
    with pytest.raises(TrapError, match=r"^invalid user name or password \(6\)$"):
        librouteros.connect(
            target.host, target.user, target.password + "-wrong", port=target.port, timeout=10
        )


@pytest.mark.source(sources.MANUAL_TAGS, sources.PRACTICE)
def test_cancel_of_a_tag_that_is_not_running_traps_then_done(wire, record_property):
    # Source: MANUAL_TAGS (/cancel =tag=X stops command X); what it answers when X is not running is
    # PRACTICE: a trap, then !done, and the connection goes on. The message is recorded, not asserted.
    tag = wire.next_tag()
    reply = wire.command("/cancel", "=tag=lps-conformance-none", tag=tag)
    assert reply.kinds == ["!trap", "!done"], reply.sentences
    assert reply.traps[0][-1].startswith("=message=")
    record_property("cancel_message", reply.traps[0][-1])
    assert wire.command("/system/identity/print").kinds == ["!re", "!done"]


# ---- TLS ----------------------------------------------------------------------------------------


@pytest.mark.source(sources.MANUAL_TLS)
def test_api_ssl_logs_in_and_answers(target):
    # Source: MANUAL_TLS (api-ssl, port 8729). A router is checked over TLS with ROUTEROS_TEST_TLS=1.
    if target.sim is None:
        if target.tls is None:
            pytest.skip("set ROUTEROS_TEST_TLS=1 (and ROUTEROS_TEST_PORT) to check api-ssl")
        tls_target = target
    else:
        sim, tls_target = start_sim(".".join(map(str, target.version)), tls=True)
    try:
        wire = tls_target.login()
        assert wire.sock.version() is not None  # the session is TLS
        assert wire.command("/system/identity/print").kinds == ["!re", "!done"]
        wire.close()
        api = tls_target.api()
        assert list(api.path("system", "identity"))
        api.close()
    finally:
        if target.sim is not None:
            sim.stop()
