import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from escalation.models import Rung


def home(request):
    return render(request, "home.html", {"rungs": Rung.objects.all()})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


@never_cache
@require_GET
def healthz(request):
    """Report whether the database and Redis answer: 200 when both do, 503 otherwise."""
    body = {}
    healthy = True
    for name, check in (("database", _check_database), ("redis", _check_redis)):
        try:
            check()
            body[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
            body[name] = f"error: {exc.__class__.__name__}"
            healthy = False
    body["sweep"] = None
    return JsonResponse(body, status=200 if healthy else 503)
