"""Fetching pages over HTTP(S): urllib3, redirects followed by hand, limits, one-line reasons.

urllib3 (thread-safe connection pools, streaming reads) carries the requests;
this module adds what reader needs around it:

- redirects followed here (at most 10), so each hop is checked (http/https only)
  and goes through the proxy the environment names for it (``http_proxy``,
  ``https_proxy``, ``all_proxy``, ``no_proxy``, read by the standard library);
- TLS verified against the system's certificates (urllib3's default; OpenSSL
  honours ``SSL_CERT_FILE``);
- a connect and read timeout, a deadline for the whole body, a size limit
  counted on the decoded bytes as they arrive (a 50 MB page or a gzip bomb is
  given up on, never held whole);
- every failure a :class:`FetchError` with one line saying why (no such host,
  connection refused, 404, 429 with its Retry-After, timed out, too large, …)
  and whether trying again later could help;
- :func:`fetch_all`: many addresses at once, at most ``connections`` in flight
  and ``per_host`` on one host.
"""

from __future__ import annotations

import email.utils
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)

from reader import __version__
from reader.core.urls import BadUrl, check_url

__all__ = ["FetchError", "Fetched", "Fetcher", "Limits", "fetch_all", "USER_AGENT"]

MB = 1024 * 1024
USER_AGENT = f"Mozilla/5.0 (compatible; reader/{__version__}; +terminal reader of saved articles)"
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.5,*/*;q=0.3"
_PIECE = 64 * 1024
_MAX_REDIRECTS = 10
_REDIRECTS = frozenset((301, 302, 303, 307, 308))
_STATUS_WORDS = {
    400: "bad request",
    401: "needs a login",
    402: "needs payment",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    406: "not acceptable",
    408: "request timeout",
    410: "gone",
    429: "too many requests",
    451: "unavailable for legal reasons",
    500: "server error",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway timeout",
}
_PERMANENT = frozenset((400, 404, 405, 406, 410, 451))


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much: the defaults suit articles on a slow link."""

    timeout: float = 20.0  # to connect, and between two pieces of the answer
    deadline: float = 120.0  # for the whole answer
    max_bytes: int = 50 * MB
    connections: int = 8
    per_host: int = 2


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str | None  # the Content-Type header as sent
    data: bytes


class FetchError(Exception):
    """A page that could not be fetched: ``reason`` is one line; ``retryable`` says whether
    trying later may work; ``retry_after`` is the server's wish, in seconds, when it said one."""

    def __init__(self, url: str, reason: str, *, retryable: bool = True, retry_after: float | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


class Fetcher:
    """One connection pool per proxy, shared by the threads of :func:`fetch_all`."""

    def __init__(self, limits: Limits | None = None, environ: dict[str, str] | None = None) -> None:
        self.limits = limits or Limits()
        self._proxies = (
            urllib.request.getproxies_environment() if environ is None else _proxies_from(environ)
        )
        self._managers: dict[str | None, urllib3.PoolManager] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            for manager in self._managers.values():
                manager.clear()
            self._managers.clear()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def fetch(self, url: str, stop: Callable[[], bool] | None = None) -> Fetched:
        """GET ``url`` following redirects; the body whole, or :class:`FetchError`."""
        try:
            current = check_url(url)
        except BadUrl as error:
            raise FetchError(url, str(error).removeprefix(f"{url}: "), retryable=False) from None
        started = time.monotonic()
        for _hop in range(_MAX_REDIRECTS + 1):
            response = self._request(url, current)
            finished = False
            try:
                if response.status in _REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(url, f"a redirect ({response.status}) to nowhere", retryable=False)
                    try:
                        current = check_url(urljoin(current, location.strip()))
                    except (BadUrl, ValueError) as error:
                        raise FetchError(url, f"redirected to a bad address ({error})", retryable=False) from None
                    continue
                if response.status >= 400:
                    raise _status_error(url, response.status, response.headers.get("Retry-After"))
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.limits.max_bytes:
                    raise _too_large(url, self.limits.max_bytes)
                data = self._body(url, response, started, stop)
                finished = True
                return Fetched(url, current, response.status, response.headers.get("Content-Type"), data)
            finally:
                _let_go(response, finished)
        raise FetchError(url, f"more than {_MAX_REDIRECTS} redirects", retryable=False)

    def _request(self, url: str, current: str) -> urllib3.BaseHTTPResponse:
        timeout = urllib3.Timeout(connect=self.limits.timeout, read=self.limits.timeout)
        host = urlsplit(current).hostname or ""
        try:
            return self._manager(current).request(
                "GET",
                current,
                headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"},
                redirect=False,
                retries=False,
                timeout=timeout,
                preload_content=False,
                decode_content=True,
            )
        except MaxRetryError as error:
            raise _network_error(url, host, error.reason or error, self.limits.timeout) from None
        except (HTTPError, OSError) as error:
            raise _network_error(url, host, error, self.limits.timeout) from None

    def _body(
        self, url: str, response: urllib3.BaseHTTPResponse, started: float, stop: Callable[[], bool] | None
    ) -> bytes:
        pieces: list[bytes] = []
        total = 0
        try:
            while True:
                piece = response.read1(_PIECE) if hasattr(response, "read1") else response.read(_PIECE)
                if not piece:
                    break
                total += len(piece)
                if total > self.limits.max_bytes:
                    raise _too_large(url, self.limits.max_bytes)
                pieces.append(piece)
                if time.monotonic() - started > self.limits.deadline:
                    raise FetchError(url, f"timed out (still arriving after {self.limits.deadline:g} s)")
                if stop is not None and stop():
                    raise FetchError(url, "stopped")
        except FetchError:
            raise
        except (HTTPError, OSError) as error:
            raise _network_error(url, urlsplit(url).hostname or "", error, self.limits.timeout) from None
        return b"".join(pieces)

    def _manager(self, url: str) -> urllib3.PoolManager:
        parts = urlsplit(url)
        proxy = None
        if not urllib.request.proxy_bypass_environment(parts.hostname or "", self._proxies):
            proxy = self._proxies.get(parts.scheme) or self._proxies.get("all")
        with self._lock:
            manager = self._managers.get(proxy)
            if manager is None:
                size = max(1, self.limits.per_host)
                if proxy:
                    manager = urllib3.ProxyManager(proxy, num_pools=64, maxsize=size)
                else:
                    manager = urllib3.PoolManager(num_pools=64, maxsize=size)
                self._managers[proxy] = manager
            return manager


def _let_go(response: urllib3.BaseHTTPResponse, finished: bool) -> None:
    """Give the connection back to its pool read to its end (a redirect's or an error's short body),
    or close it (a body left unread: a page too large, a fetch given up)."""
    length = response.headers.get("Content-Length")
    if not finished and not (length and length.isdigit() and int(length) <= _PIECE):
        response.close()
    else:
        try:
            response.drain_conn()
        except (HTTPError, OSError):
            response.close()
    response.release_conn()


def _proxies_from(environ: dict[str, str]) -> dict[str, str]:
    proxies: dict[str, str] = {}
    for name, value in environ.items():
        lower = name.lower()
        if value and lower.endswith("_proxy"):
            proxies[lower[: -len("_proxy")]] = value
    return proxies


def _too_large(url: str, limit: int) -> FetchError:
    size = f"{limit // MB} MB" if limit >= MB else f"{limit:,} bytes"
    return FetchError(url, f"too large (more than {size})", retryable=False)


def _status_error(url: str, status: int, retry_after: str | None) -> FetchError:
    words = _STATUS_WORDS.get(status, "server error" if status >= 500 else "refused by the server")
    reason = f"{words} ({status})"
    wait = _retry_after(retry_after) if status in (429, 503, 403) else None
    if wait is not None:
        reason += f", the server asks to retry after {_duration(wait)}"
    return FetchError(url, reason, retryable=status not in _PERMANENT, retry_after=wait)


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), 366 * 86400))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def _network_error(url: str, host: str, error: BaseException, timeout: float) -> FetchError:
    """A connection that failed, in words."""
    text = str(error)
    if isinstance(error, NameResolutionError) or "Name or service not known" in text or "getaddrinfo" in text:
        return FetchError(url, f"no such host: {host} (DNS lookup failed)")
    cause: BaseException | None = error
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ConnectionRefusedError) or "refused" in str(cause).lower():
            return FetchError(url, f"connection refused by {host}")
        if isinstance(cause, ConnectionResetError):
            return FetchError(url, f"the connection to {host} was reset")
        cause = cause.__cause__ or cause.__context__
    # urllib3 2: NewConnectionError is a ConnectTimeoutError; a refused connection is told above
    if isinstance(error, ConnectTimeoutError) and not isinstance(error, NewConnectionError):
        return FetchError(url, f"timed out connecting to {host} (after {timeout:g} s)")
    if isinstance(error, (ReadTimeoutError, TimeoutError)):
        return FetchError(url, f"timed out waiting for {host} (nothing for {timeout:g} s)")
    if isinstance(error, ProxyError):
        return FetchError(url, f"the proxy failed ({_cause(error)})")
    if isinstance(error, SSLError):
        return FetchError(url, f"a TLS error with {host} ({_cause(error)})")
    if isinstance(error, NewConnectionError):
        return FetchError(url, f"cannot connect to {host} ({_cause(error)})")
    if isinstance(error, ProtocolError):
        return FetchError(url, f"the connection to {host} broke ({_cause(error)})")
    return FetchError(url, f"cannot fetch from {host} ({_cause(error)})")


def _cause(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if ": " in text and text.startswith("<"):
        text = text.split(": ", 1)[1]
    return text[:120]


def fetch_all(
    urls: Iterable[str],
    fetcher: Fetcher,
    done: Callable[[str, Fetched | FetchError], None],
    stop: Callable[[], bool] | None = None,
) -> None:
    """Fetch every address, ``done(url, result)`` as each ends (from the fetching threads, one
    at a time); at most ``connections`` at once and ``per_host`` on one host."""
    limits = fetcher.limits
    hosts: dict[str, threading.BoundedSemaphore] = {}
    hosts_lock = threading.Lock()
    report = threading.Lock()

    def one(url: str) -> None:
        if stop is not None and stop():
            return
        host = (urlsplit(url).hostname or "").lower()
        with hosts_lock:
            gate = hosts.setdefault(host, threading.BoundedSemaphore(max(1, limits.per_host)))
        result: Fetched | FetchError
        with gate:
            try:
                result = fetcher.fetch(url, stop)
            except FetchError as error:
                result = error
            except Exception as error:  # noqa: BLE001 - one page must not stop the others
                result = FetchError(url, f"cannot fetch ({type(error).__name__}: {error})")
        with report:
            done(url, result)

    with ThreadPoolExecutor(max_workers=max(1, limits.connections), thread_name_prefix="fetch") as pool:
        for future in [pool.submit(one, url) for url in urls]:
            future.result()
