"""How text becomes search terms: words, CJK bigrams, lower case, no accents.

A word is a run of letters, digits and underscores (what ``grep -w`` calls a
word): ``**bold**`` gives ``bold``, ``e-mail`` gives ``e`` and ``mail``,
``don't`` gives ``don`` and ``t``, ``3.11`` gives ``3`` and ``11``. A query
word that becomes several terms (``e-mail``, ``3.11``, ``package-lock.json``)
is searched as a phrase, so it still finds exactly that spelling.

A run of CJK characters has no spaces, so it is indexed as overlapping
bigrams, plus the run's single characters so one typed character finds
something; a query word made of several bigrams is searched as a phrase.

Case and accents are folded character by character (``É`` → ``e``), so every
offset into the folded text is an offset into the original: the highlighter
uses the same folding. The words are indexed as they are (so a typed prefix
such as ``digita`` finds ``digital``), and once more, stemmed, in a field of
their own (:func:`stemmed_counts`): ``progenitors`` finds ``progenitor``. A
document's language is told by its stop words (Whoosh's lists, 14 languages);
its words are stemmed by that language's Snowball stemmer (PyStemmer), English
when none stands out, and tagged with the language unless English (a Dutch
stem never finds an English word). The stemmed field also holds one marker term per
document, :func:`language_marker`, so a search knows which languages a library
has and stems a query word the ways its documents were stemmed.

Indexing does not go through Whoosh's token-by-token analyzer pipeline:
:func:`analyze` turns a whole text into ``{term: [positions]}`` with one
regex pass, and :class:`Analyzed` hands the encoded postings to Whoosh
(measured: about three times faster than the analyzer pipeline).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

import Stemmer
from whoosh.analysis import Composable, Filter, Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.lang import stopwords_for_language
from whoosh.system import pack_uint

__all__ = [
    "CJK_RANGES",
    "MIN_COMPLETION",
    "STEM_MIN",
    "Analyzed",
    "SearchText",
    "WORD_RUN",
    "analyze",
    "analyzed",
    "analyzed_counts",
    "edge_analyzer",
    "edge_terms",
    "fold",
    "fold_text",
    "is_cjk",
    "LANGUAGES",
    "language_marker",
    "query_tokens",
    "stem",
    "stem_analyzer",
    "stemmed_counts",
    "stemmed_term",
    "stop_words",
    "word_analyzer",
]

CJK_RANGES = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)
_TOKEN = re.compile(rf"[{CJK_RANGES}]+|[^\W{CJK_RANGES}]+")
WORD_RUN = _TOKEN  # a run of CJK characters or of other word characters
_CJK = re.compile(rf"[{CJK_RANGES}]")
_CJK_FIRST = "\u2e80"  # no CJK character sorts below this one
EDGE_MAX = 12  # longest title prefix indexed as its own term
MIN_COMPLETION = 3  # a typed word is completed from the body's words once it has this many characters


def is_cjk(text: str) -> bool:
    return bool(_CJK.match(text))


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        return char
    if _CJK.match(lower):
        return lower  # never decompose Hangul syllables into jamo
    base = "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))
    return base if len(base) == 1 else lower


def fold_text(text: str) -> str:
    """Lower case, accents removed, same length as ``text`` (offsets are kept)."""
    if text.isascii():
        return text.lower()
    lower = text.lower()
    if len(lower) != len(text):  # a character whose lower case is longer (İ): one by one
        return "".join(_fold_char(char) for char in text)
    table = {}
    for char in set(lower):
        if not char.isascii():
            folded = _fold_char(char)
            if folded != char:
                table[ord(char)] = folded
    return lower.translate(table) if table else lower


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """A word as it is indexed: ``Café`` → ``cafe`` (CJK unchanged)."""
    return fold_text(word)


def _cjk_terms(run: str, pos: int, unigrams: bool) -> Iterator[tuple[str, int]]:
    if len(run) == 1:
        yield run, pos
        return
    for i in range(len(run) - 1):
        yield run[i : i + 2], pos + i
        if unigrams:
            yield run[i], pos + i
    if unigrams:
        yield run[-1], pos + len(run) - 2


def analyze(text: str) -> dict[str, list[int]]:
    """Every term of ``text`` and its positions (one pass, no Token objects)."""
    terms: defaultdict[str, list[int]] = defaultdict(list)
    pos = 0
    for token in _TOKEN.findall(fold_text(text)):
        if token[0] < _CJK_FIRST or not _CJK.match(token):
            terms[token].append(pos)
            pos += 1
        else:
            for term, at in _cjk_terms(token, pos, True):
                terms[term].append(at)
            pos += max(1, len(token) - 1)
    return terms


def query_tokens(word: str) -> list[str]:
    """The terms a query word is searched by, in order (bigrams only for CJK)."""
    out: list[str] = []
    for token in _TOKEN.findall(fold_text(word)):
        if token[0] < _CJK_FIRST or not _CJK.match(token):
            out.append(token)
        else:
            out.extend(term for term, _ in _cjk_terms(token, 0, False))
    return out


def edge_terms(text: str, maxsize: int = EDGE_MAX) -> dict[str, int]:
    """Edge n-grams of every word (``dig`` → ``d``, ``di``, ``dig``) and their counts."""
    counts: defaultdict[str, int] = defaultdict(int)
    for token in query_tokens(text):
        for size in range(1, min(len(token), maxsize) + 1):
            counts[token[:size]] += 1
    return counts


# -- stems and stop words ----------------------------------------------------------------

# the languages with both a stop-word list (Whoosh's) and a Snowball stemmer (PyStemmer)
LANGUAGES = {
    "en": "english",
    "da": "danish",
    "nl": "dutch",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "hu": "hungarian",
    "it": "italian",
    "no": "norwegian",
    "pt": "portuguese",
    "ru": "russian",
    "es": "spanish",
    "sv": "swedish",
    "tr": "turkish",
}
_MARK = "\x01"  # no word begins with it: a language marker is never a searched term
STEM_MIN = 3  # shorter words are kept as they are
_SHARE = 0.05  # a language is a document's when its stop words are this share of the words (or more)
_STEMMERS: dict[str, Stemmer.Stemmer] = {}


@lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset[str]:
    """The stop words of ``language`` (a code of :data:`LANGUAGES`), folded."""
    try:
        return frozenset(fold(word) for word in stopwords_for_language(language))
    except Exception:  # noqa: BLE001 - a language Whoosh has no list for
        return frozenset()


def _stemmer(language: str) -> Stemmer.Stemmer:
    found = _STEMMERS.get(language)
    if found is None:
        found = _STEMMERS[language] = Stemmer.Stemmer(LANGUAGES.get(language, "english"), 20_000)
    return found


def stem(word: str, language: str = "en") -> str:
    """``word`` (a folded term) as the stemmed field holds it for a document in ``language``."""
    if len(word) < STEM_MIN or word[0] >= _CJK_FIRST or word[0].isdigit():
        return word
    return _stemmer(language).stemWord(word)


def stemmed_term(word: str, language: str = "en") -> str:
    """The stemmed field's term for ``word`` in a document of ``language``: the stem, tagged
    with the language unless English (so that a Dutch stem never finds an English word)."""
    stemmed = stem(word, language)
    return stemmed if language == "en" else f"{stemmed}{_MARK}{language}"


def language_marker(language: str) -> str:
    """The stemmed field's term that marks a document of ``language``."""
    return _MARK + language


@lru_cache(maxsize=1)
def _stop_index() -> dict[str, tuple[str, ...]]:
    """Every stop word and the languages it is a stop word of."""
    index: defaultdict[str, list[str]] = defaultdict(list)
    for language in LANGUAGES:
        for word in stop_words(language):
            index[word].append(language)
    return {word: tuple(languages) for word, languages in index.items()}


def guess_language(counts: dict[str, int]) -> str:
    """The language whose stop words are the largest share of these words (English if none stands out)."""
    total = sum(counts.values())
    if not total:
        return "en"
    index = _stop_index()
    found: defaultdict[str, int] = defaultdict(int)
    if len(counts) < len(index):
        pairs = ((index.get(word), n) for word, n in counts.items())
    else:
        pairs = ((languages, counts.get(word, 0)) for word, languages in index.items())
    for languages, n in pairs:
        if languages and n:
            for language in languages:
                found[language] += n
    if not found:
        return "en"
    best = max(found, key=lambda language: (found[language], language == "en"))
    return best if found[best] >= _SHARE * total else "en"


def stemmed_counts(terms: dict[str, list[int]], declared: str = "") -> dict[str, int]:
    """The stemmed field of a document whose terms (:func:`analyze`) are ``terms``: each
    stem and its count, and the marker of the document's language: the one the file
    ``declared`` (an EPUB's dc:language) when it is one of :data:`LANGUAGES`, else guessed."""
    counts = {term: len(positions) for term, positions in terms.items()}
    language = declared if declared in LANGUAGES else guess_language(counts)
    stemmable = [t for t in counts if len(t) >= STEM_MIN and t[0] < _CJK_FIRST and not t[0].isdigit()]
    tag = "" if language == "en" else _MARK + language
    out: defaultdict[str, int] = defaultdict(int)
    for term, stemmed in zip(stemmable, _stemmer(language).stemWords(stemmable), strict=True):
        out[stemmed + tag] += counts[term]
    for term, count in counts.items():
        if len(term) < STEM_MIN or term[0] >= _CJK_FIRST or term[0].isdigit():
            out[term + tag] += count
    out[language_marker(language)] = 1
    return out


# -- handing analysed text to Whoosh ----------------------------------------------------


class Analyzed:
    """A field value already turned into Whoosh postings: ``(term, freq, weight, value)``."""

    __slots__ = ("items",)

    def __init__(self, items: list[tuple[bytes, int, float, bytes]]) -> None:
        self.items = items


_ONE_POSITION: dict[int, bytes] = {}
_encode_positions = Positions().encode


def _positions_value(positions: list[int]) -> bytes:
    if len(positions) == 1:
        value = _ONE_POSITION.get(positions[0])
        if value is None:
            value = _ONE_POSITION[positions[0]] = _encode_positions(positions)
        return value
    return _encode_positions(positions)


def analyzed(field: TEXT, text: str | dict[str, list[int]]) -> Analyzed:
    """``text`` (or its :func:`analyze` result) analysed for ``field``, with positions or counts."""
    boost = field.format.field_boost
    terms = analyze(text) if isinstance(text, str) else text
    if isinstance(field.format, Positions):
        return Analyzed([(t.encode("utf-8"), len(p), len(p) * boost, _positions_value(p)) for t, p in terms.items()])
    counts = {t: len(p) for t, p in terms.items()}
    return Analyzed([(t.encode("utf-8"), n, n * boost, pack_uint(n)) for t, n in counts.items()])


def analyzed_counts(field: TEXT, counts: dict[str, int]) -> Analyzed:
    """Terms with counts (no positions) for a frequency field such as the title's edge n-grams."""
    boost = field.format.field_boost
    return Analyzed([(t.encode("utf-8"), n, n * boost, pack_uint(n)) for t, n in counts.items()])


class SearchText(TEXT):
    """A TEXT field that also accepts an :class:`Analyzed` value (the fast path)."""

    def index(self, value, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(value, Analyzed):
            return iter(value.items)
        return super().index(value, **kwargs)


# -- the same analysis as a Whoosh analyzer (for anything that calls Whoosh's own) -------------


class WordTokenizer(Tokenizer):
    """The tokens :func:`analyze` indexes, as a Whoosh tokenizer."""

    def __init__(self, cjk_unigrams: bool = True) -> None:
        self.cjk_unigrams = cjk_unigrams

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        unigrams = self.cjk_unigrams and mode != "query"
        if not tokenize:
            yield _fill(token, fold(value), start_pos, start_char, start_char + len(value), positions, chars)
            return
        pos = start_pos
        for match in _TOKEN.finditer(fold_text(value)):
            text = match.group(0)
            start = start_char + match.start()
            if text[0] < _CJK_FIRST or not _CJK.match(text):
                yield _fill(token, text, pos, start, start + len(text), positions, chars)
                pos += 1
                continue
            for term, at in _cjk_terms(text, pos, unigrams):
                offset = start + at - pos
                yield _fill(token, term, at, offset, offset + len(term), positions, chars)
            pos += max(1, len(text) - 1)


def _fill(token: Token, text: str, pos: int, start: int, end: int, positions: bool, chars: bool) -> Token:
    token.text = text
    token.boost = 1.0
    token.stopped = False
    if positions:
        token.pos = pos
    if chars:
        token.startchar = start
        token.endchar = end
    return token


def word_analyzer() -> Composable:
    """The analyzer of the title, source, sections and body fields."""
    return WordTokenizer()


class _StemFilter(Filter):
    """English stems (what :func:`stemmed_counts` indexes for an English document)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for token in tokens:
            token.text = stem(token.text)
            yield token


def stem_analyzer() -> Composable:
    """The stemmed field's analyzer, for anything that calls Whoosh's own."""
    return WordTokenizer() | _StemFilter()


def edge_analyzer(maxsize: int = EDGE_MAX) -> Composable:
    """Edge n-grams of each word, as a Whoosh analyzer (what :func:`edge_terms` indexes)."""
    from whoosh.analysis import NgramFilter

    return WordTokenizer(cjk_unigrams=False) | NgramFilter(1, maxsize, at="start")
