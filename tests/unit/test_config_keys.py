"""The config's ``keys:`` setting: its shape is checked where the file is read.

Which binding ids exist and which key names are real is the app's to say (see
``tests/ui/test_keymap_theme.py``); here only what any YAML reader can check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.storage.config import ConfigError, KeySetting, load_config


def config_from(tmp_path: Path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_no_keys_setting_is_no_remapping(tmp_path: Path):
    assert config_from(tmp_path, "theme: nord\n").keys == ()
    assert config_from(tmp_path, "keys:\n").keys == ()


def test_keys_are_read_with_their_lines(tmp_path: Path):
    config = config_from(
        tmp_path,
        "theme: nord\n"
        "keys:\n"
        "  search: ctrl+k          # one key\n"
        '  next_hit: "n, ctrl+n"   # several, comma-separated\n'
        "  previous_hit: [N, ctrl+p]\n",
    )
    assert config.keys == (
        KeySetting("search", ("ctrl+k",), 3),
        KeySetting("next_hit", ("n", "ctrl+n"), 4),
        KeySetting("previous_hit", ("N", "ctrl+p"), 5),
    )


def test_plain_values_are_keys_as_written(tmp_path: Path):
    # YAML would read these as a number, a boolean and null-like text: here they are
    # the characters typed, and the app says whether they name a key.
    config = config_from(tmp_path, "keys:\n  next_section: 5\n  search: no\n  find: '}'\n")
    assert [setting.keys for setting in config.keys] == [("5",), ("no",), ("}",)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("keys: ctrl+k\n", r"config.yaml:1: keys must be 'binding_id: key' lines, got 'ctrl\+k'"),
        ("keys:\n  - search\n", r"config.yaml:1: keys must be 'binding_id: key' lines, got a list"),
        ("keys:\n  search:\n", r"config.yaml:2: keys: search has no key; e.g. 'search: ctrl\+k'"),
        ("keys:\n  search: []\n", r"config.yaml:2: keys: search has no key"),
        ("\nkeys:\n  x: 1\n  search: {ctrl: k}\n", r"config.yaml:4: keys: search must be a key string, .*got a mapping"),
        ("keys:\n  search: [[a]]\n", r"config.yaml:2: keys: search must be a key string, .*got a list"),
        ("keys:\n  search: 'n,,k'\n", r"config.yaml:2: keys: search: an empty key in 'n,,k' \(write comma"),
        ("keys:\n  search: 'n,'\n", r"config.yaml:2: keys: search: an empty key"),
        ("keys:\n  search: a\n  find: b\n  search: c\n", r"config.yaml:4: keys: search is set twice \(first on line 2\)"),
        ("keys:\n  'sea rch': a\n", r"config.yaml:2: keys: 'sea rch' is not a binding id"),
        ("keys:\n  3: a\n", r"config.yaml:2: keys: '3' is not a binding id"),
    ],
)
def test_a_bad_keys_setting_names_file_line_and_value(tmp_path: Path, text: str, message: str):
    with pytest.raises(ConfigError, match=message) as caught:
        config_from(tmp_path, text)
    assert "\n" not in str(caught.value)  # one line each
    assert str(caught.value).startswith(str(tmp_path / "config.yaml"))
