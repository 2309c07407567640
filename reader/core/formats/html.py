"""HTML: saved web pages and HTML documentation, reduced to the article.

- metadata: the title is ``og:title`` or ``<title>`` less a " | Site" suffix,
  else the first ``<h1>``; the source is the author (meta tags or a byline
  element), else ``og:site_name``; the date is the published time (meta tags or
  a ``<time>`` in the article), shortened to YYYY-MM-DD;
- site chrome is dropped: scripts and styles, navigation, page headers and
  footers, asides, forms, hidden elements, and elements whose class or id names
  boilerplate (menu, sidebar, share, cookie, ...) — but never ``body``,
  ``main``, ``article``, an element holding them or half the page's text, nor
  a sidebar box that reads as prose; a BEM modifier ("section--ads") is not
  read; if nothing is left, the page is read again without the class rules,
  then with its ``<noscript>`` content;
- the root is the ``<article>`` holding the ``h1`` or the article body (else the
  largest), else ``<main>`` (or a Sphinx body), else the one element marked
  ``itemprop=articleBody``, else the innermost container holding most of the
  text outside links (not going down into a sidebar or thread kept for its
  prose when the story beside it has a fifth of its text);
- on an article page the root is pruned (captions, figures, bylines, author
  boxes, sidebars, blocks of links), its lead is taken from just before it
  when the page sets it there (an intro, a standfirst), and its lines are
  judged one by one: the site's lines (``boilerplate``) and lines mostly of
  links go;
- the root is walked in document order, with an explicit stack so that deep
  nesting is safe, into headings, paragraphs, list items, quotes, code, table
  rows (cells joined by " · ") and rules, with strong/em/code/link marks; soft
  hyphens are dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from reader.core.document import BlockKind, DocumentBuilder, Mark
from reader.core.formats.boilerplate import is_boilerplate, trailing_headings
from reader.core.dates import iso_date, iso_date_in
from reader.core.formats.encoding import clean_text

__all__ = ["add_html_blocks", "parse_html"]

_ALWAYS_DROP = (
    "script, style, noscript, template, svg, iframe, object, embed, canvas, button, select, "
    "input, textarea, label, option, datalist, map, audio, video"
)
_DROP_BUT_NOSCRIPT = _ALWAYS_DROP.replace(" noscript,", "")
_CHROME_TAGS = frozenset("nav header footer aside form menu dialog".split())
_CHROME_ROLES = frozenset("navigation banner contentinfo complementary search dialog alertdialog menu menubar".split())
_PROTECTED = "article, main, [role=main], div.body, [itemprop=articleBody]"
_MAIN = ("main", "[role=main]", "div.body", "[itemprop=articleBody]", "div.document")
# parts of a class or id ("top-ad", "related_posts") that mark boilerplate; the
# prefixes and suffixes also when glued on ("navbar", "docnav", "cnn_sharebar1").
_CHROME_PARTS = frozenset(
    "nav navbar navigation menu breadcrumb breadcrumbs footer share sharing social comment comments "
    "related cookie cookies consent gdpr banner ad ads advert adverts advertisement advertising promo "
    "sponsored subscribe subscription newsletter skip skiplink skiplinks toc masthead popup modal "
    "slideshow carousel gallery headerlink recirc popular trending recommended outbrain taboola "
    "sr-only visually-hidden screen-reader-text".split()
)
_CHROME_PREFIX = ("nav", "menu", "footer", "breadcrumb", "cookie", "newsletter", "sharebar", "sharetool", "social")
_CHROME_SUFFIX = ("nav", "menu", "footer")
# a class part that says a state ("has-sidebar", "modal-enabled", "and-w-sidebar"): not the thing
_STATE_WORDS = frozenset(
    "has with w no is show hide enable enabled disable disabled without open closed active inactive "
    "loaded visible".split()
)
_PARTS = re.compile(r"[-_]+")
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# inside the article: what may be dropped (blocks mostly of links, captions), what never is
_PRUNABLE = frozenset("div section ul ol dl p aside span table center font".split())
_KEEP_INSIDE = frozenset("pre code blockquote h1 h2 h3 h4 h5 h6".split())
_INSIDE_PARTS = frozenset("caption credit credits byline dateline buybox cta sharedaddy".split())
_AUTHOR = frozenset("author authors autor autoren".split())
_AUTHOR_BOX = frozenset("box bio info description desc about details profile card wrap".split())
_AUTHOR_BOX_GLUED = ("authorbox", "authorbio", "authorinfo", "aboutauthor", "about-author", "about_author")
_LINK_DENSE = 0.5  # share of a block's text in links that makes it a block of links
_LEAD_PARTS = frozenset("lead leader intro introtext einleitung vorspann chapo chapeau sommario standfirst "
                        "subheadline bajada excerpt teaser dek deck".split())
_LEAD_GLUED = ("intro", "einleitung", "vorspann", "chapo", "standfirst", "subheadline", "bajada", "sommario")
_LEAD_CLIMB = 4  # ancestors of the root whose earlier siblings may hold the lead
_LEAD_SIBLINGS = 4  # earlier siblings looked at, on each level
_LEAD_MIN, _LEAD_MAX = 30, 1000  # a lead's length (characters)
_KICKER = 40  # a line above the article's title at most this long is a kicker or a section name
_LINK_BLOCK = 0.8  # share of a line of the article in links that makes it a link (a teaser, a menu item)
_PROSE_PAGE = 0.6  # share of the article's text outside links for its blocks of links to be dropped
_LISTS = frozenset("ul ol dir menu".split())
_BLOCKS = _HEADINGS | _LISTS | frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form header hgroup hr html legend li main nav p pre section summary table tbody tfoot "
    "thead td th tr".split()
)
_CONTAINERS = frozenset("div section article main td tbody table tr center span font".split())
_INNER_BLOCKS = "p, div, br, h1, h2, h3, h4, h5, h6, ul, ol, dl, pre, table, blockquote, section"
_ROW_BLOCKS = "p, div, ul, ol, table, pre, blockquote, h1, h2, h3, h4, h5, h6, dl, section"
_MARKS = dict.fromkeys(("b", "strong"), "strong") | dict.fromkeys(("i", "em", "cite"), "em")
_MARKS |= dict.fromkeys(("code", "kbd", "samp", "tt"), "code") | {"a": "link"}
_SKIP_NODES = frozenset("-comment head meta link base img picture source".split())
_CELL = " · "
_NEVER_SITE = frozenset((BlockKind.CODE, BlockKind.RULE))
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||—|–|-|::|·|»)\s+")
_STRONG_SEPARATORS = frozenset("| :: · »".split())  # a dash may begin a subtitle; these end a title
_SECTIONS = frozenset(
    "opinion analysis review editorial commentary comment column essay interview exclusive live breaking "
    "video watch listen podcast explainer meinung kommentar analyse opinión opinião tribune".split()
)
_DOCS_SUFFIX = re.compile(r"\b(?:documentation|docs|manual|handbook|wiki)\s*$", re.IGNORECASE)
_DOMAIN = re.compile(r"\b[\w-]+\.(?:com|org|net|de|fr|at|ch|uk|io|info|es|it|pl|ru|cn|jp)\b", re.IGNORECASE)
_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8}\d?);", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ]\d|\s*$)")
_BY = re.compile(r"^(?:by|von|par|por|door)\s+", re.IGNORECASE)
_ARTICLE_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:\w*Article|BlogPosting|Report)"')
_DOCS_GENERATOR = re.compile(r"docutils|sphinx|docbook|mkdocs|docusaurus|gitbook|vuepress|doxygen|javadoc", re.I)
_DOCS_ROOTS = "div.body, div.document, div.sphinxsidebar, div.navheader, div.toc"
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_DATE_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "date",
    "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
)
_DEDUPE_MIN = 50  # shorter paragraphs ("Note", "Yes") may repeat
_MAX_LEVEL = 8  # list nesting shown, at most
_MAX_CLIMB = 100  # ancestors looked at, at most
_PARAGRAPHS_MIN = 400  # paragraph text (characters) enough to tell where the article is


def parse_html(text: str, builder: DocumentBuilder) -> None:
    """Fill ``builder`` with the title, byline and main text of an HTML page."""
    tree = LexborHTMLParser(text)
    meta = _read_metadata(tree, builder)
    article = _is_article(tree, meta)
    builder.add(BlockKind.TITLE, builder.title)
    if builder.source or builder.date:
        builder.add(BlockKind.BYLINE, " · ".join(p for p in (builder.source, builder.date) if p))
    # everything looked like chrome: read it again without the class rules, then with what
    # the page shows to readers without scripts (a page that fills itself in by script)
    for strict, drop in ((True, _ALWAYS_DROP), (False, _ALWAYS_DROP), (False, _DROP_BUT_NOSCRIPT)):
        if not strict:
            tree = LexborHTMLParser(text)
        body = tree.body
        if body is None:
            return
        for node in tree.css(drop):
            node.decompose()
        _drop_chrome(body, strict)
        root = _choose_root(body, article)
        story = article or root.tag == "article"
        if story:  # documentation keeps its tables of links and captions
            _prune(root)
        lead = _lead(root) if story else None
        if _Walker(builder, story).walk(*(node for node in (lead, root) if node is not None)):
            return


def add_html_blocks(root: LexborNode, builder: DocumentBuilder) -> int:
    """Add the blocks under ``root`` to ``builder`` as a page's article is added, with no
    title block, no chrome dropped and no root chosen (an e-book's chapter); scripts, styles
    and the like are dropped first. Returns how many blocks were added."""
    for node in root.css(_ALWAYS_DROP):
        node.decompose()
    return _Walker(builder).walk(root)


# -- metadata ------------------------------------------------------------------


def _read_metadata(tree: LexborHTMLParser, builder: DocumentBuilder) -> dict[str, str]:
    meta: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip().lower()
        value = _collapse(attrs.get("content") or "")
        if key and value:
            meta.setdefault(key, value)
    scope = tree.css_first("article") or tree.css_first("main, [role=main]") or tree.body
    # character references (&#x1b;, &#7;) can name controls that the raw text had not
    builder.title = _collapse(clean_text(_title(tree, meta)))[:300]
    builder.source = _collapse(clean_text(_source(tree, scope, meta)))[:200]
    builder.date = _collapse(clean_text(_date(scope, meta)))
    builder.sort_date = iso_date(builder.date) or iso_date_in(builder.date)
    return meta


def _is_article(tree: LexborHTMLParser, meta: dict[str, str]) -> bool:
    """Whether the page is an article (a news story, a blog post), not documentation: it says
    so, or at least its generator is not a documentation tool."""
    if "article" in meta.get("og:type", "").lower() or any(meta.get(key) for key in _DATE_KEYS):
        return True
    if not _DOCS_GENERATOR.search(meta.get("generator", "")) and tree.css_first(_DOCS_ROOTS) is None:
        return True
    if tree.css_first("[itemprop=articleBody], [property=articleBody]") is not None:
        return True
    return any(_ARTICLE_TYPE.search(node.text()) for node in tree.css("script[type='application/ld+json']"))


def _title(tree: LexborHTMLParser, meta: dict[str, str]) -> str:
    """``og:title`` or ``<title>``, entities decoded, less a section prefix ("Opinion | ") and a
    site suffix: at ``|``-like separators while enough is left, at a dash only once and only
    when it names the site (so "Rules — And Why - Digg" keeps its subtitle); a lone ``<h1>``
    that the title starts with is the title as the page shows it."""
    h1s, node = tree.css("h1"), tree.css_first("title")
    heading = _collapse(h1s[0].text().replace("¶", "")) if h1s else ""
    title = _unescape(meta.get("og:title") or (_collapse(node.text()) if node is not None else ""))
    if len(h1s) == 1 and heading and _normal(title).startswith(_normal(heading)) and _normal(title) != _normal(heading):
        if len(heading) >= 0.5 * len(title):  # "Headline - Site" over the page's own "Headline"
            return title[: len(heading)] if title.casefold().startswith(heading.casefold()) else heading
    parts = _TITLE_SEPARATOR.split(title)
    if heading and heading in parts[1:]:
        return heading  # "Site | Headline"
    sites = {_site_key(name) for name in _site_names(tree, meta)} - {""}
    first = _separators(title)[:1]
    if first and (title[: first[0].start()].casefold() in _SECTIONS or _site_key(title[: first[0].start()]) in sites):
        title = title[first[0].end() :]  # "Opinion | Headline", "Site: Headline"
    while title and title != heading:
        separators = _separators(title)
        if not separators:
            break
        last = separators[-1]
        head, tail = title[: last.start()], title[last.end() :]
        if len(tail) > 40 or (len(head) < 15 and head != heading):
            break
        if len(separators) > 1 and not _names_site(tail, sites):
            before = separators[-2]
            if _names_site(title[before.end() : last.start()], sites) and before.start() >= 15:
                title = title[: before.start()]  # "Headline - Site.de - Its tagline"
                break
        if not (last.group().strip() in _STRONG_SEPARATORS or _names_site(tail, sites) or head == heading):
            break  # a dash before a subtitle: "Rules Are Here — And They're Not Great"
        title = head  # "Headline | Section | Site", "Headline - Site", "Page — Python 3.11 documentation"
    return title or heading


def _site_names(tree: LexborHTMLParser, meta: dict[str, str]) -> list[str]:
    names = [meta.get("og:site_name", ""), meta.get("application-name", ""), meta.get("twitter:site", "")]
    link = tree.css_first("link[rel=canonical][href]")
    url = meta.get("og:url") or (link.attributes.get("href") or "" if link is not None else "")
    host = _HOST.match(url)
    if host:
        labels = host.group(1).lower().removeprefix("www.").split(".")
        names += [".".join(labels), labels[0], " ".join(labels[:-1])]
    return names


def _separators(title: str) -> list[re.Match[str]]:
    """The separators of a title's parts, not those inside brackets ("Song (歌 - 歌手)")."""
    return [found for found in _TITLE_SEPARATOR.finditer(title) if title.count("(", 0, found.start())
            <= title.count(")", 0, found.start())]


def _names_site(part: str, sites: set[str]) -> bool:
    """Whether a part of a title names the site: its name or host, or a host or docs name itself."""
    key = _site_key(part)
    if _DOMAIN.search(part) or _DOCS_SUFFIX.search(part):
        return True
    return bool(key) and any(key in site or (len(site) >= 3 and site in key) for site in sites)


def _site_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold().removeprefix("@").removeprefix("the "))


def _unescape(text: str) -> str:
    """Entities left escaped in a title (``&amp;#163;`` in the page: "&#163;1.8m" shown)."""
    return html.unescape(text) if _ENTITY.search(text) else text


def _source(tree: LexborHTMLParser, scope: LexborNode | None, meta: dict[str, str]) -> str:
    for value in (meta.get(key, "") for key in _AUTHOR_KEYS):
        if value and "://" not in value:
            return value
    for where in (scope, tree.body):
        for node in where.css("[rel=author], [itemprop=author], .byline, .author") if where is not None else ():
            name = _BY.sub("", _collapse(node.text(separator=" ")))
            if 2 <= len(name) <= 80:
                return name
    return meta.get("og:site_name", "")


def _date(scope: LexborNode | None, meta: dict[str, str]) -> str:
    value = next((meta[key] for key in _DATE_KEYS if meta.get(key)), "")
    node = scope.css_first("time[datetime]") if scope is not None and not value else None
    if node is not None:
        value = _collapse(node.attributes.get("datetime") or "")
    iso = _ISO_DATE.match(value)
    return iso.group(1) if iso else value if len(value) <= 40 else ""


# -- boilerplate and root ---------------------------------------------------------


def _drop_chrome(body: LexborNode, strict: bool) -> None:
    """Remove site chrome below ``body``; ``strict`` also reads classes and ids."""
    keep: set[int] = set()  # the article, the element holding most paragraph text, and all holding them
    for node in (*body.css(_PROTECTED), _holder(body, _paragraph_mass(body))):
        while node is not None and node.mem_id not in keep:
            keep.add(node.mem_id)
            node = node.parent
    half = len(body.text()) // 2
    drop: list[LexborNode] = []
    stack = [(child, 1) for child in body.iter()]
    while stack:
        node, depth = stack.pop()
        if node.tag in ("pre", "code") or depth > _MAX_CLIMB:
            continue  # code is never chrome; nor is anything nested absurdly deep
        chrome = _chrome(node, node.tag, strict) if node.mem_id not in keep else 0
        if chrome and len(node.text()) <= half and (chrome == 1 or not _reads_as_prose(node)):
            drop.append(node)
        else:
            stack.extend((child, depth + 1) for child in node.iter())
    for node in drop:
        node.decompose()


def _chrome(node: LexborNode, tag: str, strict: bool) -> int:
    """0: content; 1: chrome; 2: chrome unless it reads as prose (an aside, a sidebar box)."""
    attrs = node.attributes
    role = (attrs.get("role") or "").lower()
    if role in _CHROME_ROLES or "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return 1
    marked = _chrome_names(tag, attrs) if strict and attrs and tag not in _HEADINGS else 0
    if tag == "aside" or marked == 2:
        return 2
    return 1 if tag in _CHROME_TAGS and not _article_header(node, tag) else marked


def _chrome_names(tag: str, attrs: dict[str, str | None]) -> int:
    """1 when a class or id names boilerplate, 2 for a sidebar (maybe a box of prose).

    Sections' ids are made from their headings ("related-documents"), so they are
    not read; a link's class counts only as a whole word ("headerlink").
    """
    return _names_chrome(tag, attrs.get("class") or "", attrs.get("id") or "")


@lru_cache(maxsize=4096)
def _names_chrome(tag: str, class_: str, id_: str) -> int:
    """``_chrome_names`` by the strings themselves: a page repeats its classes."""
    names = class_.lower().split()
    if tag != "section" and "section" not in names:
        names += id_.lower().split()
    if tag == "a" or any(name in _CHROME_PARTS for name in names):
        return int(any(name in _CHROME_PARTS for name in names))
    marked = 0
    for name in names:
        parts = _PARTS.split(name.split("--")[0] or name)  # "section--ads": a section that has ads
        if any(part in _STATE_WORDS for part in parts):
            continue  # "has-sidebar", "section--with-ads", "modal-enabled": a state, not the thing
        for part in parts:
            if part.endswith("sidebar") or part == "aside":
                return 2
            if part in _CHROME_PARTS or part.startswith(_CHROME_PREFIX) or part.endswith(_CHROME_SUFFIX):
                marked = 1
    return marked


def _article_header(node: LexborNode, tag: str) -> bool:
    """A ``<header>`` that heads the article (inside it, or holding a plain ``<h1>``)."""
    if tag != "header":
        return False
    parent = node.parent
    for _ in range(_MAX_CLIMB):
        if parent is None or parent.tag in ("article", "main"):
            break
        parent = parent.parent
    if parent is not None and parent.tag in ("article", "main"):
        return True
    h1 = node.css_first("h1")
    return h1 is not None and h1.css_first("a") is None


def _paragraph_mass(body: LexborNode) -> dict[int, int]:
    """How much paragraph text outside links each element holds (by ``mem_id``)."""
    mass: dict[int, int] = {}
    for paragraph in body.css("p"):
        length = _content_length(paragraph)
        node = paragraph if length else None
        for _ in range(_MAX_CLIMB):
            if node is None:
                break
            mass[node.mem_id] = mass.get(node.mem_id, 0) + length
            node = node.parent
    return mass


def _holder(body: LexborNode, mass: dict[int, int]) -> LexborNode:
    """The innermost element holding half the page's paragraph text (``body`` if it has little)."""
    total = mass.get(body.mem_id, 0)
    node, half = body, total / 2
    for _ in range(_MAX_CLIMB if total >= _PARAGRAPHS_MIN else 0):
        best = max(node.iter(), key=lambda child: mass.get(child.mem_id, 0), default=None)
        if best is None or mass.get(best.mem_id, 0) < half:
            break
        node = best
    return node


def _choose_root(body: LexborNode, article: bool) -> LexborNode:
    """The article: an ``<article>`` (the one holding the ``h1`` or the article body, else the
    one with most text outside links), else ``<main>`` or the like, when it holds a quarter of
    the page's text and half its paragraphs; else the densest block."""
    enough = _text_length(body) * 0.25
    mass = _paragraph_mass(body)
    paragraphs = mass.get(body.mem_id, 0)
    articles = body.css("article")
    best = max(
        articles, default=None,
        key=lambda node: (node.css_first("h1, [itemprop=articleBody]") is not None, _content_length(node)),
    ) if len(articles) > 1 else (articles[0] if articles else None)
    for node in (best, *(body.css_first(selector) for selector in _MAIN)):
        if node is None or _text_length(node) < enough:
            continue
        if paragraphs >= _PARAGRAPHS_MIN and mass.get(node.mem_id, 0) < paragraphs / 2:
            continue  # a teaser, or a box beside the article
        return node
    return _marked_body(body, mass) or _densest(body, 0.1 if article else 0.4)


def _marked_body(body: LexborNode, mass: dict[int, int]) -> LexborNode | None:
    """The one element the page marks as its article's body (``itemprop=articleBody``), or the
    ``<article>`` holding it, when it holds paragraphs enough: comments that outweigh it (a long
    thread under a short story) do not make it lose to them."""
    marked = body.css("[itemprop=articleBody]")
    if len(marked) != 1 or mass.get(marked[0].mem_id, 0) < _PARAGRAPHS_MIN:
        return None
    node = marked[0]
    for _ in range(_MAX_CLIMB):
        parent = node.parent
        if parent is None or parent.mem_id == body.mem_id:
            break
        if parent.tag == "article":
            return parent
        node = parent
    return marked[0]


def _densest(body: LexborNode, floor: float) -> LexborNode:
    """The innermost container holding most of the page's text outside links: the walk goes
    down to the child with the most text outside links (on a page of links, a table of
    contents, the child with the most text) while it holds 70 % of that text."""
    node, total = body, _content_length(body)
    measure = _content_length if total >= _text_length(body) * 0.3 else _text_length
    for _ in range(_MAX_CLIMB if total else 0):
        children = list(node.iter())
        if len(children) == 1 and children[0].tag in _CONTAINERS and not node.text(deep=False).strip():
            node = children[0]  # a bare wrapper: same text, same links
            continue
        best = max(children, key=measure, default=None)
        if best is None or best.tag not in _CONTAINERS or best.css_first(_INNER_BLOCKS) is None:
            break
        if _named_aside(best) and any(
            child.mem_id != best.mem_id and _content_length(child) * 5 >= _content_length(best) for child in children
        ):
            break  # a sidebar or a thread beside the story: both, rather than the wrong one
        if _content_length(best) < total * 0.7 or _has_twin(best, children):
            break
        if measure is _content_length and _text_length(best) < _text_length(node) * floor:
            break
        node = best
    return node


def _named_aside(node: LexborNode) -> bool:
    """An element its class or id names chrome that was kept because it reads as prose (a
    sidebar box, a comment thread)."""
    attrs = node.attributes
    return bool(attrs) and node.tag in _CONTAINERS and bool(_chrome_names(node.tag, attrs))


def _prune(root: LexborNode) -> None:
    """Drop what sits inside the article but is not of it: captions and credits, bylines,
    and blocks mostly of links (related posts, tags, "read more" promos, share bars),
    with the short heading that leads into such a block."""
    total = _text_length(root)
    mass = _paragraph_mass(root)
    paragraphs = mass.get(root.mem_id, 0)
    # a page mostly of links (a table of contents, an index) keeps them: they are its content
    links = total and _content_length(root) >= total * _PROSE_PAGE
    drop: list[LexborNode] = []
    stack = [(child, 1) for child in root.iter()]
    while stack:
        node, depth = stack.pop()
        tag = node.tag
        if tag in _KEEP_INSIDE or depth > _MAX_CLIMB:
            continue
        story = mass.get(node.mem_id, 0) * 2 > paragraphs  # most of the story: whatever its class says
        boxed = tag in _PRUNABLE and (_inside_chrome(node.attributes) or _chrome_names(tag, node.attributes) == 2)
        if not story and (tag == "figcaption" or boxed or (
            tag == "figure" and node.css_first("pre, table, blockquote") is None
        )):
            drop.append(node)
            continue
        if tag in _PRUNABLE:
            text = _text_length(node)
            if not text:
                continue
            dense = _LINK_BLOCK if tag == "p" else _LINK_DENSE  # a paragraph: a sentence with a long link stays
            if links and text < total * 0.5 and _link_length(node) >= text * dense:
                drop.append(node)
                lead = _previous_element(node)
                if lead is not None and lead.tag in _HEADINGS and _text_length(lead) <= 80:
                    drop.append(lead)
                continue
        stack.extend((child, depth + 1) for child in node.iter())
    for node in drop:
        node.decompose()


def _lead(root: LexborNode) -> LexborNode | None:
    """The story's lead when the page sets it just before the root (an intro, a standfirst,
    a "Vorspann" in the article's header): an element named so by its class or id, of
    prose, found among the elements that come before the root or one of its near ancestors."""
    node = root
    for _ in range(_LEAD_CLIMB):
        sibling, seen = node.prev, 0
        while sibling is not None and seen < _LEAD_SIBLINGS:
            if not sibling.tag.startswith("-"):  # text, comments
                seen += 1
                found = _lead_in(sibling)
                if found is not None:
                    return found
            sibling = sibling.prev
        node = node.parent
        if node is None or node.tag in ("body", "html"):
            break
    return None


def _lead_in(node: LexborNode) -> LexborNode | None:
    text = _text_length(node)
    if not text or text > _LEAD_MAX * 3:
        return None
    best, most = None, 0
    for element in (node, *node.traverse()) if node.css_first("*") is not None else (node,):
        if element.tag == "-text" or not _names_lead(element.attributes):
            continue
        length = _text_length(element)
        if _LEAD_MIN <= length <= _LEAD_MAX and length > most and _link_length(element) < length * 0.3:
            best, most = element, length
    return best


def _names_lead(attrs: dict[str, str | None]) -> bool:
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return any(part in _LEAD_PARTS or part.startswith(_LEAD_GLUED) or part.endswith(_LEAD_GLUED)
               for part in _PARTS.split(names.replace(" ", "-")) if part)


def _inside_chrome(attrs: dict[str, str | None]) -> bool:
    """Whether an element inside the article names itself a caption, a credit, a byline, a
    related box, a pitch or an author's box ("author-bio", "saboxplugin-wrap") by its class or id."""
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().split()
    for name in names:
        parts = set(_PARTS.split(name))
        if parts & _INSIDE_PARTS or name.startswith("saboxplugin") or any(p.startswith("related") for p in parts):
            return True
        if parts & _AUTHOR and (parts & _AUTHOR_BOX or name.startswith(_AUTHOR_BOX_GLUED)):
            return True
    return False


def _previous_element(node: LexborNode) -> LexborNode | None:
    previous = node.prev
    while previous is not None and previous.tag == "-text" and not (previous.text_content or "").strip():
        previous = previous.prev
    return previous if previous is not None and previous.tag != "-text" else None


def _link_length(node: LexborNode) -> int:
    return sum(_length(a.text()) for a in node.css("a[href]"))


def _has_twin(node: LexborNode, siblings: list[LexborNode]) -> bool:
    """Whether a sibling of the same tag and class has text too: one of several sections."""
    key = (node.tag, node.attributes.get("class"))
    return bool(key[1]) and any(
        other.mem_id != node.mem_id and (other.tag, other.attributes.get("class")) == key
        and _content_length(other) >= 100
        for other in siblings
    )


def _text_length(node: LexborNode) -> int:
    return _length(node.text())


def _length(text: str) -> int:
    """The length of ``text`` with its whitespace collapsed (as ``_collapse`` gives, near
    enough for weighing elements: every Unicode space counts), without building it."""
    words = text.split()
    return sum(map(len, words)) + len(words) - 1 if words else 0


def _content_length(node: LexborNode) -> int:
    return max(_text_length(node) - _link_length(node), 0)


def _reads_as_prose(node: LexborNode) -> bool:
    text = _text_length(node)
    return text >= 80 and _content_length(node) > text * 0.75


# -- blocks ---------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    """A block being filled: what its inline text becomes when flushed."""

    kind: BlockKind
    level: int = 0
    item: _Context | None = None  # the list item it belongs to (whose marker is shown once)
    marker: str = ""
    pre: bool = False
    row: bool = False  # a table row: cells joined by " · "
    strong: bool = False


class _Walker:
    def __init__(self, builder: DocumentBuilder, story: bool = False) -> None:
        """``story``: the blocks are an article's, held back until the end so that the site's
        lines among them (see ``boilerplate``) are left out."""
        self.builder = builder
        self.pending: list[tuple[BlockKind, str, int, str, tuple[Mark, ...], bool]] | None = [] if story else None
        self.title = _normal(builder.title)
        self.parts: list[str] = []
        self.length = 0
        self.space = True  # the text so far ends in whitespace (or is empty)
        self.marks: list[Mark] = []
        self.open: list[list] = []  # [kind, start, href] of the inline elements still open
        self.contexts = [_Context(BlockKind.PARAGRAPH)]
        self.lists: list[list[int]] = []  # [next number, or 0 for bullets]
        self.emitted = self.headings = self.above = 0

    def walk(self, *roots: LexborNode) -> int:
        """Add the blocks under ``roots``, in turn; return how many were added."""
        stack: list[tuple[LexborNode, bool]] = [(root, False) for root in reversed(roots)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                self.leave(node)
            elif node.tag == "-text":
                self.text(node.text_content or "")
            elif node.tag not in _SKIP_NODES and self.enter(node, node.tag):
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
        self.flush()
        if self.pending is not None:
            self.emitted = self.add_story(self.pending)
        return self.emitted

    def add_story(self, blocks: list[tuple[BlockKind, str, int, str, tuple[Mark, ...], bool]]) -> int:
        """Add an article's blocks less the site's lines and the headings left with nothing after them."""
        blocks = [block for i, block in enumerate(blocks) if i >= self.above or len(block[1]) > _KICKER]
        kept = [block for block in blocks if block[0] in _NEVER_SITE or not is_boilerplate(block[1])]
        prose = [block for block in kept if block[0] in _NEVER_SITE or _linked(block[1], block[4]) < _LINK_BLOCK]
        kept = prose if any(block[1] for block in prose) else kept  # a page of links keeps them
        kept = kept[: len(kept) - trailing_headings([block[1] if block[0] is BlockKind.HEADING else None for block in kept])]
        added = 0
        for kind, text, level, marker, marks, dedupe in kept:
            if self.builder.add(kind, text, level=level, marker=marker, marks=marks, dedupe=dedupe):
                added += 1
        return added

    def enter(self, node: LexborNode, tag: str) -> bool:
        """Open an element; False when it has no content to walk."""
        context = self.contexts[-1]
        if tag == "br":
            self.text("\n" if context.pre else " ")
            return False
        if tag in _MARKS:
            if not context.pre and (tag != "a" or "href" in node.attributes):
                self.open.append([_MARKS[tag], self.length, node.attributes.get("href") or "" if tag == "a" else ""])
            return True
        if tag not in _BLOCKS:
            return True
        if tag in ("td", "th") and context.row:
            self.cell()
            return True
        self.flush()
        if tag == "hr":
            if self.pending is not None:
                self.pending.append((BlockKind.RULE, "", 0, "", (), False))
            else:
                self.builder.add(BlockKind.RULE, "")
            return False
        depth = min(len(self.lists) + (tag in _LISTS), _MAX_LEVEL)
        if tag in _LISTS:
            start = node.attributes.get("start") or "1"
            self.lists.append([int(start) if tag == "ol" and start.isdigit() else 0])
            new = _Context(BlockKind.PARAGRAPH, depth)
        elif tag == "li":
            new = _Context(BlockKind.PARAGRAPH, max(depth, 1), marker=self.next_marker(node))
            new.item = new
        elif tag in _HEADINGS:
            new = _Context(BlockKind.HEADING, int(tag[1]))
        elif tag == "pre":
            new = _Context(BlockKind.CODE, pre=True)
        elif tag == "blockquote":
            new = _Context(BlockKind.QUOTE, context.level, context.item)
        elif tag == "tr":
            new = _Context(BlockKind.PARAGRAPH, context.level, context.item)
            new.row = node.css_first(_ROW_BLOCKS) is None
        else:
            kind = BlockKind.PARAGRAPH if context.kind is BlockKind.HEADING else context.kind
            new = _Context(kind, context.level + (tag == "dd"), context.item, strong=tag == "dt")
        self.contexts.append(new)
        return True

    def leave(self, node: LexborNode) -> None:
        tag = node.tag
        if tag in _MARKS:
            if self.open and not self.contexts[-1].pre and (tag != "a" or "href" in node.attributes):
                kind, start, href = self.open.pop()
                if self.length > start:
                    self.marks.append(Mark(start, self.length, kind, href))
        elif tag in ("td", "th") and self.contexts[-1].row:
            if self.parts and self.parts[-1] == _CELL:
                self.parts.pop()  # an empty cell
                self.length -= len(_CELL)
        elif tag in _BLOCKS and tag != "hr":
            self.flush()
            if len(self.contexts) > 1:
                self.contexts.pop()
            if tag in _LISTS and self.lists:
                self.lists.pop()

    def cell(self) -> None:
        """A table cell in a row shown on one line: a separator after the text so far."""
        if self.length and self.parts[-1] != _CELL:
            if self.parts[-1].endswith(" "):
                self.parts[-1] = self.parts[-1][:-1]
                self.length -= 1
            self.parts.append(_CELL)
            self.length += len(_CELL)
            self.space = True

    def next_marker(self, node: LexborNode) -> str:
        if not self.lists or not self.lists[-1][0]:
            return "•"
        value = node.attributes.get("value") or ""
        number = self.lists[-1][0] = int(value) if value.isdigit() else self.lists[-1][0]
        self.lists[-1][0] += 1
        return f"{number}."

    def text(self, text: str) -> None:
        text = clean_text(text).replace("\u00ad", "")  # controls named by references; soft hyphens
        if not self.contexts[-1].pre:
            text = _SPACE.sub(" ", text)
            if self.space and text.startswith(" "):
                text = text[1:]
            if not text:
                return
            self.space = text.endswith(" ")
        self.parts.append(text)
        self.length += len(text)

    def flush(self) -> None:
        """Turn the inline text gathered so far into a block."""
        if not self.parts:
            return
        raw = "".join(self.parts)
        marks = self.marks + [Mark(start, self.length, kind, href) for kind, start, href in self.open if self.length > start]
        self.parts, self.length, self.space, self.marks = [], 0, True, []
        for entry in self.open:
            entry[1] = 0  # still open: it goes on in the next block
        context = self.contexts[-1]
        if context.pre:
            text, lead = raw.removesuffix("\n"), 0
        else:
            text = raw.strip(" \n·")
            lead = len(raw) - len(raw.lstrip(" \n·"))
        if not text.strip():
            return
        if context.strong:
            marks = [Mark(lead, lead + len(text), "strong")]
        self.add(context, text, _shift(marks, lead, text))

    def add(self, context: _Context, text: str, marks: tuple[Mark, ...]) -> None:
        kind, level, marker = context.kind, context.level, ""
        if context.item is not None and context.item.marker and kind is BlockKind.PARAGRAPH:
            kind, marker, level = BlockKind.LIST_ITEM, context.item.marker, context.item.level - 1
            context.item.marker = ""
        if kind is BlockKind.HEADING:
            self.headings += 1
            if self.headings == 1 and self.emitted <= 2 and _same_title(_normal(text), self.title):
                self.above = self.emitted  # the blocks before it: a kicker, a breadcrumb, a section
                return  # the title, shown already
        dedupe = kind is BlockKind.PARAGRAPH and len(text) >= _DEDUPE_MIN and not context.row
        if self.pending is not None:
            self.pending.append((kind, text, level, marker, marks, dedupe))
            self.emitted += 1
        elif self.builder.add(kind, text, level=level, marker=marker, marks=marks, dedupe=dedupe):
            self.emitted += 1


def _shift(marks: list[Mark], lead: int, text: str) -> tuple[Mark, ...]:
    """Marks moved to the stripped text, trimmed of spaces, empty ones dropped."""
    out = set()
    for mark in marks:
        start, end = max(mark.start - lead, 0), min(mark.end - lead, len(text))
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.add(Mark(start, end, mark.kind, mark.href))
    return tuple(sorted(out, key=lambda m: (m.start, m.end)))


def _linked(text: str, marks: tuple[Mark, ...]) -> float:
    """The share of a block's text in links."""
    return sum(mark.end - mark.start for mark in marks if mark.kind == "link") / max(len(text), 1)


def _same_title(heading: str, title: str) -> bool:
    short, long = sorted((heading, title), key=len)
    return bool(short) and long.startswith(short) and len(short) >= 0.6 * len(long)


def _normal(text: str) -> str:
    return " ".join(text.replace("¶", " ").split()).casefold().rstrip(" .:")


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
