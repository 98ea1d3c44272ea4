"""Bounded retries with exponential backoff around any provider.

Rate limits (429), server errors (5xx), timeouts and network failures are
retried; anything else fails at once.  The last failure is raised as it is: a
:class:`~.errors.ProviderError` whose message is fit for the chat.

>>> from .errors import RateLimited
>>> class Flaky:
...     label, model, calls = "flaky", "m", 0
...     def complete(self, request):
...         self.calls += 1
...         if self.calls < 3:
...             raise RateLimited("slow down")
...         return "ok"
>>> waits = []
>>> RetryingProvider(Flaky(), attempts=3, base_delay=1.0, sleep=waits.append).complete(None), waits
('ok', [1.0, 2.0])
"""

import time

from .base import Provider
from .errors import ProviderError, RateLimited


class RetryingProvider(Provider):
    """``inner`` tried up to ``attempts`` times; waits ``base_delay * 2**n`` (capped) in between."""

    def __init__(self, inner, *, attempts=3, base_delay=1.0, max_delay=20.0, sleep=time.sleep):
        self.inner = inner
        self.label = inner.label
        self.model = inner.model
        self.attempts = max(1, attempts)
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._sleep = sleep

    def _delay(self, attempt, error):
        if isinstance(error, RateLimited) and error.retry_after is not None:
            return min(error.retry_after, self.max_delay)
        return min(self.base_delay * 2**attempt, self.max_delay)

    def complete(self, request):
        for attempt in range(self.attempts):
            try:
                return self.inner.complete(request)
            except ProviderError as error:
                if not error.retryable or attempt == self.attempts - 1:
                    raise
                self._sleep(self._delay(attempt, error))
        raise AssertionError("unreachable: the last attempt returns or raises")
