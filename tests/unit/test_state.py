"""The state file: what the app remembers on its own, apart from the user's config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.storage.state import State, StateError, load_state, save_state, state_path


def test_missing_file_is_the_empty_state(tmp_path: Path):
    assert load_state(tmp_path / "state.json") == State()


def test_saved_state_reads_back_and_keeps_unknown_keys(tmp_path: Path):
    path = state_path(tmp_path / "data")
    assert path == tmp_path / "data" / "state.json"
    save_state(path, State(theme="dracula"))
    assert load_state(path) == State(theme="dracula")

    data = json.loads(path.read_text(encoding="utf-8"))
    data["window"] = {"left": 30}  # written by some other version
    path.write_text(json.dumps(data), encoding="utf-8")
    save_state(path, State(theme="nord", config_theme="gruvbox"))
    assert load_state(path) == State(theme="nord", config_theme="gruvbox")
    assert json.loads(path.read_text(encoding="utf-8"))["window"] == {"left": 30}
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temp file left


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"theme": "nord"', r"state.json:1: not valid JSON"),
        (b"[1, 2]", r"state.json: expected a JSON object, got list"),
        (b'{"theme": 3}', r"state.json: theme is not a name: 3"),
        (b'{"theme": "  "}', r"state.json: theme is not a name"),
        (b"\xff\xfe{}", r"state.json: not UTF-8 text"),
    ],
)
def test_a_damaged_file_is_one_line_naming_it(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "state.json"
    path.write_bytes(content)
    with pytest.raises(StateError, match=message) as caught:
        load_state(path)
    assert "\n" not in str(caught.value)


def test_saving_over_a_damaged_file_replaces_it(tmp_path: Path):
    path = tmp_path / "state.json"
    path.write_bytes(b"\x00garbage")
    save_state(path, State(theme="monokai"))
    assert load_state(path) == State(theme="monokai")
