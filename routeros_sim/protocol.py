"""RouterOS API framing: word lengths, sentences, and a sentence reader.

A sentence is a run of words ended by a zero-length word. A word is a big-endian length prefix
followed by that many bytes (reference A1). Text is decoded as UTF-8 with ``surrogateescape`` so
that any byte sequence a client sends is stored and sent back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENCODING = "utf-8"
ERRORS = "surrogateescape"

MAX_LENGTH = 0xFFFFFFFF  # the 5-byte form carries a 32-bit length


class FramingError(Exception):
    """The peer sent bytes that are not a valid API sentence."""


class EndOfStream(Exception):
    """The peer closed the connection (cleanly between sentences, or in the middle of one)."""

    def __init__(self, mid_sentence: bool = False) -> None:
        self.mid_sentence = mid_sentence
        super().__init__("connection closed mid-sentence" if mid_sentence else "connection closed")


def encode_length(length: int) -> bytes:
    """Encode a word length with the shortest of the five prefix forms."""
    if length < 0:
        raise ValueError(f"negative length {length}")
    if length < 0x80:
        return length.to_bytes(1, "big")
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    if length <= MAX_LENGTH:
        return b"\xf0" + length.to_bytes(4, "big")
    raise ValueError(f"length {length} does not fit the API framing")


def prefix_size(first_byte: int) -> int:
    """Total size of a length prefix (1-5 bytes) given its first byte.

    Raises FramingError for reserved control bytes (0xF8-0xFF) and the undefined 0xF1-0xF7.
    """
    if first_byte < 0x80:
        return 1
    if first_byte < 0xC0:
        return 2
    if first_byte < 0xE0:
        return 3
    if first_byte < 0xF0:
        return 4
    if first_byte == 0xF0:
        return 5
    if first_byte >= 0xF8:
        raise FramingError(f"control byte 0x{first_byte:02x} where a word length was expected")
    raise FramingError(f"invalid length prefix byte 0x{first_byte:02x}")


_MASKS = {1: 0x00, 2: 0x8000, 3: 0xC00000, 4: 0xE0000000}
_SMALLEST = {1: 0, 2: 0x80, 3: 0x4000, 4: 0x200000, 5: 0x10000000}


def decode_length(prefix: bytes) -> int:
    """Decode a complete length prefix (exactly as many bytes as ``prefix_size`` says).

    Only the shortest form is accepted: RouterOS picks the prefix size from the length (manual, "API
    words": "if len < 0x80 ... else if len < 0x4000 ..."), so a length that would fit a shorter prefix is
    never sent by the router and is refused here like any other framing error."""
    if not prefix:
        raise FramingError("empty length prefix")
    size = prefix_size(prefix[0])
    if len(prefix) != size:
        raise FramingError(f"length prefix needs {size} bytes, got {len(prefix)}")
    length = int.from_bytes(prefix[1:], "big") if size == 5 else int.from_bytes(prefix, "big") ^ _MASKS[size]
    if length < _SMALLEST[size]:
        raise FramingError(f"length {length} sent with a {size}-byte prefix (not the shortest form)")
    return length


def encode_word(word: str | bytes) -> bytes:
    data = word if isinstance(word, bytes) else word.encode(ENCODING, ERRORS)
    return encode_length(len(data)) + data


def encode_sentence(words: list[str] | tuple[str, ...]) -> bytes:
    """Encode words and the terminating empty word as one bytes object."""
    return b"".join(encode_word(word) for word in words) + b"\x00"


def decode_sentences(data: bytes) -> list[list[str]]:
    """Split a byte string holding whole sentences into lists of words (for tests and tools)."""
    pos, sentences, words = 0, [], []
    while pos < len(data):
        size = prefix_size(data[pos])
        length = decode_length(data[pos : pos + size])
        pos += size
        if length == 0:
            sentences.append(words)
            words = []
            continue
        if pos + length > len(data):
            raise FramingError("truncated word")
        words.append(data[pos : pos + length].decode(ENCODING, ERRORS))
        pos += length
    if words:
        raise FramingError("data ends inside a sentence")
    return sentences


class SentenceReader:
    """Read sentences from a socket (``recv``) or a binary file (``read``).

    ``read_sentence()`` returns the list of words; it raises EndOfStream when the peer closes and
    FramingError on garbage or when a limit is exceeded (limits guard the server's memory).
    """

    def __init__(self, stream, *, max_word: int = 1 << 22, max_words: int = 10_000) -> None:
        self._read = stream.recv if hasattr(stream, "recv") else stream.read
        self.max_word = max_word
        self.max_words = max_words

    def _exact(self, count: int, *, started: bool) -> bytes:
        buf = bytearray()
        while len(buf) < count:
            chunk = self._read(min(count - len(buf), 65536))
            if not chunk:
                raise EndOfStream(mid_sentence=started or bool(buf))
            buf += chunk
        return bytes(buf)

    def read_sentence(self) -> list[str]:
        words: list[str] = []
        while True:
            started = bool(words)
            first = self._exact(1, started=started)
            size = prefix_size(first[0])
            prefix = first + self._exact(size - 1, started=True) if size > 1 else first
            length = decode_length(prefix)
            if length == 0:
                return words
            if length > self.max_word:
                raise FramingError(f"word of {length} bytes exceeds the limit of {self.max_word}")
            if len(words) >= self.max_words:
                raise FramingError(f"sentence exceeds {self.max_words} words")
            words.append(self._exact(length, started=True).decode(ENCODING, ERRORS))


@dataclass
class Request:
    """A client sentence split into its kinds of words (reference A2)."""

    command: str
    attributes: dict[str, str] = field(default_factory=dict)
    queries: list[str] = field(default_factory=list)
    tag: str | None = None
    unknown: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    @property
    def menu(self) -> str:
        return self.command.rsplit("/", 1)[0]

    @property
    def verb(self) -> str:
        return self.command.rsplit("/", 1)[-1]


def parse_request(words: list[str]) -> Request:
    """Classify the words of a non-empty client sentence.

    ``=name=value`` is split on the first two ``=`` only (the value may contain ``=``); a word
    ``=name`` with no second ``=`` gets an empty value. ``.tag=X`` is the only API attribute.
    Words of any other shape are kept in ``unknown`` for the caller to reject.
    """
    if not words:
        raise ValueError("empty sentence")
    request = Request(command=words[0], words=list(words[1:]))
    for word in words[1:]:
        if word.startswith("="):
            name, _, value = word[1:].partition("=")
            request.attributes[name] = value
        elif word.startswith("?"):
            request.queries.append(word)
        elif word.startswith(".tag="):
            request.tag = word[len(".tag=") :]
        else:
            request.unknown.append(word)
    return request


def reply(kind: str, attributes: dict[str, str] | None = None, tag: str | None = None) -> list[str]:
    """Build one reply sentence: ``!re``/``!done``/``!trap``/``!empty``, then ``.tag=X`` when the request
    was tagged, then the ``=k=v`` words in the order given.

    The tag comes right after the reply word, as RouterOS sends it (librouteros docs/api_analysis.rst,
    captured from a router: ``!re .tag=10 =.id=*A …``, ``!trap .tag=10 =category=2 =message=interrupted``).
    The manual's hand-written tag example shows it last; the capture wins."""
    words = [kind] if tag is None else [kind, f".tag={tag}"]
    words += [f"={k}={v}" for k, v in (attributes or {}).items()]
    return words
