"""Loaded with ``-p tests.envdefaults`` before Django's settings are read.

The suite runs with production-like settings (DEBUG off), so it needs a secret
key of its own; everything else comes from the environment as usual.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")
# The test client speaks plain HTTP; HTTPS redirection is tested with its own settings.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Text messages go to files the tests read back (tests/conftest.py points them at a temporary directory).
os.environ.setdefault("SMS_BACKEND", "lib.sms.backends.FileBackend")
