"""A raw RouterOS API client for the conformance suite: it shows exactly what the router puts on the wire.

It encodes with librouteros (the client lpsaring uses) and decodes with its own few lines, so nothing of
the simulator is used to judge the simulator. Every reply sentence it reads is checked against the
shape RouterOS gives it (reference: librouteros docs/api_analysis.rst, captured from routers):
a reply word first, then ``.tag=X`` when the request was tagged, then ``=name=value`` words.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import ssl
from dataclasses import dataclass, field

from librouteros.protocol import encode_sentence

REPLY_WORDS = ("!re", "!done", "!trap", "!fatal", "!empty")


class Closed(Exception):
    """The router closed the connection."""


@dataclass
class Reply:
    """The sentences answering one command, tag words included, in order."""

    sentences: list[list[str]]
    tag: str | None = None

    @property
    def kinds(self) -> list[str]:
        return [sentence[0] for sentence in self.sentences]

    def _attributes(self, sentence: list[str]) -> dict[str, str]:
        words = sentence[2:] if self.tag is not None else sentence[1:]
        return dict(word[1:].split("=", 1) for word in words)

    @property
    def rows(self) -> list[dict[str, str]]:
        return [self._attributes(s) for s in self.sentences if s[0] == "!re"]

    @property
    def traps(self) -> list[list[str]]:
        """Each ``!trap`` sentence's attribute words, in the order sent (tag left out)."""
        start = 2 if self.tag is not None else 1
        return [s[start:] for s in self.sentences if s[0] == "!trap"]

    @property
    def done(self) -> dict[str, str]:
        return self._attributes(self.sentences[-1])


@dataclass
class Wire:
    sock: socket.socket
    tags: itertools.count = field(default_factory=lambda: itertools.count(1))
    prefixes: list[tuple[int, int]] = field(default_factory=list)  # (prefix bytes, word length) read

    @classmethod
    def open(cls, host: str, port: int, *, tls: ssl.SSLContext | None = None, timeout: float = 10) -> Wire:
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls is not None:
            sock = tls.wrap_socket(sock, server_hostname=host)
        return cls(sock)

    # ---- sending ------------------------------------------------------------------------------

    def send(self, *words: str) -> None:
        self.sock.sendall(encode_sentence(*words, encoding="ascii"))

    def send_bytes(self, data: bytes) -> None:
        self.sock.sendall(data)

    # ---- reading ------------------------------------------------------------------------------

    def _exact(self, count: int) -> bytes:
        buf = b""
        while len(buf) < count:
            chunk = self.sock.recv(min(count - len(buf), 1 << 20))
            if not chunk:
                raise Closed("the router closed the connection")
            buf += chunk
        return buf

    def _length(self) -> tuple[int, int]:
        first = self._exact(1)[0]
        for size, mask, limit in (
            (1, 0, 0x80),
            (2, 0x8000, 0xC0),
            (3, 0xC00000, 0xE0),
            (4, 0xE0000000, 0xF0),
        ):
            if first < limit:
                rest = self._exact(size - 1) if size > 1 else b""
                return size, int.from_bytes(bytes([first]) + rest, "big") ^ mask
        if first == 0xF0:
            return 5, int.from_bytes(self._exact(4), "big")
        raise AssertionError(f"the router sent the control byte {first:#x} where a length belongs")

    def read(self) -> list[str]:
        """One sentence; its words' prefix sizes are kept in ``prefixes``."""
        words = []
        while True:
            size, length = self._length()
            if length == 0:
                return words
            self.prefixes.append((size, length))
            words.append(self._exact(length).decode("ascii", errors="replace"))

    def closed(self, wait: float = 5) -> bool:
        """True when the router closes the connection (EOF or reset) within ``wait`` seconds."""
        self.sock.settimeout(wait)
        try:
            return self.sock.recv(1) == b""
        except TimeoutError:
            return False
        except OSError:
            return True

    # ---- one command ---------------------------------------------------------------------------

    def next_tag(self) -> str:
        return f"c{next(self.tags)}"

    def command(self, *words: str, tag: str | bool | None = True) -> Reply:
        """Send a command (tagged with a fresh tag unless ``tag`` is False/None or given) and read its
        reply up to ``!done`` (or ``!fatal``), checking the shape of every sentence."""
        tag = self.next_tag() if tag is True else (tag or None)
        self.send(*words, *([f".tag={tag}"] if tag else []))
        return self.reply(tag)

    def reply(self, tag: str | None) -> Reply:
        sentences = []
        while True:
            sentence = self.read()
            if not sentence:
                continue  # RouterOS never sends one; librouteros would choke on it, so would we
            sentences.append(sentence)
            check_shape(sentence, tag)
            if sentence[0] in ("!done", "!fatal"):
                return Reply(sentences, tag)

    def login(self, user: str, password: str) -> Reply:
        return self.command("/login", f"=name={user}", f"=password={password}", tag=False)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def check_shape(sentence: list[str], tag: str | None) -> None:
    """A reply sentence as RouterOS sends it: reply word, then the request's ``.tag`` (never one it did
    not send), then ``=name=value`` words only; ``!fatal`` carries one bare text word."""
    kind = sentence[0]
    assert kind in REPLY_WORDS, f"not a reply word: {sentence}"
    if kind == "!fatal":
        assert len(sentence) <= 2, sentence
        return
    rest = sentence[1:]
    if tag is not None:
        assert rest[:1] == [f".tag={tag}"], f"the tag must follow the reply word: {sentence}"
        rest = rest[1:]
    for word in rest:
        assert word.startswith("=") and "=" in word[1:], f"not an attribute word: {word!r} in {sentence}"
