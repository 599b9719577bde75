"""A loopback Midtrans that speaks the documented formats, for tests, benchmarks and the demo.

Serves `POST /snap/v1/transactions`, `GET /v2/{order_id}/status` (404 "Transaction doesn't exist." until a
payment method is chosen) and a tiny Snap payment page for the demo. Tests drive it in-process
(`fake.pay(order_id)`, `fake.notification(order_id)`); other processes use the `/_fake/...` control
endpoints. It listens on 127.0.0.1 only.
"""

import base64
import hashlib
import json
import re
import threading
import uuid
from datetime import datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse
from urllib.request import Request, urlopen

STATUS_CODES = {
    "settlement": "200",
    "capture": "200",
    "refund": "200",
    "partial_refund": "200",
    "chargeback": "200",
    "partial_chargeback": "200",
    "pending": "201",
    "authorize": "201",
    "deny": "202",
    "cancel": "202",
    "failure": "202",
    "expire": "407",
}
ORDER_PATH = re.compile(r"^/v2/(?P<order_id>[^/]+)/status$")
CONTROL_PATH = re.compile(r"^/_fake/orders/(?P<order_id>[^/]+)/(?P<action>pay|notification)$")


class MidtransFake:
    def __init__(self, *, server_key: str, port: int = 0, notification_url: str = ""):
        self.server_key = server_key
        self.notification_url = notification_url
        self.orders: dict[str, dict] = {}
        self.status_api_down = False
        self.snap_down = False
        self.snap_holds: list[tuple[threading.Event, float]] = []
        self.snap_holding = threading.Event()  # set while a held Snap request waits
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self.server.daemon_threads = True
        self.thread = None

    # --- lifecycle -------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def snap_base_url(self) -> str:
        return f"{self.base_url}/snap/v1"

    def start(self) -> "MidtransFake":
        self.thread = threading.Thread(
            target=self.server.serve_forever, args=(0.05,), name="midtrans-fake", daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what a customer does on the Snap page ---------------------------------------------------
    def order_add(self, order_id: str, gross_amount: int, finish_url: str = "") -> dict:
        with self.lock:
            order = {
                "order_id": order_id,
                "gross_amount": f"{Decimal(gross_amount):.2f}",
                "transaction_status": None,  # no payment method chosen yet: the status API says 404
                "fraud_status": "accept",
                "payment_type": "",
                "transaction_id": str(uuid.uuid4()),
                "transaction_time": "",
                "finish_url": finish_url,
            }
            self.orders[order_id] = order
            return order

    def pay(self, order_id: str, transaction_status="settlement", payment_type="bank_transfer", **fields):
        """Move the order to a state, as if the customer paid (or the bank reversed, expired, …)."""
        with self.lock:
            order = self.orders[order_id]
            order.update(fields, transaction_status=transaction_status, payment_type=payment_type)
            order["transaction_time"] = order["transaction_time"] or _now()
            return dict(order)

    def notification(self, order_id: str, **overrides) -> dict:
        """The signed HTTP notification Midtrans would send for the order's current state."""
        with self.lock:
            body = self._status_body(self.orders[order_id])
        body["status_message"] = "midtrans payment notification"
        if body["transaction_status"] == "expire":
            body["status_code"] = "202"  # notifications say 202 where the status API says 407
        body.update(overrides)
        if "signature_key" not in overrides:
            body["signature_key"] = self.sign(body)
        return body

    def sign(self, body: dict) -> str:
        text = f"{body['order_id']}{body['status_code']}{body['gross_amount']}{self.server_key}"
        return hashlib.sha512(text.encode()).hexdigest()

    def notify(self, order_id: str, url: str = "", **overrides) -> tuple[int, str]:
        """POST the notification to our endpoint; returns (HTTP status, body)."""
        data = json.dumps(self.notification(order_id, **overrides)).encode()
        request = Request(
            url or self.notification_url, data=data, headers={"Content-Type": "application/json"}
        )
        try:
            with urlopen(request, timeout=15) as response:
                return response.status, response.read().decode()
        except Exception as exc:  # HTTPError carries the status; anything else is a failed delivery
            return getattr(exc, "code", 0), str(exc)

    # --- answers ---------------------------------------------------------------------------------
    def _status_body(self, order: dict) -> dict:
        status = order["transaction_status"]
        body = {
            "status_code": STATUS_CODES.get(status, "200"),
            "status_message": "Success, transaction is found",
            "transaction_id": order["transaction_id"],
            "order_id": order["order_id"],
            "merchant_id": "G000000000",
            "gross_amount": order["gross_amount"],
            "currency": "IDR",
            "payment_type": order["payment_type"],
            "transaction_time": order["transaction_time"],
            "transaction_status": status,
            "fraud_status": order["fraud_status"],
        }
        if status == "settlement":
            body["settlement_time"] = order.get("settlement_time") or order["transaction_time"]
        body["signature_key"] = self.sign(body)
        return body

    def status_answer(self, order_id: str) -> tuple[int, dict]:
        if self.status_api_down:
            return 503, {"status_code": "503", "status_message": "Service Unavailable"}
        with self.lock:
            order = self.orders.get(order_id)
            if order is None or order["transaction_status"] is None:
                return 200, {
                    "status_code": "404",
                    "status_message": "Transaction doesn't exist.",
                    "id": str(uuid.uuid4()),
                }
            return 200, self._status_body(order)

    def snap_hold(self, seconds: float = 10.0) -> threading.Event:
        """Make the next Snap request wait `seconds` (a slow Midtrans) or until the returned event is set;
        `snap_holding` tells when it has arrived. Other requests are answered meanwhile."""
        release = threading.Event()
        with self.lock:
            self.snap_holds.append((release, seconds))
        return release

    def snap_answer(self, params) -> tuple[int, dict]:
        with self.lock:
            hold = self.snap_holds.pop(0) if self.snap_holds else None
        if hold is not None:
            release, seconds = hold
            self.snap_holding.set()
            release.wait(seconds)
            self.snap_holding.clear()
        if self.snap_down:
            return 503, {"error_messages": ["Service Unavailable"]}
        try:
            details = params["transaction_details"]
            order_id, gross = str(details["order_id"]), int(details["gross_amount"])
        except (KeyError, TypeError, ValueError):
            return 400, {"error_messages": ["transaction_details is required"]}
        items = params.get("item_details") or []
        if items and sum(int(i["price"]) * int(i["quantity"]) for i in items) != gross:
            return 400, {
                "error_messages": ["transaction_details.gross_amount is not equal to the sum of item_details"]
            }
        if order_id in self.orders:
            return 400, {"error_messages": ["transaction_details.order_id has already been taken"]}
        token = str(uuid.uuid4())
        self.order_add(order_id, gross, finish_url=(params.get("callbacks") or {}).get("finish", ""))
        self.orders[order_id].update(token=token, params=params)
        return 201, {"token": token, "redirect_url": f"{self.base_url}/snap/v2/vtweb/{token}"}

    def order_by_token(self, token: str) -> dict | None:
        return next((o for o in self.orders.values() if o.get("token") == token), None)


def _now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


PAGE = """<!doctype html><meta name=viewport content="width=device-width"><title>Midtrans (fake)</title>
<h1>Midtrans (fake)</h1><p>Order {order_id}: Rp {amount}</p>
<form method=post><button name=status value=settlement>Pay (settlement)</button>
<button name=status value=pending>Choose bank transfer (pending)</button>
<button name=status value=expire>Let it expire</button></form>"""


def _handler_for(fake: MidtransFake):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real API allows
        # Headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms per answer.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def _send(self, status: int, body, content_type="application/json", headers=None):
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _authorized(self) -> bool:
            expected = base64.b64encode(f"{fake.server_key}:".encode()).decode()
            return self.headers.get("Authorization", "") == f"Basic {expected}"

        def _denied(self):
            self._send(
                401, {"status_code": "401", "error_messages": ["Access denied, please check server key"]}
            )

        def do_GET(self):
            path = urlparse(self.path).path
            if match := ORDER_PATH.match(path):
                return (
                    self._send(*fake.status_answer(match["order_id"]))
                    if self._authorized()
                    else self._denied()
                )
            if match := CONTROL_PATH.match(path):
                if match["order_id"] not in fake.orders:
                    return self._send(404, {"error": "unknown order"})
                return self._send(200, fake.notification(match["order_id"]))
            if path.startswith("/snap/v2/vtweb/") and (order := fake.order_by_token(path.rsplit("/", 1)[-1])):
                page = PAGE.format(order_id=order["order_id"], amount=order["gross_amount"])
                return self._send(200, page, content_type="text/html; charset=utf-8")
            self._send(404, {"error": "not found"})

        def do_POST(self):
            path = urlparse(self.path).path
            raw = self._body()
            if path == "/snap/v1/transactions":
                if not self._authorized():
                    return self._denied()
                try:
                    params = json.loads(raw)
                except ValueError:
                    return self._send(400, {"error_messages": ["invalid JSON"]})
                return self._send(*fake.snap_answer(params))
            if match := CONTROL_PATH.match(path):
                if match["order_id"] not in fake.orders:
                    return self._send(404, {"error": "unknown order"})
                fields = json.loads(raw or b"{}")
                return self._send(200, fake.pay(match["order_id"], **fields))
            if path == "/_fake/status-api":
                fake.status_api_down = bool(json.loads(raw or b"{}").get("down"))
                return self._send(200, {"down": fake.status_api_down})
            if path.startswith("/snap/v2/vtweb/") and (order := fake.order_by_token(path.rsplit("/", 1)[-1])):
                status = parse_qs(raw.decode()).get("status", ["settlement"])[0]
                fake.pay(order["order_id"], transaction_status=status)
                if fake.notification_url:
                    fake.notify(order["order_id"])
                query = urlencode({"order_id": order["order_id"], "transaction_status": status})
                finish = order.get("finish_url") or "/"
                return self._send(303, "", headers={"Location": f"{finish}?{query}"})
            self._send(404, {"error": "not found"})

    return Handler
