"""URLs of articles: checked, and reduced to a key that finds the same page twice.

``check_url`` says in one line why a text is not a web address reader can fetch
(only ``http`` and ``https``, with a host). ``url_key`` is what two addresses of
one page have in common: the scheme's case and ``http``/``https``, the host's case
and a trailing dot, the default port, the fragment, a trailing slash, the order of
the query's parameters and the tracking parameters (``utm_*``, ``fbclid``, …) do
not count. Plain Python (``urllib.parse``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

__all__ = ["BadUrl", "check_url", "url_key", "resolve", "TRACKING_PARAMETERS", "looks_like_url"]

# query parameters that say where a click came from, not which page it is
TRACKING_PARAMETERS = frozenset(
    "fbclid gclid gclsrc dclid gbraid wbraid msclkid yclid twclid ttclid li_fat_id igshid igsh mc_cid mc_eid "
    "_hsenc _hsmi hsctatracking mkt_tok oly_anon_id oly_enc_id vero_id vero_conv wickedid rb_clickid "
    "s_cid ncid cmpid spm __s _ga _gl ref_src ref_url".split()
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_URL = 8192
_SPACE = re.compile(r"\s")


class BadUrl(ValueError):
    """A text that is not a web address reader can fetch; the message is one line."""


def looks_like_url(text: str) -> bool:
    """Whether ``text`` (a clipboard, a line of input) reads as one http(s) address."""
    text = text.strip()
    if not text or len(text) > _MAX_URL or _SPACE.search(text):
        return False
    try:
        check_url(text)
    except BadUrl:
        return False
    return True


def check_url(text: str) -> str:
    """``text`` stripped, if it is an http(s) address with a host; else :class:`BadUrl`."""
    url = text.strip()
    shown = url if len(url) <= 80 else url[:79] + "…"
    if not url:
        raise BadUrl("an empty address")
    if len(url) > _MAX_URL:
        raise BadUrl(f"{shown}: an address longer than {_MAX_URL} characters")
    if _SPACE.search(url) or any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise BadUrl(f"{shown}: not a web address (it holds spaces or control characters)")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise BadUrl(f"{shown}: not a web address ({error})") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        if not parts.scheme:
            raise BadUrl(f"{shown}: not a web address (say http:// or https://)")
        raise BadUrl(f"{shown}: only http and https addresses can be fetched, not {parts.scheme}:")
    if not parts.hostname:
        raise BadUrl(f"{shown}: not a web address (no host)")
    if port == 0:
        raise BadUrl(f"{shown}: not a web address (port 0)")
    return url


def resolve(base: str, link: str) -> str | None:
    """``link`` (as written in a page at ``base``) made absolute; None unless it is http(s)."""
    link = link.strip()
    if not link:
        return None
    try:
        absolute = urljoin(base, link)
        return check_url(absolute)
    except (BadUrl, ValueError):
        return None


def url_key(url: str) -> str:
    """What two addresses of the same page share (see the module); ``url`` must pass :func:`check_url`."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    host = host.lower()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    path = parts.path or "/"
    while len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMETERS and not name.lower().startswith(_TRACKING_PREFIXES)
    ]
    query.sort()
    tail = f"?{urlencode(query)}" if query else ""
    return f"//{host}{path}{tail}"
