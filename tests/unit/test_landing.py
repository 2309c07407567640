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
    first_smart = document.blocks[document.block_at(hits[0][0])]
    assert "city" not in first_smart.text.lower().replace("cities", "")  # the first "smart" has no "city"
    landed = document.blocks[document.block_at(hits[landing_hit(document, hits, query)][0])]
    assert landed.text.startswith("Tony Wong: In fact, in terms of smart cities")


def test_no_hits_lands_at_zero():
    document = read_document(SEED)
    assert landing_hit(document, [], parse_query("nothing")) == 0
