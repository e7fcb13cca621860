import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_database_and_redis_answer(client, use_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"] == "ok"
    assert "sweep" in body


def test_healthz_answers_503_and_names_redis_when_redis_is_stopped(client, settings, private_redis):
    settings.REDIS_URL = private_redis.url
    assert client.get("/healthz").status_code == 200

    private_redis.stop()

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"].startswith("error")


def test_healthz_is_not_cached(client, use_redis):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_the_last_sweep_and_fails_when_it_is_stale(client, use_redis, settings):
    import datetime as dt

    from django.utils import timezone

    from reminders.models import SweepRun

    assert client.get("/healthz").json()["sweep"] is None  # a fresh install has not swept yet
    now = timezone.now()
    SweepRun.objects.create(started_at=now, finished_at=now, due=0, sent=0, skipped=0)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["sweep"] == now.isoformat()

    SweepRun.objects.all().delete()
    old = now - dt.timedelta(seconds=3 * settings.SWEEP_INTERVAL_SECONDS + 60)
    SweepRun.objects.create(started_at=old, finished_at=old, due=0, sent=0, skipped=0)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["sweep_status"] == "stale"
