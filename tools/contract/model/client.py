"""An httpx client whose every exchange the model checks: the runner's own requests (the
listing learned at the start, the projects seeded, the exploration) go through it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from tools.contract.model.checker import Checker
from tools.contract.model.exchange import Exchange

__all__ = ["BudgetExhaustedError", "Guard", "ModelClient", "RefusedError", "UnansweredError", "exchange_of"]


class BudgetExhaustedError(RuntimeError):
    """The model has sent as many requests as the run allows it."""


class UnansweredError(RuntimeError):
    """The service gave no answer (a reset connection, a timeout): the model's requests stop."""


class RefusedError(RuntimeError):
    """The guard refused a request of the model's; it was not sent."""


# Called with (method, url, headers) before a request goes out; raises RefusedError to refuse it.
Guard = Callable[[str, str, dict[str, str]], None]


def exchange_of(response: httpx.Response, origin: str) -> Exchange:
    request = response.request
    return Exchange.of(
        request.method,
        str(request.url),
        dict(request.headers.items()),
        request.content,
        response.status_code,
        dict(response.headers.items()),
        response.content,
        origin,
    )


class ModelClient:
    """Requests to the service under test, each one observed by the model (or, while the
    model learns the account, learned from)."""

    def __init__(
        self,
        checker: Checker,
        base_url: str,
        token: str,
        *,
        guard: Guard | None = None,
        interval: float = 0.0,
        budget: int = 0,
        after: Callable[[Exchange], None] | None = None,
    ) -> None:
        """`guard` vets each request before it goes out (a live run's write guard);
        `interval` is the least time between two requests (a live run's rate limit);
        `budget` caps the requests sent (0: no cap); `after` sees each exchange first (a
        live run records what it created)."""
        self.checker = checker
        self.guard = guard
        self.after = after
        self.redactor = checker.redactor
        self._revealed: dict[str, str] = {}  # label -> credential, in memory only
        self.interval = interval
        self.budget = budget
        self._last = 0.0
        self.sent: list[Exchange] = []
        self.token = token
        self.me = self.remember(token)  # the run's user, as the model knows them: by label
        self._user = {"Authorization": f"Bearer {token}"}
        self._client = httpx.Client(base_url=base_url, timeout=10)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ModelClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        as_user: bool = True,
        origin: str = "model",
        observe: bool = True,
        **kwargs: Any,
    ) -> Exchange:
        """One request, with the user token unless `as_user` is false (then only the
        headers given)."""
        headers = {**(self._user if as_user else {}), **kwargs.pop("headers", {})}
        request = self._client.build_request(method, path, headers=headers, **kwargs)
        if self.guard is not None:
            self.guard(request.method, str(request.url), dict(request.headers.items()))
        if self.budget and len(self.sent) >= self.budget:
            raise BudgetExhaustedError(f"the model's {self.budget} requests are spent")
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        try:
            raw = exchange_of(self._client.send(request), origin)
        except httpx.HTTPError as exc:
            line = f"{request.method} {request.url.raw_path.decode('ascii', 'replace')}"
            self.checker.unanswered(line, f"{type(exc).__name__}: {exc}")
            raise UnansweredError(f"{line} got no answer ({type(exc).__name__})") from exc
        self._remember_tokens(raw)
        if self.after is not None:
            self.after(raw)
        exchange = self.redactor.exchange(raw)  # the model sees labels, as in st's log
        self.sent.append(exchange)
        if observe:
            self.checker.observe(exchange)
        return exchange

    def remember(self, credential: str) -> str:
        """The label of a credential the client may be asked to send later."""
        label = self.redactor.label(credential)
        self._revealed[label] = credential
        return label

    def reveal(self, label: str) -> str | None:
        """The credential behind a label, if this client has held it (not one only st saw)."""
        return self._revealed.get(label)

    def _remember_tokens(self, exchange: Exchange) -> None:
        body = exchange.response_json()
        if isinstance(body, dict) and isinstance(body.get("token"), str):
            self.remember(body["token"])

    def walk(
        self, path: str, query: dict[str, Any], *, observe: bool = True, max_pages: int = 1000, user: str | None = None
    ) -> Iterator[Exchange]:
        """Every page of a listing, following `rel="next"`."""
        url: str | None = path
        params: dict[str, Any] | None = query
        for _ in range(max_pages):
            if url is None:
                return
            headers = {"Authorization": f"Bearer {self.reveal(user) if user else self.token}"}
            exchange = self.send("GET", url, params=params, observe=observe, as_user=False, headers=headers)
            yield exchange
            link = exchange.response_headers.get("link", "")
            url = link[1 : link.index(">")] if exchange.status == 200 and link.startswith("<") and ">" in link else None
            params = None

    def learn_account(self, path: str) -> int:
        """Learn the account as it is before the run: each user's whole listing, in full pages."""
        for user in self.checker.user_tokens:
            pages = list(self.walk(path, {"last": self.checker.account.page_maximum}, observe=False, user=user))
            self.checker.learn(pages, user)
        return len(self.checker.account.projects)
