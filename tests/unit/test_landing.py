"""Where a document opened from a search lands."""

from __future__ import annotations

from reader.core.formats import read_document
from reader.core.search.highlight import find_hits
from reader.core.search.landing import landing_hit
from reader.core.search.query import parse_query
from tests.conftest import SEED


def test_smart_city_lands_on_the_first_paragraph_with_both_words():
    document = read_document(SEED)
    query = parse_query("smart city")
    hits = find_hits(document.text, query)
    landed = document.blocks[document.block_at(hits[landing_hit(document, hits, query)][0])]
    # "cities" is "city" as the ranking sees it (its stem): the first block with both
    assert "Smart Cities" in landed.text
    both = [b for b in document.blocks if "smart" in b.text.lower() and ("city" in b.text.lower() or "cities" in b.text.lower())]
    assert landed is both[0]


def test_typed_city_lands_on_city_itself():
    """While typing, the last word is a prefix (``city`` is not ``cities``)."""
    document = read_document(SEED)
    query = parse_query("smart city", typing=True)
    hits = find_hits(document.text, query)
    landed = document.blocks[document.block_at(hits[landing_hit(document, hits, query)][0])]
    assert landed.text.startswith("Tony Wong: In fact, in terms of smart cities")


def test_no_hits_lands_at_zero():
    document = read_document(SEED)
    assert landing_hit(document, [], parse_query("nothing")) == 0
