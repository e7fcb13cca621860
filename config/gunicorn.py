"""gunicorn settings: ``gunicorn -c config/gunicorn.py config.wsgi:application``.

The access log names the path but never the query string, where a search or a
mistyped link could carry someone's mobile or ID number.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Behind a proxy on the same host, trust its X-Forwarded-* headers (SECURE_PROXY_SSL_HEADER in settings).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
