"""Fetch the VATSIM v3 feed over HTTP, politely and within bounds.

`FeedClient(url).fetch()` returns the body of the current snapshot, and
`check_for_new_snapshot(since)` says which snapshot is current without downloading it (a
conditional request for the first few KB; see its docstring). The configured URL
(`VATSTATS_FEED_URL`) is either a `status.json`, from which the data URLs are
discovered, or a data URL used as is; the simulator serves both. The client sends a
descriptive User-Agent, accepts gzip, applies a timeout to connecting, each read and
the whole download, refuses bodies over a size limit while they stream in, and turns
HTTP 429 into `FeedRateLimited` carrying the server's Retry-After.

`fetch_with_transceivers()` also fetches, at the same time, the transceivers feed beside the
snapshot (status.json's `data.transceivers`, else `transceivers-data.json` next to the data URL)
with a short timeout of its own: when that feed fails, the snapshot is still returned, with the
reason the transceivers are missing.

Parsing is not done here: the body goes to `core.feed.parse_snapshot`.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx
import orjson

from vatstats_assets.core.feed import peek_update_timestamp, update_timestamp_from_prefix
from vatstats_assets.core.transceivers import TransceiversFeed

DEFAULT_STATUS_URL = "https://status.vatsim.net/status.json"
FALLBACK_DATA_URL = "https://data.vatsim.net/v3/vatsim-data.json"
FEED_URL_SETTING = "VATSTATS_FEED_URL"
DEFAULT_USER_AGENT = "vatstats/0.1 (+https://github.com/vatstats/vatstats)"
DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024  # 8x the biggest event-day snapshot (~4 MB)

# The transceivers feed sits next to the v3 data feed; this is its name there.
TRANSCEIVERS_FILE = "transceivers-data.json"
# Fetched beside the data feed, it must never hold the tick up: a few seconds, then the snapshot is
# stored without it (the tick's own budget is the 15 s feed period).
DEFAULT_TRANSCEIVERS_TIMEOUT_S = 4.0
# About 1 MB at 4,000 pilots (one or two radios each); 16x that is still a bound.
DEFAULT_MAX_TRANSCEIVERS_BYTES = 16 * 1024 * 1024

# Without a usable Retry-After, wait a minute: four feed periods, long enough to stop
# adding to whatever load made the server refuse.
DEFAULT_RETRY_AFTER_S = 60.0

# status.json changes only when VATSIM moves its data servers; asking once every five
# minutes, not on every 15-second poll, is what VATSIM asks of feed consumers.
DEFAULT_DISCOVERY_TTL_S = 300.0

# How much of a body a snapshot check asks for. `general` ends about 200 bytes in; 2 KiB leaves
# room for whitespace and new fields and is still ~2 % of a compressed 600-pilot body.
CHECK_PREFIX_BYTES = 2048

_STATUS_MAX_BYTES = 1024 * 1024  # status.json is a few kB
_STATUS_SNIFF_MAX_BYTES = 256 * 1024  # a body this small might be a status document
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_OR_ZLIB_WBITS = zlib.MAX_WBITS | 32  # let zlib detect either header
_T = TypeVar("_T")


class FeedUnavailable(RuntimeError):
    """The feed could not be fetched: network error, timeout, HTTP error, oversized body."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class FeedRateLimited(FeedUnavailable):
    """The server answered HTTP 429; wait `retry_after_s` seconds before asking again."""

    def __init__(self, url: str, retry_after_s: float) -> None:
        super().__init__(
            f"{url} answered HTTP 429 Too Many Requests; retry after {retry_after_s:.0f} s",
            url=url,
        )
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class FetchedFeed:
    url: str  # the data URL that answered
    body: bytes  # decompressed JSON, as the feed wrote it
    fetched_at: datetime  # aware UTC, when the body had arrived
    compressed_bytes: int | None  # bytes on the wire when the body came gzip-compressed


@dataclass(frozen=True)
class Validators:
    """What a data URL said identifies its current body (ETag, Last-Modified), to ask "changed since?"."""

    url: str
    etag: str | None = None
    last_modified: str | None = None

    def headers_for(self, url: str) -> dict[str, str]:
        """The conditional headers for a request to `url`; none for another server's URL."""
        if url != self.url:
            return {}
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class SnapshotCheck:
    url: str  # the data URL that answered
    update_timestamp: datetime | None  # None: unchanged since the validators sent (HTTP 304)
    validators: Validators | None  # to send with the next check
    bytes_received: int  # body bytes on the wire, all requests of the check together

    @property
    def unchanged(self) -> bool:
        return self.update_timestamp is None


def validate_feed_url(url: object) -> str:
    """The URL, stripped, if it is an http(s) URL with a host; otherwise ValueError."""
    text = url.strip() if isinstance(url, str) else ""
    try:
        parts = urlsplit(text)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        usable = False
    if not usable:
        raise ValueError(
            f"{FEED_URL_SETTING} must be an http:// or https:// URL with a host name, "
            f"such as {DEFAULT_STATUS_URL}, not {url!r}."
        )
    return text


def parse_retry_after(value: str | None, now: datetime) -> float:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date."""
    if not value:
        return DEFAULT_RETRY_AFTER_S
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return DEFAULT_RETRY_AFTER_S
        if when.tzinfo is None:  # HTTP-dates are GMT by definition
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - now).total_seconds())
    return seconds if 0 <= seconds < float("inf") else DEFAULT_RETRY_AFTER_S


def is_status_url(url: str) -> bool:
    return urlsplit(url).path.rstrip("/").endswith("status.json")


class FeedClient:
    """One HTTP connection pool to the feed; use as a context manager, or call close()."""

    def __init__(
        self,
        feed_url: str = DEFAULT_STATUS_URL,
        *,
        timeout_s: float = 10.0,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        user_agent: str | None = None,
        transport: httpx.BaseTransport | None = None,
        discovery_ttl_s: float = DEFAULT_DISCOVERY_TTL_S,
        clock: Callable[[], datetime] | None = None,
        transceivers_timeout_s: float = DEFAULT_TRANSCEIVERS_TIMEOUT_S,
        max_transceivers_bytes: int = DEFAULT_MAX_TRANSCEIVERS_BYTES,
    ) -> None:
        self.feed_url = validate_feed_url(feed_url)
        if timeout_s <= 0:
            raise ValueError(f"The feed timeout must be positive, not {timeout_s!r} s.")
        if transceivers_timeout_s <= 0:
            raise ValueError(f"The transceivers timeout must be positive, not {transceivers_timeout_s!r} s.")
        self.transceivers_timeout_s = transceivers_timeout_s
        self.max_transceivers_bytes = max_transceivers_bytes
        if max_body_bytes <= 0:
            raise ValueError(f"The feed body limit must be positive, not {max_body_bytes!r} bytes.")
        self.timeout_s = timeout_s
        self.max_body_bytes = max_body_bytes
        self._discovery_ttl_s = discovery_ttl_s
        self._clock = clock or (lambda: datetime.now(UTC))
        self._feed_url_is_status = is_status_url(self.feed_url)
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=True,
            headers={
                "User-Agent": user_agent or DEFAULT_USER_AGENT,
                "Accept": "application/json",
                # Only gzip is asked for, so only gzip needs decoding.
                "Accept-Encoding": "gzip",
            },
        )

    # --- public API ---------------------------------------------------------------

    def data_urls(self) -> list[str]:
        """The data URLs to try, in order.

        A status URL is asked for its `data.v3` list (remembered for a few minutes);
        if that fails for the default status URL, the well-known v3 URL is used. A
        custom status URL that fails raises FeedUnavailable rather than silently
        reaching the live network. Any other URL is a data URL, used directly.
        """
        if not self._feed_url_is_status:
            return [self.feed_url]
        remembered = _discovered_urls.get(self.feed_url)
        if remembered:
            return list(remembered)
        try:
            status = self._download(self.feed_url, _STATUS_MAX_BYTES)
            urls = _status_data_urls(status.body, self.feed_url)
            transceivers = _status_urls(status.body, self.feed_url, "transceivers")
            _discovered_transceivers.put(self.feed_url, transceivers or (), self._discovery_ttl_s, keep_empty=True)
            if not urls:
                raise FeedUnavailable(
                    f"{self.feed_url} lists no v3 data URLs "
                    "(no usable 'data.v3' in the status document)",
                    url=self.feed_url,
                )
        except FeedRateLimited:
            raise
        except FeedUnavailable as failure:
            if self.feed_url == DEFAULT_STATUS_URL:
                return [FALLBACK_DATA_URL]
            raise FeedUnavailable(
                f"could not discover the feed's data URLs: {failure}", url=self.feed_url
            ) from failure
        _discovered_urls.put(self.feed_url, urls, self._discovery_ttl_s)
        return list(urls)

    def fetch(self, *, data_url: str | None = None) -> FetchedFeed:
        """The current snapshot's body from the first data URL that answers.

        `data_url`, a data URL already discovered (by the sensor's check), is fetched alone,
        without asking status.json. Raises FeedRateLimited on HTTP 429 at once (trying another
        server would only spread the load being complained about), and FeedUnavailable when
        none answers.
        """
        if data_url:
            return self._fetch_one(validate_feed_url(data_url))
        return self._from_data_urls(self._fetch_one)

    def fetch_with_transceivers(self, *, data_url: str | None = None) -> tuple[FetchedFeed, TransceiversFeed]:
        """The current snapshot, as fetch() returns it, and the transceivers feed fetched at the same time.

        The data feed fails as in fetch(). The transceivers feed never fails the call: when it is
        not offered, fails, is too big or takes longer than `transceivers_timeout_s`, it comes back
        as TransceiversFeed.not_received with one sentence saying why.
        """
        urls = [validate_feed_url(data_url)] if data_url else None
        if urls is None:
            urls = self._known_data_urls()
        transceivers_url, not_offered = self._transceivers_url(urls[0])
        pending = None
        if transceivers_url is not None:
            pending = _TRANSCEIVERS_FETCHER.submit(self._fetch_transceivers, transceivers_url)
        try:
            fetched = self._first_answer(urls, self._fetch_one)
        except FeedUnavailable as failure:
            if data_url is None and not isinstance(failure, FeedRateLimited):
                _discovered_urls.forget(self.feed_url)
            if pending is not None:
                pending.cancel()
            raise
        if pending is None:
            return fetched, TransceiversFeed.not_received(not_offered)
        # Bounded by the transceivers timeout, which started with the data feed's download.
        return fetched, pending.result()

    def check_for_new_snapshot(self, since: Validators | None = None) -> SnapshotCheck:
        """Which snapshot the feed serves now, learnt from a few KB instead of the whole body.

        One request: conditional on `since` (so an unchanged feed answers 304, no body) and for
        the first CHECK_PREFIX_BYTES of the plain JSON (Range, no gzip: a range of the
        compressed bytes could not be read on its own). `general.update_timestamp` is read from
        that prefix. A server that ignores Range sends the whole body: it is read only until the
        timestamp shows, then the connection is dropped. Only when the prefix does not say (a
        body that does not begin with `general`) is the whole body downloaded.

        Raises FeedRateLimited, FeedUnavailable and FeedFormatError as fetch() does.
        """
        return self._from_data_urls(lambda url: self._check(url, since))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> FeedClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- internals ----------------------------------------------------------------

    def _known_data_urls(self) -> list[str]:
        try:
            return self.data_urls()
        except FeedUnavailable as failure:
            if not isinstance(failure, FeedRateLimited):
                _discovered_urls.forget(self.feed_url)
            raise

    def _transceivers_url(self, data_url: str) -> tuple[str | None, str]:
        """Where the transceivers feed is, or None and why there is none.

        status.json's `data.transceivers` when it was asked (its first URL: a second would not fit
        the time the feed is given); otherwise the v3 file next to the data URL, as VATSIM and the
        simulator lay them out.
        """
        if self._feed_url_is_status:
            offered = _discovered_transceivers.get(self.feed_url)
            if offered is not None:
                if not offered:
                    return None, f"{self.feed_url} offers no transceivers feed (no 'data.transceivers' URL)"
                return offered[0], ""
        return urljoin(data_url, TRANSCEIVERS_FILE), ""

    def _fetch_transceivers(self, url: str) -> TransceiversFeed:
        try:
            download = self._download(url, self.max_transceivers_bytes, timeout_s=self.transceivers_timeout_s)
        except FeedUnavailable as failure:
            return TransceiversFeed.not_received(f"the transceivers feed could not be fetched: {failure}")
        except Exception as error:  # noqa: BLE001 - a tick must not be lost to its side feed, whatever broke
            return TransceiversFeed.not_received(
                f"the transceivers feed could not be fetched from {url}: {type(error).__name__}: {error}"
            )
        return TransceiversFeed.received(download.body)

    def _from_data_urls(self, attempt: Callable[[str], _T]) -> _T:
        try:
            return self._first_answer(self.data_urls(), attempt)
        except FeedUnavailable as failure:
            if not isinstance(failure, FeedRateLimited):
                # The remembered URLs may be the ones that moved: ask status.json again.
                _discovered_urls.forget(self.feed_url)
            raise

    def _first_answer(self, urls: list[str], attempt: Callable[[str], _T]) -> _T:
        """What `attempt` makes of the first URL that answers; 429 ends the search at once."""
        failures: list[str] = []
        for url in urls:
            try:
                return attempt(url)
            except FeedRateLimited:
                raise
            except FeedUnavailable as failure:
                failures.append(str(failure))
        if len(failures) == 1:
            raise FeedUnavailable(failures[0], url=urls[0])
        raise FeedUnavailable(
            f"none of the {len(failures)} feed data URLs answered: " + "; ".join(failures),
            url=self.feed_url,
        )

    def _fetch_one(self, url: str) -> FetchedFeed:
        download = self._download(url, self.max_body_bytes)
        if url == self.feed_url and not self._feed_url_is_status:
            # A configured URL not named status.json may still serve a status document.
            discovered = _status_data_urls(download.body, url)
            if discovered is not None:
                if not discovered:
                    raise FeedUnavailable(f"{url} lists no v3 data URLs", url=url)
                self._feed_url_is_status = True
                _discovered_urls.put(url, discovered, self._discovery_ttl_s)
                return self._first_answer(list(discovered), self._fetch_one)
        return FetchedFeed(url, download.body, self._clock(), download.compressed_bytes)

    def _check(self, url: str, since: Validators | None) -> SnapshotCheck:
        conditional = since.headers_for(url) if since else {}
        headers = {
            "Range": f"bytes=0-{CHECK_PREFIX_BYTES - 1}",
            "Accept-Encoding": "identity",
            **conditional,
        }
        deadline = time.monotonic() + self.timeout_s
        received = 0
        try:
            with self._http.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    if not conditional:
                        raise FeedUnavailable(f"{url} answered 304 Not Modified to a plain request", url=url)
                    return SnapshotCheck(url, None, _validators(url, response) or since, 0)
                if response.status_code != 416:  # 416: nothing to range over (an empty body)
                    _raise_for_status(response, url, self._clock())
                    found, received, whole = self._read_start(response, url, deadline)
                    if found is not None:
                        return SnapshotCheck(url, found, _validators(url, response), received)
                    if whole is not None and response.status_code == 200:
                        # The server ignored Range and the body ended within the prefix: it is all here.
                        return SnapshotCheck(url, peek_update_timestamp(whole), _validators(url, response), received)
        except httpx.TimeoutException as error:
            raise FeedUnavailable(
                f"{url} did not answer within {self.timeout_s:g} s ({type(error).__name__})", url=url
            ) from error
        except httpx.HTTPError as error:
            raise FeedUnavailable(f"could not fetch {url}: {_describe(error)}", url=url) from error
        # The start does not say: the whole body decides (and a status document is followed).
        fetched = self._fetch_one(url)
        full = fetched.compressed_bytes or len(fetched.body)
        return SnapshotCheck(fetched.url, peek_update_timestamp(fetched.body), None, received + full)

    def _read_start(
        self, response: httpx.Response, url: str, deadline: float
    ) -> tuple[datetime | None, int, bytes | None]:
        """(update_timestamp or None, bytes received, the whole body if it ended within the prefix).

        Reading stops as soon as the timestamp shows; leaving the response unread closes its
        connection, so a server that ignored Range stops sending.
        """
        encoding = response.headers.get("Content-Encoding", "").strip().lower()
        decompressor: Any = None
        start, received = b"", 0
        try:
            for chunk in response.iter_raw():
                if received == 0 and (encoding in ("gzip", "x-gzip") or chunk.startswith(_GZIP_MAGIC)):
                    decompressor = zlib.decompressobj(_GZIP_OR_ZLIB_WBITS)  # sent gzip regardless
                received += len(chunk)
                start += decompressor.decompress(chunk, CHECK_PREFIX_BYTES) if decompressor else chunk
                found = update_timestamp_from_prefix(start[:CHECK_PREFIX_BYTES])
                if found is not None or len(start) >= CHECK_PREFIX_BYTES:
                    return found, received, None
                if time.monotonic() > deadline:
                    raise FeedUnavailable(
                        f"{url} took longer than {self.timeout_s:g} s to send its first bytes", url=url
                    )
        except zlib.error:
            return None, received, None  # the whole body's download will say what is wrong
        if encoding not in ("", "identity", "gzip", "x-gzip"):
            return None, received, None
        return None, received, start

    def _download(self, url: str, limit: int, *, timeout_s: float | None = None) -> _Download:
        timeout = timeout_s or self.timeout_s
        deadline = time.monotonic() + timeout
        try:
            with self._http.stream("GET", url, timeout=timeout) as response:
                _raise_for_status(response, url, self._clock())
                declared = _content_length(response)
                if declared is not None and declared > limit:
                    raise _oversized(url, limit)
                raw = bytearray()
                for chunk in response.iter_raw():
                    raw += chunk
                    if len(raw) > limit:
                        raise _oversized(url, limit)
                    if time.monotonic() > deadline:
                        raise FeedUnavailable(f"{url} took longer than {timeout:g} s to send its body", url=url)
                encoding = response.headers.get("Content-Encoding", "").strip().lower()
        except httpx.TimeoutException as error:
            raise FeedUnavailable(
                f"{url} did not answer within {timeout:g} s ({type(error).__name__})",
                url=url,
            ) from error
        except httpx.HTTPError as error:
            raise FeedUnavailable(f"could not fetch {url}: {_describe(error)}", url=url) from error
        return _decode_body(bytes(raw), encoding, url, limit)


@dataclass(frozen=True)
class _Download:
    body: bytes
    compressed_bytes: int | None


def _validators(url: str, response: httpx.Response) -> Validators | None:
    etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    if not etag and not last_modified:
        return None
    return Validators(url, etag, last_modified)


def _raise_for_status(response: httpx.Response, url: str, now: datetime) -> None:
    status = response.status_code
    if status == 429:
        raise FeedRateLimited(url, parse_retry_after(response.headers.get("Retry-After"), now))
    if status >= 400:
        message = f"{url} answered HTTP {status} {response.reason_phrase}".rstrip()
        raise FeedUnavailable(message, url=url)


def _content_length(response: httpx.Response) -> int | None:
    try:
        return int(response.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


def _decode_body(raw: bytes, encoding: str, url: str, limit: int) -> _Download:
    """Undo gzip, within the size limit, so a small compressed bomb cannot fill memory."""
    # A static server may hand out a .json.gz without saying so: the magic bytes tell.
    compressed = encoding in ("gzip", "x-gzip") or (
        encoding in ("", "identity") and raw.startswith(_GZIP_MAGIC)
    )
    if not compressed:
        if encoding not in ("", "identity"):
            raise FeedUnavailable(
                f"{url} sent a body in unsupported encoding {encoding!r}", url=url
            )
        return _Download(raw, None)
    decompressor = zlib.decompressobj(_GZIP_OR_ZLIB_WBITS)
    try:
        body = decompressor.decompress(raw, limit + 1)
    except zlib.error as error:
        raise FeedUnavailable(
            f"{url} sent a gzip body that cannot be decompressed: {error}", url=url
        ) from None
    if len(body) > limit:
        raise _oversized(url, limit)
    if not decompressor.eof:
        raise FeedUnavailable(f"{url} sent a gzip body that ends early (truncated)", url=url)
    return _Download(body, len(raw))


def _oversized(url: str, limit: int) -> FeedUnavailable:
    return FeedUnavailable(f"{url} sent a body over the {limit:,}-byte limit", url=url)


def _describe(error: httpx.HTTPError) -> str:
    return str(error) or type(error).__name__


def _status_data_urls(body: bytes, status_url: str) -> tuple[str, ...] | None:
    """The v3 data URLs a status document lists, or None if the body is not one."""
    if len(body) > _STATUS_SNIFF_MAX_BYTES:
        return None
    try:
        document: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(document, Mapping) or "general" in document:
        return None
    return _status_urls(body, status_url, "v3", document)


def _status_urls(body: bytes, status_url: str, key: str, document: Any = None) -> tuple[str, ...] | None:
    """The http(s) URLs a status document lists under `data.<key>`, or None if it lists none there."""
    if document is None:
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
    data = document.get("data") if isinstance(document, Mapping) else None
    candidates = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(candidates, list):
        return None
    urls = []
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            url = urljoin(status_url, candidate.strip())  # tolerate relative paths
            if urlsplit(url).scheme in ("http", "https"):
                urls.append(url)
    return tuple(urls)


class _DiscoveredUrls:
    """status.json answers, remembered per status URL for a few minutes.

    Process-wide because callers build a client per poll; bounded by the number of
    status URLs configured, which is one or two.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, tuple[str, ...]]] = {}

    def get(self, status_url: str) -> tuple[str, ...] | None:
        with self._lock:
            entry = self._entries.get(status_url)
            if entry is None or entry[0] <= time.monotonic():
                self._entries.pop(status_url, None)
                return None
            return entry[1]

    def put(self, status_url: str, urls: tuple[str, ...], ttl_s: float, *, keep_empty: bool = False) -> None:
        if ttl_s <= 0 or not (urls or keep_empty):
            return
        with self._lock:
            self._entries[status_url] = (time.monotonic() + ttl_s, urls)

    def forget(self, status_url: str) -> None:
        with self._lock:
            self._entries.pop(status_url, None)


_discovered_urls = _DiscoveredUrls()
# status.json's transceivers URLs, remembered with its data URLs; () when it offers none.
_discovered_transceivers = _DiscoveredUrls()
# The transceivers feed is downloaded on a thread of its own while the data feed downloads.
_TRANSCEIVERS_FETCHER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vatstats-transceivers")
