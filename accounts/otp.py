"""One-time login codes, pure: make a code, hash it, check it. No database, no clock of its own."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

CODE_DIGITS = 6


def code_make() -> str:
    """Six random digits from the OS generator (leading zeros kept)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(code: str, *, phone: str, key: str) -> str:
    """HMAC-SHA256 of the code bound to the phone, keyed by a server secret.

    A leaked table of hashes is useless without the key, and a code for one number never matches another.
    """
    message = f"{phone}:{code}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def code_normalize(raw: str) -> str:
    """What the resident typed, with spaces and dashes removed; '' when it cannot be a code."""
    digits = "".join(ch for ch in (raw or "") if not ch.isspace() and ch != "-")
    return digits if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit() else ""


class Verdict(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    LOCKED = "locked"


@dataclass(frozen=True)
class CodeState:
    code_hash: str
    expires_at: datetime
    failed_attempts: int
    consumed: bool


def code_check(
    *, state: CodeState, typed: str, phone: str, key: str, now: datetime, max_attempts: int
) -> Verdict:
    """Used, locked and expired codes fail before the typed value is even compared."""
    if state.consumed:
        return Verdict.USED
    if state.failed_attempts >= max_attempts:
        return Verdict.LOCKED
    if now >= state.expires_at:
        return Verdict.EXPIRED
    code = code_normalize(typed)
    if code and hmac.compare_digest(code_hash(code, phone=phone, key=key), state.code_hash):
        return Verdict.OK
    return Verdict.WRONG
