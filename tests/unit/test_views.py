"""The list pane's views over DocMeta, and the view kept in state.json beside the theme."""

from __future__ import annotations

import json

from reader.core.organise import DocMeta
from reader.core.views import check_view, in_view, views_with_counts
from reader.storage.state import State, load_state, save_state, save_view


def test_views_count_states_stars_and_each_tag_nested_included():
    metas = [
        DocMeta(),
        DocMeta(state="archive", tags=("Policy",)),
        DocMeta(state="later", favourite=True, tags=("policy/hk",)),
    ]
    counts = {view.key: (view.label, view.count) for view in views_with_counts(metas)}
    assert counts["all"] == ("All", 3) and counts["inbox"] == ("Inbox", 1)
    assert counts["later"] == ("Later", 1) and counts["archive"] == ("Archive", 1)
    assert counts["favourites"] == ("Favourites", 1)
    assert counts["tag:Policy"] == ("#Policy", 2)  # any case, and the nested policy/hk
    assert counts["tag:policy/hk"] == ("#policy/hk", 1)
    assert in_view("tag:POLICY", metas[1]) and not in_view("inbox", metas[1])


def test_a_view_key_from_the_state_file_is_checked():
    assert check_view("later") == "later" and check_view("tag:a b") == "tag:a b"
    assert check_view("tag:") is None and check_view("nowhere") is None and check_view(3) is None


def test_the_view_is_kept_beside_the_theme(tmp_path):
    path = tmp_path / "state.json"
    save_state(path, State(theme="nord", config_theme="nord"))
    save_view(path, "tag:policy")
    assert load_state(path) == State(theme="nord", config_theme="nord", view="tag:policy")
    save_state(path, State(theme="dracula"))  # choosing a theme keeps the view
    assert load_state(path).view == "tag:policy"
    assert json.loads(path.read_text())["view"] == "tag:policy"
