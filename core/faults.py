"""A part that is down (PostgreSQL, Redis) answers with our page, never a traceback or Django's debug page.

`PartDownMiddleware.process_exception` turns a connection error that reached a view into 503 with
templates/503.html ("Layanan sedang gangguan, coba lagi dalam beberapa menit") and Retry-After, with DEBUG
on or off. The page is rendered without the request, so it needs neither the database nor the session.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError

log = logging.getLogger(__name__)

PART_DOWN = (OperationalError, InterfaceError, ConnectionInterrupted, RedisConnectionError)
RETRY_AFTER_S = 60


def part_down_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


class PartDownMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PART_DOWN):
            log.error("%s %s: a part is down (%s)", request.method, request.path, type(exception).__name__)
            return part_down_response()
        return None
