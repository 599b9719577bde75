"""Framing of the RouterOS API simulator (reference A1, A2)."""

import io

import pytest
from librouteros import protocol as lr

from routeros_sim.protocol import (
    EndOfStream,
    FramingError,
    SentenceReader,
    decode_length,
    decode_sentences,
    encode_length,
    encode_sentence,
    parse_request,
    prefix_size,
)

VECTORS = [
    (0x00, "00"),
    (0x7F, "7f"),
    (0x80, "8080"),
    (0x3FFF, "bfff"),
    (0x4000, "c04000"),
    (0x1FFFFF, "dfffff"),
    (0x200000, "e0200000"),
    (0xFFFFFFF, "efffffff"),
    (0x10000000, "f010000000"),
    (0xFFFFFFFF, "f0ffffffff"),
]


@pytest.mark.parametrize(("length", "hexed"), VECTORS)
def test_length_encodes_to_reference_bytes(length, hexed):
    assert encode_length(length).hex() == hexed


@pytest.mark.parametrize(("length", "hexed"), VECTORS)
def test_reference_bytes_decode_to_length(length, hexed):
    data = bytes.fromhex(hexed)
    assert prefix_size(data[0]) == len(data)
    assert decode_length(data) == length


@pytest.mark.parametrize("length", [0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000, 0xFFFFFFF])
def test_lengths_agree_with_librouteros_both_ways(length):
    ours = encode_length(length)
    assert ours == lr.encode_length(length)
    assert lr.decode_length(ours) == length
    assert decode_length(lr.encode_length(length)) == length


@pytest.mark.parametrize("first", [0xF8, 0xF9, 0xFC, 0xFF])
def test_control_bytes_are_rejected(first):
    with pytest.raises(FramingError, match="control byte"):
        prefix_size(first)
    with pytest.raises(FramingError):
        decode_length(bytes([first, 0, 0, 0, 0]))


@pytest.mark.parametrize("first", [0xF1, 0xF7])
def test_undefined_prefix_bytes_are_rejected(first):
    with pytest.raises(FramingError):
        prefix_size(first)


@pytest.mark.parametrize(
    "hexed", ["8005", "807f", "c00080", "c03fff", "e0000005", "e01fffff", "f000000005", "f00fffffff"]
)
def test_lengths_not_in_their_shortest_form_are_refused(hexed):
    # RouterOS picks the prefix size from the length, so it never sends these.
    with pytest.raises(FramingError, match="shortest"):
        decode_length(bytes.fromhex(hexed))


def test_decode_length_requires_the_whole_prefix():
    with pytest.raises(FramingError):
        decode_length(bytes.fromhex("c040"))


def test_negative_and_oversized_lengths_cannot_be_encoded():
    with pytest.raises(ValueError):
        encode_length(-1)
    with pytest.raises(ValueError):
        encode_length(1 << 32)


def test_sentence_is_one_bytes_object_ending_with_a_zero_word():
    data = encode_sentence(["/login", "=name=admin"])
    assert data == b"\x06/login\x0b=name=admin\x00"
    assert data == lr.encode_sentence("/login", "=name=admin", encoding="ascii")


@pytest.mark.parametrize("size", [0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000])
def test_words_of_every_prefix_size_round_trip_through_the_reader(size):
    word = "=comment=" + "x" * (size - len("=comment="))
    data = encode_sentence(["/queue/simple/set", word]) + encode_sentence(["/quit"])
    reader = SentenceReader(io.BytesIO(data), max_word=1 << 22)
    assert reader.read_sentence() == ["/queue/simple/set", word]
    assert reader.read_sentence() == ["/quit"]
    with pytest.raises(EndOfStream) as caught:
        reader.read_sentence()
    assert caught.value.mid_sentence is False


def test_non_ascii_bytes_come_back_unchanged():
    data = encode_sentence(["=comment=Kamar 12 – Budi"])
    (words,) = decode_sentences(data)
    assert encode_sentence(words) == data


def test_reader_reports_eof_inside_a_sentence():
    data = encode_sentence(["/ip/arp/print", "=.proplist=address"])[:-3]
    with pytest.raises(EndOfStream) as caught:
        SentenceReader(io.BytesIO(data)).read_sentence()
    assert caught.value.mid_sentence is True


def test_reader_rejects_garbage_and_oversized_words():
    with pytest.raises(FramingError):
        SentenceReader(io.BytesIO(b"\x05/quit\xff\x00")).read_sentence()
    big = encode_sentence(["=comment=" + "y" * 300])
    with pytest.raises(FramingError, match="exceeds"):
        SentenceReader(io.BytesIO(big), max_word=256).read_sentence()


def test_reader_returns_empty_sentences_for_the_caller_to_ignore():
    reader = SentenceReader(io.BytesIO(b"\x00" + encode_sentence(["/quit"])))
    assert reader.read_sentence() == []
    assert reader.read_sentence() == ["/quit"]


def test_attribute_values_split_on_the_first_two_equals_only():
    request = parse_request(
        [
            "/ip/firewall/address-list/add",
            "=comment=a=b=c",
            "=timeout=",
            "=flag",
            "?=list=x",
            ".tag=7",
            "bogus",
        ]
    )
    assert request.menu == "/ip/firewall/address-list"
    assert request.verb == "add"
    assert request.attributes == {"comment": "a=b=c", "timeout": "", "flag": ""}
    assert request.queries == ["?=list=x"]
    assert request.tag == "7"
    assert request.unknown == ["bogus"]
