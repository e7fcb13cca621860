import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import BASE_DIR, database_from_url, env_bool, env_networks

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY[:4])"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_secret_key_outside_debug():
    result = load_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_an_empty_secret_key_too():
    result = load_settings(SECRET_KEY="", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = load_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_debug_starts_without_secret_key_using_a_dev_key():
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "dev-"]


def test_a_malformed_boolean_is_an_error_not_a_guess(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG")


def test_trusted_proxies_are_addresses_or_networks_and_a_typo_is_an_error(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ,::1")
    assert env_networks("TRUSTED_PROXIES") == ["127.0.0.1", "10.0.0.0/8", "::1"]
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1,proxy.internal")
    with pytest.raises(ImproperlyConfigured, match="proxy.internal"):
        env_networks("TRUSTED_PROXIES")
    monkeypatch.setenv("TRUSTED_PROXIES", "")
    assert env_networks("TRUSTED_PROXIES", ["127.0.0.1"]) == []  # set but empty: REMOTE_ADDR alone


def test_sqlite_url_relative_to_the_project():
    db = database_from_url("sqlite:///var/test-settings/db.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(BASE_DIR / "var" / "test-settings" / "db.sqlite3")


def test_sqlite_url_absolute(tmp_path):
    db = database_from_url(f"sqlite:///{tmp_path}/x.db")
    assert db["NAME"] == f"{tmp_path}/x.db"


def test_postgres_url():
    db = database_from_url("postgres://app:s%40cret@db.internal:6543/ladder?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "ladder",
        "app",
        "s@cret",
        "db.internal",
        6543,
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://root@localhost/x", "postgres://localhost"])
def test_unsupported_or_incomplete_database_urls_are_errors(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url)


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


@pytest.mark.django_db
def test_uploads_have_no_public_url(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    (tmp_path / "secret.txt").write_text("private")
    for path in ["/secret.txt", "/media/secret.txt", "/static/secret.txt", "/static/../var/media/secret.txt"]:
        response = client.get(path)
        assert response.status_code == 404, path


def test_uploads_go_to_object_storage_when_a_bucket_is_named():
    code = (
        "import json; from django.conf import settings; from storages.backends.s3 import S3Storage; "
        "storage = settings.STORAGES['default']; S3Storage(**storage['OPTIONS']); print(json.dumps(storage))"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x" * 50,
        "S3_BUCKET": "yajin-files",
        "S3_ENDPOINT_URL": "https://oss-cn-chengdu.aliyuncs.com",
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "yajin-files"
    assert storage["OPTIONS"]["endpoint_url"] == "https://oss-cn-chengdu.aliyuncs.com"
    assert storage["OPTIONS"]["default_acl"] == "private" and storage["OPTIONS"]["file_overwrite"] is False


def test_static_files_collected_with_debug_on_serve_a_page_with_debug_off(tmp_path):
    """`make static` collects with DEBUG on; the site then runs with it off and must find its manifest."""
    static_root = tmp_path / "static"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    page = (
        "import django, re; django.setup(); from django.test import Client;"
        "response = Client().get('/accounts/login/'); print(response.status_code);"
        "print(re.search(r'/static/css/app[^\"]*', response.content.decode()).group(0))"
    )
    production = {**env, "DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "testserver"}
    production["SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
    served = subprocess.run(
        [sys.executable, "-c", page], cwd=ROOT, env=production, capture_output=True, text=True, timeout=120
    )
    assert served.returncode == 0, served.stderr[-2000:]
    status, stylesheet = served.stdout.split()
    assert status == "200"
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", stylesheet)  # the hashed name, from the manifest
    assert (static_root / stylesheet.removeprefix("/static/")).is_file()
