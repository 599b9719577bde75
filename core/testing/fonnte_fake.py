"""Fonnte /send on loopback: HTTP 200 always, `status` true or false, as Fonnte documents it."""

import itertools
import time

from core.testing.httpfake import FakeServer


class FonnteFake(FakeServer):
    def __init__(self, *, token: str = "fonnte-test-token", device_connected: bool = True):
        super().__init__()
        self.token = token
        self.device_connected = device_connected
        self._ids = itertools.count(142223099)
        self.sent: list[dict] = []
        self.sent_at: list[float] = []

    @property
    def send_url(self) -> str:
        return f"{self.url}/send"

    def handle(self, path, headers, form):
        if headers.get("authorization") != self.token:
            return 200, {"reason": "invalid token", "status": False}
        if not self.device_connected:
            return 200, {"reason": "invalid device", "status": False}
        target = form.get("target", "")
        if not target or not form.get("message"):
            return 200, {"reason": "target invalid", "status": False}
        country = form.get("countryCode", "62")
        number = country + target[1:] if target.startswith("0") and country != "0" else target
        self.sent.append({"target": number, "message": form["message"]})
        self.sent_at.append(time.time())  # when each message arrived (rate tests control the clock)
        message_id = next(self._ids)
        return 200, {
            "detail": "success! message in queue",
            "id": [message_id],
            "process": "pending",
            "quota": {
                target: {"details": "deduced from total quota", "quota": 967, "remaining": 966, "used": 1}
            },
            "requestid": 369052479,
            "status": True,
            "target": [number],
        }
