"""/healthz: the state of the database, the cache and each router, without secrets."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from core.models import WhatsAppMessage
from routers.models import Router

ROUTER_STALE_AFTER = timedelta(minutes=10)
OUTBOX_LATE_AFTER = timedelta(minutes=5)


def router_is_fresh(router, now) -> bool:
    """Heard from within ROUTER_STALE_AFTER: one rule for /healthz and the admin dashboard."""
    return router.last_contact_at is not None and now - router.last_contact_at <= ROUTER_STALE_AFTER


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception:
        return {"ok": False, "error": "database unreachable"}


def _cache() -> dict:
    """Redis itself: while it is down the cache answers from PostgreSQL (core/cache.py), which /healthz says
    rather than hides."""
    ping = getattr(cache, "ping", None)
    try:
        if ping is not None:
            return (
                {"ok": True}
                if ping()
                else {"ok": False, "error": "cache unreachable", "fallback": "database"}
            )
        cache.set("healthz", "1", 5)
        return {"ok": cache.get("healthz") == "1"}
    except Exception:
        return {"ok": False, "error": "cache unreachable"}


def _outbox() -> dict:
    """WhatsApp messages waiting longer than a few minutes mean the gateway or the worker is down."""
    late = WhatsAppMessage.objects.filter(
        status=WhatsAppMessage.Status.PENDING, created_at__lt=timezone.now() - OUTBOX_LATE_AFTER
    ).count()
    return {"ok": late == 0, "late_messages": late}


def _routers() -> list[dict]:
    now = timezone.now()
    rows = []
    for router in Router.objects.filter(enabled=True).order_by("name"):
        rows.append(
            {
                "name": router.name,
                "ok": router_is_fresh(router, now) and not router.last_error,
                "last_contact": router.last_contact_at.isoformat() if router.last_contact_at else None,
                "pending_changes": router.pending_changes,
                "error": "unreachable" if router.last_error else None,
                "error_at": router.last_error_at.isoformat()
                if router.last_error and router.last_error_at
                else None,
            }
        )
    return rows


def healthz(request):
    database = _database()
    body = {"database": database, "cache": _cache(), "routers": _routers() if database["ok"] else []}
    if database["ok"]:
        body["whatsapp_outbox"] = _outbox()
    healthy = database["ok"] and body["cache"]["ok"] and body["whatsapp_outbox"]["ok"]
    body["status"] = "ok" if healthy else ("degraded" if database["ok"] else "down")
    return JsonResponse(body, status=200 if database["ok"] else 503)
