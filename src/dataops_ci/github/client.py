"""A small GitHub REST client on httpx: issue comments, pull requests, the token's identity.

Reads `GITHUB_API_URL` (GitHub Enterprise Server works: `https://ghe.example/api/v3`), `GITHUB_REPOSITORY`,
`GITHUB_EVENT_PATH` and the token (`GITHUB_TOKEN`, or the variable named by `--token-env`).

Waiting: a 403/429 with `Retry-After` or an exhausted `x-ratelimit-remaining`/`x-ratelimit-reset` is waited
out, and a 5xx or a network error is retried with backoff. Everything a client does (requests, waits and
retries) shares one budget of wall time (`retry_cap_s`, default 120 s): each attempt's timeout is what is
left of it, a response still arriving when it runs out is cut off (a server that trickles one byte at a
time cannot hold a run), and a wait that would exceed it is not started: the client raises GitHubError.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from dataops_ci import __version__

API_VERSION = "2022-11-28"
DEFAULT_RETRY_CAP_S = 120.0
MAX_COMMENT_CHARS = 65_536
# GitHub's advice when a rate-limited response carries no header saying how long: wait at least a minute.
DEFAULT_RATE_LIMIT_WAIT_S = 60.0
FIRST_BACKOFF_S = 0.5
# A GitHub answer this client reads is a page of comments or events: far below this. Bounds memory.
MAX_RESPONSE_BYTES = 32 << 20
INTEGRATION_FORBIDDEN = "Resource not accessible by integration"
# Worth another try: the network or the server hiccuped. A bad URL or protocol is not.
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class GitHubError(Exception):
    """GitHub did not do what we asked; the message says what happened."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ForbiddenError(GitHubError):
    """403 that is not a rate limit: the token may not do this (e.g. the read-only token of a fork PR)."""


class NotFoundError(GitHubError):
    """404: the thing (or, for a token without access, the repository) does not exist."""


def _message(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return response.text[:200]
    if not isinstance(payload, dict):
        return ""
    details = [e.get("message") for e in payload.get("errors") or [] if isinstance(e, dict)]
    return "; ".join(str(part) for part in [payload.get("message", ""), *details] if part)


def rate_limit_wait(response: httpx.Response, now: float) -> float | None:
    """Seconds GitHub asks us to wait before retrying, or None if this is not a rate limit."""
    if response.status_code not in (403, 429):
        return None
    retry_after = response.headers.get("retry-after")
    if retry_after and retry_after.strip().isdigit():
        return float(retry_after)
    reset = response.headers.get("x-ratelimit-reset")
    if response.headers.get("x-ratelimit-remaining") == "0" and reset and reset.isdigit():
        return max(float(reset) - now, 1.0)
    if response.status_code == 429 or "rate limit" in _message(response).lower():
        return DEFAULT_RATE_LIMIT_WAIT_S
    return None


class GitHubClient:
    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        retry_cap_s: float = DEFAULT_RETRY_CAP_S,
        timeout_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.retry_cap_s = retry_cap_s
        self.timeout_s = timeout_s
        self.waited_s = 0.0  # of which sleeping before a retry
        self.spent_s = 0.0  # wall time inside request(), waits included
        self._sleep = sleep
        self._log = log or (lambda _: None)
        self._http = httpx.Client(
            timeout=timeout_s,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"dataops-ci/{__version__}",
            },
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- transport -------------------------------------------------------------------------------------
    def _url(self, path_or_url: str) -> str:
        if not path_or_url.startswith(("http://", "https://")):
            return f"{self.api_url}/{path_or_url.lstrip('/')}"
        # Only ever send the token to the API host we were given (Link headers are followed as-is).
        if urlsplit(path_or_url)[:2] != urlsplit(self.api_url)[:2]:
            raise GitHubError(f"refusing to follow a link to another host: {path_or_url}")
        return path_or_url

    def _spend(self, seconds: float, why: str, started: float) -> None:
        if self.spent_s + (time.monotonic() - started) + seconds > self.retry_cap_s:
            raise GitHubError(
                f"{why}; giving up (waiting {seconds:.0f}s more would exceed the {self.retry_cap_s:.0f}s cap)"
            )
        self._log(f"dataops-ci: {why}; retrying in {seconds:.1f}s")
        self._sleep(seconds)
        self.waited_s += seconds

    def request(self, method: str, path_or_url: str, **kwargs: Any) -> httpx.Response:
        started = time.monotonic()
        try:
            return self._attempts(method, self._url(path_or_url), started, **kwargs)
        finally:
            self.spent_s += time.monotonic() - started

    def _remaining(self, started: float) -> float:
        return self.retry_cap_s - self.spent_s - (time.monotonic() - started)

    def _attempts(self, method: str, url: str, started: float, **kwargs: Any) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            remaining = self._remaining(started)
            if remaining <= 0:
                raise GitHubError(f"{method} {url}: the {self.retry_cap_s:.0f}s cap on GitHub calls is spent")
            try:
                response = self._bounded(method, url, remaining, **kwargs)
            except RETRYABLE_ERRORS as exc:
                self._spend(FIRST_BACKOFF_S * 2 ** (attempt - 1), f"{method} {url} failed: {exc!r}", started)
                continue
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise GitHubError(f"{method} {url} failed: {exc!r}") from None
            wait = rate_limit_wait(response, time.time())
            if wait is not None:
                self._spend(wait, f"GitHub rate limit ({response.status_code}) on {method} {url}", started)
            elif response.status_code >= 500:
                backoff = FIRST_BACKOFF_S * 2 ** (attempt - 1)
                self._spend(backoff, f"GitHub answered {response.status_code} to {method} {url}", started)
            else:
                return _raise_for_status(response, method, url)

    def _bounded(self, method: str, url: str, seconds: float, **kwargs: Any) -> httpx.Response:
        """One attempt that takes at most `seconds` of wall time, however slowly the answer arrives: at
        the deadline a timer closes the connection under the reader."""
        timeout = httpx.Timeout(min(self.timeout_s, seconds))
        with self._http.stream(method, url, timeout=timeout, **kwargs) as streamed:
            timer = threading.Timer(seconds, streamed.close)
            timer.start()
            try:
                body = self._read_body(streamed, method, url)
            except (httpx.HTTPError, OSError, RuntimeError) as exc:
                if not timer.is_alive():  # the timer fired: the budget, not the network, ended it
                    raise GitHubError(
                        f"{method} {url}: the answer was still arriving after {seconds:.0f}s, the rest of "
                        f"the {self.retry_cap_s:.0f}s cap on GitHub calls; giving up"
                    ) from None
                raise exc
            finally:
                timer.cancel()
        return httpx.Response(
            streamed.status_code, headers=streamed.headers, content=body, request=streamed.request
        )

    @staticmethod
    def _read_body(streamed: httpx.Response, method: str, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in streamed.iter_raw():
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise GitHubError(
                    f"{method} {url}: the answer is over {MAX_RESPONSE_BYTES:,} bytes; giving up"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def paginate(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a list endpoint, following `Link: rel="next"` through all pages."""
        url: str | None = path
        query: Mapping[str, Any] | None = {"per_page": 100, **(params or {})}
        while url:
            response = self.request("GET", url, params=query)
            items = _json(response)
            if not isinstance(items, list):
                raise GitHubError(f"GET {url}: expected a list, got {type(items).__name__}")
            yield from (item for item in items if isinstance(item, dict))
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries its own query

    # -- endpoints -------------------------------------------------------------------------------------
    def viewer_login(self) -> str | None:
        """The token's login, or None when the token cannot say (GitHub App installation tokens get 403)."""
        try:
            login = _object(self.request("GET", "/user")).get("login")
        except ForbiddenError:
            return None
        return login if isinstance(login, str) else None

    def list_issue_comments(self, repo: str, number: int) -> list[dict[str, Any]]:
        return list(self.paginate(f"/repos/{repo}/issues/{number}/comments"))

    def create_issue_comment(self, repo: str, number: int, body: str) -> dict[str, Any]:
        return _object(self.request("POST", f"/repos/{repo}/issues/{number}/comments", json={"body": body}))

    def update_issue_comment(self, repo: str, comment_id: int, body: str) -> dict[str, Any]:
        path = f"/repos/{repo}/issues/comments/{comment_id}"
        return _object(self.request("PATCH", path, json={"body": body}))

    def delete_issue_comment(self, repo: str, comment_id: int) -> None:
        # A 404 means it is already gone: a concurrent run deleted it first.
        with contextlib.suppress(NotFoundError):
            self.request("DELETE", f"/repos/{repo}/issues/comments/{comment_id}")

    def get_pull(self, repo: str, number: int) -> dict[str, Any]:
        return _object(self.request("GET", f"/repos/{repo}/pulls/{number}"))

    def issue_events(self, repo: str, number: int) -> list[dict[str, Any]]:
        return list(self.paginate(f"/repos/{repo}/issues/{number}/events"))


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise GitHubError(f"{response.request.method} {response.url}: the answer is not JSON") from None


def _object(response: httpx.Response) -> dict[str, Any]:
    payload = _json(response)
    if not isinstance(payload, dict):
        raise GitHubError(f"{response.request.method} {response.url}: expected an object")
    return payload


def _raise_for_status(response: httpx.Response, method: str, url: str) -> httpx.Response:
    status = response.status_code
    if status < 400:
        return response
    message = f"{method} {url}: {status} {_message(response)}".rstrip()
    if status == 403:
        raise ForbiddenError(message, status)
    if status == 404:
        raise NotFoundError(message, status)
    raise GitHubError(message, status)
