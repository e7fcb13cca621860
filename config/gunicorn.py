"""gunicorn settings: ``gunicorn -c config/gunicorn.py config.wsgi:application``.

The access log names the path but never the query string, where a search or a
mistyped link could carry someone's mobile or ID number; and every line of the
access and error logs is masked like the app's own (lib/logs.py), so a
password-reset, calendar, unsubscribe or snooze link never lands there usable.
"""

import os

from gunicorn.glogging import Logger

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Behind a proxy on the same host, trust its X-Forwarded-* headers (SECURE_PROXY_SSL_HEADER in settings).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


class RedactingLogger(Logger):
    """gunicorn's logger, each of its handlers masking what it writes (secret links, personal data)."""

    def setup(self, cfg):
        # Imported here: gunicorn reads this file before the project is on sys.path.
        from lib.logs import Redacting

        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not isinstance(handler.formatter, Redacting):
                    handler.setFormatter(Redacting(handler.formatter))


logger_class = RedactingLogger
