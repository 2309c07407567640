"""Adding articles: addresses fetched, pages read, duplicates recognised, files saved, failures queued.

``Adder.add_urls`` is what ``reader add URL…``, ``reader add --retry`` and the app's
"Add a URL" run; ``Adder.add_page`` saves a page the user already has (``reader add
FILE.html --url URL``, or a page on standard input). Each address ends as one
:class:`Outcome`: added, refreshed, already in the library, or failed with its
one-line reason (queued in the pending queue when trying later may help).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from reader.core.articles import ArticleMeta, content_type_of, file_stem, page_info, utc_now
from reader.core.formats import FORMATS, UnreadableDocument
from reader.core.urls import BadUrl, check_url, url_key
from reader.storage.articles import ArticlesFolder, Pending
from reader.storage.fetch import Fetched, FetchError, Fetcher, Limits, fetch_all

__all__ = ["Adder", "Outcome", "ADDED", "REFRESHED", "DUPLICATE", "FAILED", "WAITING"]

ADDED = "added"
REFRESHED = "refreshed"
DUPLICATE = "already in the library"
FAILED = "failed"
WAITING = "waiting"

# media types saved as a file of the format that reads them (when reader has that format)
_SUFFIXES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/epub+zip": ".epub",
}
_NAMES = {"application/pdf": "a PDF", "application/epub+zip": "an EPUB book"}


@dataclass(frozen=True, slots=True)
class Outcome:
    url: str
    status: str  # ADDED, REFRESHED, DUPLICATE, FAILED, WAITING
    path: Path | None = None
    title: str = ""
    reason: str = ""
    queued: bool = False
    retry_after: float | None = None  # seconds, when the server said

    @property
    def ok(self) -> bool:
        return self.status in (ADDED, REFRESHED, DUPLICATE)


class Adder:
    def __init__(self, folder: ArticlesFolder, limits: Limits | None = None) -> None:
        self.folder = folder
        self.limits = limits or Limits()
        self._lock = threading.Lock()

    def add_urls(
        self,
        urls: Iterable[str],
        *,
        refresh: bool = False,
        done: Callable[[Outcome], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> list[Outcome]:
        """Fetch and save each address (duplicates in the library or in ``urls`` are not fetched)."""
        outcomes: list[Outcome] = []
        to_fetch: list[str] = []
        seen: set[str] = set()

        def report(outcome: Outcome) -> None:
            outcomes.append(outcome)
            if done is not None:
                done(outcome)

        for raw in urls:
            try:
                url = check_url(raw)
            except BadUrl as error:
                report(Outcome(raw, FAILED, reason=str(error)))
                continue
            key = url_key(url)
            if key in seen:
                continue
            seen.add(key)
            known = self.folder.find({key})
            if known is not None and not refresh:
                report(Outcome(url, DUPLICATE, self.folder.path_of(known), known.title))
                continue
            to_fetch.append(url)
        if not to_fetch:
            self._update_queue(outcomes)
            return outcomes

        def fetched(url: str, result: Fetched | FetchError) -> None:
            report(self._settle(url, result, refresh))

        with Fetcher(self.limits) as fetcher:
            fetch_all(to_fetch, fetcher, fetched, stop)
        self._update_queue(outcomes)
        return outcomes

    def retry(
        self, *, done: Callable[[Outcome], None] | None = None, stop: Callable[[], bool] | None = None
    ) -> tuple[list[Outcome], list[Outcome]]:
        """Work through the pending queue: (outcomes of those fetched, those still waiting for their time)."""
        now = datetime.now(timezone.utc)
        due, waiting = [], []
        for item in self.folder.pending():
            if item.not_before and _parse_time(item.not_before) > now:
                waiting.append(Outcome(item.url, WAITING, reason=f"the server asked to wait until {item.not_before}", queued=True))
            else:
                due.append(item.url)
        return self.add_urls(due, done=done, stop=stop), waiting

    def add_page(self, data: bytes, url: str, *, refresh: bool = False, content_type: str | None = None) -> Outcome:
        """Save a page the user already has (saved from a browser) as fetched from ``url``."""
        try:
            url = check_url(url)
        except BadUrl as error:
            return Outcome(url, FAILED, reason=str(error))
        if len(data) > self.limits.max_bytes:
            return Outcome(url, FAILED, reason=f"too large (more than {self.limits.max_bytes // (1024 * 1024)} MB)")
        known = self.folder.find({url_key(url)})
        if known is not None and not refresh:
            return Outcome(url, DUPLICATE, self.folder.path_of(known), known.title)
        outcome = self._settle(url, Fetched(url, url, 200, content_type or "text/html", data), refresh)
        self._update_queue([outcome])
        return outcome

    def _settle(self, url: str, result: Fetched | FetchError, refresh: bool) -> Outcome:
        """What becomes of one fetch: saved, a duplicate found by its final or canonical address, or a reason."""
        if isinstance(result, FetchError):
            return Outcome(url, FAILED, reason=result.reason, queued=result.retryable, retry_after=result.retry_after)
        media = content_type_of(result.data, result.content_type)
        suffix = _SUFFIXES.get(media)
        if suffix is None or suffix not in FORMATS:
            if media in _NAMES:
                return Outcome(url, FAILED, reason=f"not HTML: {_NAMES[media]} ({media}), which reader cannot read yet")
            return Outcome(url, FAILED, reason=f"not HTML: {media} is not a format reader reads")
        try:
            info = page_info(result.data, result.final_url) if suffix == ".html" else _plain_info(result, suffix)
        except UnreadableDocument as error:
            return Outcome(url, FAILED, reason=f"cannot read the page ({error.reason})")
        meta = ArticleMeta(
            url=url,
            final_url=result.final_url,
            canonical_url=info.canonical_url,
            fetched=utc_now(),
            title=info.title,
            content_type=media,
        )
        with self._lock:
            known = self.folder.find(meta.keys())
            if known is not None and not refresh:
                return Outcome(url, DUPLICATE, self.folder.path_of(known), known.title)
            if known is not None:
                path = self.folder.replace(known, result.data, meta)
                return Outcome(url, REFRESHED, path, info.title)
            path = self.folder.save(result.data, meta, file_stem(info.title, meta.fetched, meta.final_url), suffix)
            _imported(self.folder, meta, path)
        return Outcome(url, ADDED, path, info.title)

    def _update_queue(self, outcomes: list[Outcome]) -> None:
        """Failures that may work later join the queue; what worked (or never will) leaves it."""
        if not outcomes:
            return
        with self._lock, self.folder.queue_lock:  # another run may change the queue meanwhile
            queue = {url_key(item.url): item for item in self._queue_or_empty()}
            now = utc_now()
            for outcome in outcomes:
                try:
                    key = url_key(outcome.url)
                except ValueError:
                    continue
                if outcome.status == FAILED and outcome.queued:
                    before = queue.get(key)
                    queue[key] = Pending(
                        url=outcome.url,
                        reason=outcome.reason,
                        failed=now,
                        attempts=(before.attempts + 1) if before else 1,
                        not_before=_wait_until(outcome),
                    )
                elif outcome.status != WAITING:
                    queue.pop(key, None)
            self.folder.set_pending(list(queue.values()))

    def _queue_or_empty(self) -> list[Pending]:
        try:
            return self.folder.pending()
        except OSError:
            return []  # a queue that cannot be read is replaced by what is known now


def _imported(folder: ArticlesFolder, meta: ArticleMeta, path: Path) -> None:
    """What an import knew of this address (tags, state, dates, highlights), applied now it is here."""
    from dataclasses import replace

    from reader.storage.importing import arrived

    try:
        arrived(folder, replace(meta, file=path.name), path)
    except Exception:  # noqa: BLE001 - the article is saved; what the import knew stays in imported.jsonl
        pass


def _wait_until(outcome: Outcome) -> str | None:
    if outcome.retry_after is None:
        return None
    when = datetime.now(timezone.utc) + timedelta(seconds=outcome.retry_after)
    return when.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _plain_info(result: Fetched, suffix: str):  # type: ignore[no-untyped-def]
    from reader.core.articles import PageInfo
    from reader.core.formats import parse_bytes

    document = parse_bytes(result.data, Path(f"page{suffix}"), FORMATS[suffix])
    return PageInfo(document.title, None, document.words)
