"""The two pages of the site itself: /healthz for load balancers and monitors, and security.txt."""

import datetime

import redis
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lib import chinatime
from reminders.models import SweepRun


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
    """Report the database, Redis and the last deadline sweep: 200 when all are well, 503 otherwise.

    The sweep fails the check when its last run is older than three intervals; a
    fresh installation whose worker has not swept yet reports null.
    """
    body = {}
    healthy = True
    for name, check in (("database", _check_database), ("redis", _check_redis)):
        try:
            check()
            body[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
            body[name] = f"error: {exc.__class__.__name__}"
            healthy = False
    last = SweepRun.objects.order_by("-finished_at").values_list("finished_at", flat=True).first()
    body["sweep"] = last.isoformat() if last else None
    if last is not None and chinatime.now() - last > datetime.timedelta(seconds=3 * settings.SWEEP_INTERVAL_SECONDS):
        body["sweep_status"] = "stale"
        healthy = False
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def security_txt(request):
    """/.well-known/security.txt (RFC 9116): where to report a security problem privately."""
    if not settings.SECURITY_CONTACT:
        raise Http404("No security contact configured")
    expires = (chinatime.now() + datetime.timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(datetime.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: zh, en",
        f"Canonical: {settings.SITE_URL.rstrip('/')}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
