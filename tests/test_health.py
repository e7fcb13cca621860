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
