"""At most N sends a second, shared by every process that reaches the same Redis.

Each second has a counter in Redis (``INCR``, gone two seconds later); a sender
past the limit waits for the next second. Several message workers on several
machines thus keep together to one rate, the one a mail relay or an SMS
provider allows. Without Redis (it cannot be reached, or none is given), the
count is this process's own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)


class RateLimit:
    """``wait()`` before each send: it returns at once while this second has room, else sleeps into the next."""

    def __init__(
        self,
        name: str,
        per_second: int,
        redis_url: str | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Any] = time.sleep,
    ) -> None:
        self.name = name
        self.per_second = per_second
        self.redis_url = redis_url
        self.clock = clock
        self.sleep = sleep
        self._client: Any = None
        self._window = -1
        self._local = 0

    def wait(self) -> None:
        if self.per_second <= 0:
            return  # no limit
        while True:
            now = self.clock()
            window = int(now)
            if self._count(window) <= self.per_second:
                return
            self.sleep(max(window + 1 - now, 0.001))

    def _count(self, window: int) -> int:
        """How many sends this second, this one included."""
        if self.redis_url:
            try:
                return self._shared_count(self.redis_url, window)
            except Exception:  # noqa: BLE001 - redis raises many kinds; the process counts alone then
                logger.warning("Rate limit %s: Redis cannot be reached; counting in this process", self.name)
                self.redis_url = None
        if window != self._window:
            self._window, self._local = window, 0
        self._local += 1
        return self._local

    def _shared_count(self, url: str, window: int) -> int:
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        key = f"ratelimit:{self.name}:{window}"
        pipeline = self._client.pipeline()
        pipeline.incr(key)
        pipeline.expire(key, 2)
        count, _expiry = pipeline.execute()
        return int(count)
