"""Settings for the dispute ladder.

One file for every environment: each deploy-specific value comes from the
environment through the small typed helpers below. Defaults are safe: DEBUG is
off unless asked for, and a missing SECRET_KEY outside DEBUG stops start-up.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name, default=()):
    """A comma-separated list of IP addresses or CIDR networks; a typo stops start-up."""
    networks = env_list(name, default)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {network!r} is not an IP address or network") from None
    return networks


def database_from_url(url):
    """Turn a database URL into a Django DATABASES entry (dj-database-url), with this site's options.

    ``sqlite:///relative/path`` is taken relative to the project, ``sqlite:////abs/path`` is
    absolute; ``postgres://user:password@host:port/name?option=value`` keeps its options.
    Only SQLite and PostgreSQL are supported.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme == "sqlite":
        config = dj_database_url.parse(url)
        name = config["NAME"]
        if name != ":memory:":
            name = str(BASE_DIR / name) if not Path(name).is_absolute() else name
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        config.update(
            NAME=name,
            OPTIONS={
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Tests use a file, not memory: other threads and processes (Celery
            # workers, gunicorn) must see the same database.
            TEST={"NAME": str(VAR_DIR / "test-db.sqlite3")},
        )
        return config
    if scheme in {"postgres", "postgresql", "pgsql"}:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True)
        if not config.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL for PostgreSQL must name a database")
        return config
    raise ImproperlyConfigured(f"Unsupported DATABASE_URL scheme {scheme!r}: use sqlite:// or postgres://")


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "formtools",
    "escalation",
    "disputes",  # migration history only; its models now live in the apps below
    "cases",
    "reading",
    "reminders",
    "documents",
    "review",
    "groups",
    "accounts",
    "checker",
    "wizard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lib.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lib.middleware.SecurityHeadersMiddleware",
    "lib.middleware.PrivatePagesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reminders.context_processors.notices",
            ],
        },
    },
]

# Database: any URL, a SQLite file under var/ when unset.
DATABASE_URL = env_str("DATABASE_URL") or "sqlite:///var/db.sqlite3"
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: Celery's broker, checked by /healthz.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Chinese first, English too. Times are stored in UTC and shown in
# China's time zone.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files are served by whitenoise; uploads live in MEDIA_ROOT, which has
# no public URL: every file goes through a view that checks access.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        # Hashed, compressed names, and the manifest that maps them, written by `collectstatic`
        # whatever DEBUG is: a copy collected with DEBUG on still serves with it off. With DEBUG
        # on, pages link the plain names and the manifest is not read. STATIC_MANIFEST=0 is for
        # the test suite, which runs without `collectstatic`.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
# On several hosts, uploads and issued PDFs go to shared object storage instead
# (django-storages, any S3-compatible service: Aliyun OSS, Tencent COS, MinIO...).
# Files stay private: every download still goes through the app's access check.
S3_BUCKET = env_str("S3_BUCKET")
# Private objects, never overwritten: whatever the bucket's own defaults are.
S3_FILE_OPTIONS = {"default_acl": "private", "querystring_auth": True, "file_overwrite": False}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX"),
            **S3_FILE_OPTIONS,
        },
    }
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# End-to-end tests only: a file holding a number of days to move the app's clock
# forward (see cases.models.base.now). `check --deploy` refuses it.
TEST_CLOCK_FILE = env_str("TEST_CLOCK_FILE")

# Ladder content (rungs, rules, channels, holidays) and the site's statistics are
# cached per process for this many seconds; an edit shows at once in the process
# that made it and everywhere within this time. 0 turns the cache off.
LADDER_CACHE_SECONDS = env_int("LADDER_CACHE_SECONDS", 60)
STATS_CACHE_SECONDS = env_int("STATS_CACHE_SECONDS", 600)

# Evidence uploads: per file and per case.
EVIDENCE_MAX_FILE_BYTES = env_int("EVIDENCE_MAX_FILE_BYTES", 10 * 1024 * 1024)
EVIDENCE_MAX_CASE_BYTES = env_int("EVIDENCE_MAX_CASE_BYTES", 200 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o600

# Per-account limits, so that one account cannot fill the disks or the database; 0 turns one off.
# Open cases (closed ones do not count), the wizard's unsaved drafts of one case, and evidence over
# all the account's cases.
MAX_OPEN_CASES_PER_ACCOUNT = env_int("MAX_OPEN_CASES_PER_ACCOUNT", 20)
MAX_DRAFT_BYTES = env_int("MAX_DRAFT_BYTES", 64 * 1024)
MAX_EVIDENCE_BYTES_PER_ACCOUNT = env_int("MAX_EVIDENCE_BYTES_PER_ACCOUNT", 500 * 1024 * 1024)

# Letters: the CJK font WeasyPrint embeds (Debian's fonts-lxgw-wenkai, one TrueType file per weight).
LETTER_FONT_DIR = Path(env_str("LETTER_FONT_DIR", "/usr/share/fonts/truetype/lxgw-wenkai"))

# Signing issued letters with a volunteer organisation's certificate (documents/letters/signing.py): off
# unless LETTER_SIGNING_KEY and LETTER_SIGNING_CERT are set. The key and certificate are PEM files,
# the chain (optional) holds the intermediate certificates, the passphrase decrypts the key and is never
# logged or shown. The name is the organisation shown as the signer (default: the certificate's);
# reason and location go into the signature. A timestamp authority (RFC 3161) is off unless its URL
# is set. `manage.py check` fails when the key or certificate cannot be used (README, "Signed letters").
LETTER_SIGNING_KEY = env_str("LETTER_SIGNING_KEY")
LETTER_SIGNING_CERT = env_str("LETTER_SIGNING_CERT")
LETTER_SIGNING_CHAIN = env_str("LETTER_SIGNING_CHAIN")
LETTER_SIGNING_PASSPHRASE = env_str("LETTER_SIGNING_PASSPHRASE")
LETTER_SIGNING_NAME = env_str("LETTER_SIGNING_NAME")
LETTER_SIGNING_REASON = env_str("LETTER_SIGNING_REASON")
LETTER_SIGNING_LOCATION = env_str("LETTER_SIGNING_LOCATION")
LETTER_SIGNING_TIMESTAMP_URL = env_str("LETTER_SIGNING_TIMESTAMP_URL")
LETTER_SIGNING_TIMESTAMP_TIMEOUT = env_int("LETTER_SIGNING_TIMESTAMP_TIMEOUT", 10)

# Email: the console in development, SMTP otherwise, all from the environment.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "押金维权阶梯 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages (login codes, reminders): lib.sms, chosen like the email backend. The console in
# development; Tencent Cloud SMS otherwise (lib/sms/tencent.py lists its settings); the file backend in tests.
SMS_BACKEND = env_str("SMS_BACKEND", "lib.sms.backends.ConsoleBackend" if DEBUG else "lib.sms.tencent.TencentBackend")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(VAR_DIR / "sms"))
SMS_SIGN_NAME = env_str("SMS_SIGN_NAME", "POS维权阶梯")
SMS_TENCENT_SECRET_ID = env_str("SMS_TENCENT_SECRET_ID")
SMS_TENCENT_SECRET_KEY = env_str("SMS_TENCENT_SECRET_KEY")
SMS_TENCENT_APP_ID = env_str("SMS_TENCENT_APP_ID")
SMS_TENCENT_REGION = env_str("SMS_TENCENT_REGION", "ap-guangzhou")
SMS_TENCENT_TEMPLATES = env_str("SMS_TENCENT_TEMPLATES", "{}")
# Login codes: how long one lives, how many wrong tries it takes, and how many may be sent.
SMS_CODE_MINUTES = env_int("SMS_CODE_MINUTES", 10)
SMS_CODE_ATTEMPTS = env_int("SMS_CODE_ATTEMPTS", 5)
SMS_CODE_INTERVAL_SECONDS = env_int("SMS_CODE_INTERVAL_SECONDS", 60)
SMS_CODES_PER_NUMBER_PER_HOUR = env_int("SMS_CODES_PER_NUMBER_PER_HOUR", 5)
SMS_CODES_PER_ADDRESS_PER_HOUR = env_int("SMS_CODES_PER_ADDRESS_PER_HOUR", 10)

AUTHENTICATION_BACKENDS = ["accounts.backends.EmailOrMobileBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:case_list"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Security headers; secure cookies and HSTS are on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# No script, style or frame from anywhere else; forms post only here.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"
# Where to report a security problem (/.well-known/security.txt), e.g. "mailto:security@example.cn".
SECURITY_CONTACT = env_str("SECURITY_CONTACT")
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# The proxies whose X-Forwarded-For is believed (IPs or CIDR networks): the client address the
# limits count is the first address, read from the right, that is not one of them. The
# documented deployment has the TLS proxy on the same host; empty means REMOTE_ADDR alone.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", ["127.0.0.1", "::1"])

# Login throttling against password guessing (accounts/throttle.py): wrong passwords counted over
# the window per account and address, per account and per address; past a limit, the next try
# waits LOGIN_DELAY_SECONDS, doubled for each further failure, at most LOGIN_DELAY_MAX_SECONDS.
LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = env_int("LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", 5)
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 10)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 3600)
LOGIN_DELAY_SECONDS = env_int("LOGIN_DELAY_SECONDS", 60)
LOGIN_DELAY_MAX_SECONDS = env_int("LOGIN_DELAY_MAX_SECONDS", 15 * 60)
# Password-reset mails: requests per client address, and mails per email address, in an hour.
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = env_int("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 10)
PASSWORD_RESETS_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3)

# Privacy: closed cases are deleted this many days after closing (0 keeps them),
# and their owner is told this many days before.
CLOSED_CASE_RETENTION_DAYS = env_int("CLOSED_CASE_RETENTION_DAYS", 3 * 365)
PURGE_NOTICE_DAYS = env_int("PURGE_NOTICE_DAYS", 30)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Celery: Redis broker, JSON only, late acknowledgement, bounded tasks. Beat
# starts the periodic tasks every SWEEP_INTERVAL_SECONDS (see CELERY_BEAT_SCHEDULE).
SWEEP_INTERVAL_SECONDS = env_int("SWEEP_INTERVAL_SECONDS", 300)
# One sweep keeps taking batches of 1000 due reminders for at most this long.
SWEEP_BUDGET_SECONDS = env_int("SWEEP_BUDGET_SECONDS", 200)
# When a whole batch of reminders is due, the sweep asks this many sweeps in all to share the wave (one per
# sweep worker process: README, "Running at scale").
SWEEP_WORKERS = env_int("SWEEP_WORKERS", 1)
# A reminder email or text message whose delivery started this long ago without finishing is sent again.
REMINDER_EMAIL_RETRY_SECONDS = env_int("REMINDER_EMAIL_RETRY_SECONDS", 600)
# Reminder emails and text messages go out in Celery tasks of this many (one SMTP connection each), at most
# this many a second across every message worker sharing REDIS_URL (0: no limit).
REMINDER_MESSAGES_PER_TASK = env_int("REMINDER_MESSAGES_PER_TASK", 100)
REMINDER_EMAILS_PER_SECOND = env_int("REMINDER_EMAILS_PER_SECOND", 50)
REMINDER_SMS_PER_SECOND = env_int("REMINDER_SMS_PER_SECOND", 20)
# Reading evidence (reading/ocr.py), in the Celery worker: pictures are scaled down to READING_MAX_SIDE pixels on
# their long side before they are read, and one of more than READING_MAX_PIXELS is not decoded; a PDF is read up to
# READING_MAX_PDF_PAGES pages, within READING_TIME_BUDGET_SECONDS. An exhibit still waiting READING_RETRY_MINUTES
# after it was queued (the broker was down, a worker died) is queued again by the reading sweep, and is marked as
# not readable after READING_MAX_ATTEMPTS started readings. READING_THREADS > 0 caps onnxruntime's threads.
READING_MAX_SIDE = env_int("READING_MAX_SIDE", 2400)
READING_MAX_PIXELS = env_int("READING_MAX_PIXELS", 60_000_000)
READING_MAX_PDF_PAGES = env_int("READING_MAX_PDF_PAGES", 20)
READING_TIME_BUDGET_SECONDS = env_int("READING_TIME_BUDGET_SECONDS", 120)
READING_RETRY_MINUTES = env_int("READING_RETRY_MINUTES", 15)
READING_MAX_ATTEMPTS = env_int("READING_MAX_ATTEMPTS", 5)
READING_THREADS = env_int("READING_THREADS", 0)
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
# One queue per kind of work, each with workers of its own (Procfile), so that a backlog of one never delays
# another: the 09:00 reminders wait for no OCR and no PDF. The default queue takes the housekeeping (the purge of
# closed cases, forgetting old login failures); the documents workers serve it too.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {name: {} for name in ("sweep", "messages", "documents", "reading", "celery")}
CELERY_TASK_ROUTES = {
    "reminders.sweep_deadlines": {"queue": "sweep"},
    "reminders.send_messages": {"queue": "messages"},
    "documents.*": {"queue": "documents"},
    "reading.*": {"queue": "reading"},
}
# One periodic task per job, each every SWEEP_INTERVAL_SECONDS: the deadline
# sweep, the purge of old closed cases, forgetting day-old login failures, and
# queueing again the evidence left waiting to be read.
# Each expires rather than piling up while no worker runs: the next one catches up.
CELERY_BEAT_SCHEDULE = {
    name: {"task": task, "schedule": SWEEP_INTERVAL_SECONDS, "options": {"expires": SWEEP_INTERVAL_SECONDS}}
    for name, task in [
        ("sweep-deadlines", "reminders.sweep_deadlines"),
        ("purge-closed-cases", "reminders.purge_closed_cases"),
        ("forget-old-failures", "accounts.forget_old_failures"),
        ("sweep-readings", "reading.sweep_pending"),
    ]
}

# Logs never carry personal data: the formatter masks ID card numbers, mobile
# numbers and email addresses in every line, tracebacks included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "lib.logs.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
