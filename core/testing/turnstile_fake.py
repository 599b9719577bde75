"""Turnstile siteverify on loopback, answering as Cloudflare's documented test secrets do.

Secret 1x…AA passes the dummy token once per token (a second check without the same idempotency key is
`timeout-or-duplicate`, as for real tokens), 2x…AA fails with `invalid-input-response`, 3x…AA always
answers `timeout-or-duplicate`; any other secret is `invalid-input-secret`.
"""

import argparse
import time

from core.testing.httpfake import FakeServer

PASS_SECRET = "1x0000000000000000000000000000000AA"
FAIL_SECRET = "2x0000000000000000000000000000000AA"
SPENT_SECRET = "3x0000000000000000000000000000000AA"
DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX"


class TurnstileFake(FakeServer):
    def __init__(self, *, single_use: bool = False):
        super().__init__()
        # Dummy tokens are reusable at Cloudflare; real tokens are not. Tests may ask for the real rule.
        self.single_use = single_use
        self._spent: dict[str, str] = {}

    @property
    def verify_url(self) -> str:
        return f"{self.url}/turnstile/v0/siteverify"

    def handle(self, path, headers, form):
        secret, token = form.get("secret", ""), form.get("response", "")
        if not secret:
            return 200, _fail("missing-input-secret")
        if not token:
            return 200, _fail("missing-input-response")
        if secret == FAIL_SECRET:
            return 200, _fail("invalid-input-response")
        if secret == SPENT_SECRET:
            return 200, _fail("timeout-or-duplicate")
        if secret != PASS_SECRET:
            return 200, _fail("invalid-input-secret")
        if token != DUMMY_TOKEN:
            return 200, _fail("invalid-input-response")
        key = form.get("idempotency_key", "")
        if self.single_use and token in self._spent and self._spent[token] != key:
            return 200, _fail("timeout-or-duplicate")
        self._spent.setdefault(token, key)
        return 200, {
            "success": True,
            "challenge_ts": "2022-02-28T15:14:30.096Z",
            "hostname": "example.com",
            "error-codes": [],
            "action": "",
            "cdata": "",
        }


def _fail(code: str) -> dict:
    return {"success": False, "error-codes": [code], "messages": []}


def main() -> None:
    """`python -m core.testing.turnstile_fake --port 18090`: the demo's offline siteverify."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=18090)
    args = parser.parse_args()
    fake = TurnstileFake()
    fake.start(port=args.port)
    print(f"Turnstile fake: {fake.verify_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
