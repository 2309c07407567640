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


# -- what the app checks at start-up --------------------------------------------------

from reader.ui.app import check_keys, known_bindings, normalize_key  # noqa: E402


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("ctrl+k", "ctrl+k"),
        ("Ctrl+K", "ctrl+shift+k"),  # a capital letter with ctrl is shift held down
        ("shift+n", "N"),  # typed, it arrives as N
        ("N", "N"),
        ("}", "right_curly_bracket"),
        ("?", "question_mark"),
        ("/", "slash"),
        ("+", "plus"),
        ("ctrl++", "ctrl+plus"),
        ("5", "5"),
        ("shift+ctrl+Up", "ctrl+shift+up"),
        ("F5", "f5"),
        ("space", "space"),
        ("PageDown", "pagedown"),
        ("question_mark", "question_mark"),
        ("comma", "comma"),
        ("right_curly_bracket", "right_curly_bracket"),
        ("alt+left", "alt+left"),
    ],
)
def test_keys_are_named_as_textual_names_them(written: str, key: str):
    assert normalize_key(written) == key


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("pgdn", "no key is named 'pgdn'; did you mean 'pagedown'?"),
        ("control+k", "'control' is not a modifier (alt, ctrl, hyper, meta, shift, super)"),
        ("ctrl+", "no key after the last '+'"),
        ("ctrl++k", "an empty part before a '+'"),
        ("ctrl+ctrl+k", "a modifier given twice"),
        ("ctrl k", "a space inside; keys are joined with '+', e.g. ctrl+k"),
        ("\x07", "not a key that can be typed; the space bar is 'space'"),
    ],
)
def test_a_key_textual_does_not_know_says_why(written: str, reason: str):
    with pytest.raises(ValueError) as caught:
        normalize_key(written)
    assert str(caught.value) == reason


def test_characters_are_named_as_textual_names_typed_ones():
    from textual.keys import _character_to_key

    for code in range(33, 127):
        character = chr(code)
        if character.isalpha():
            continue
        assert normalize_key(character) == _character_to_key(character), character


def test_check_keys_keeps_the_good_settings_and_names_each_problem(tmp_path: Path):
    config = config_from(
        tmp_path,
        "keys:\n"
        "  search: ctrl+k\n"
        "  serch: x\n"
        '  next_hit: "n, ctrl+g, n"\n'
        '  find: "ctrl+f, pgdn"\n'
        "  previous_hit: v\n"
        '  back: "escape, backspace"\n',
    )
    keymap, errors, warnings = check_keys(config.keys, config.path)
    where = str(config.path)
    assert keymap == {
        "search": "ctrl+k",
        "next_hit": "n,ctrl+g",
        "previous_hit": "v",
        "back": "escape,backspace",
    }
    assert len(errors) == 2
    assert errors[0].startswith(f"{where}:3: keys: no binding is named 'serch' (did you mean search? known: ")
    assert ", search, " in errors[0]
    assert errors[1] == f"{where}:5: keys: find: 'pgdn' is not a key: no key is named 'pgdn'; did you mean 'pagedown'?"
    # v is select_block's key in the content pane; escape was back's key already
    assert warnings == [f"{where}:6: keys: v for previous_hit is also the key of select_block; only one of them can work"]


def test_swapping_two_keys_is_no_conflict(tmp_path: Path):
    config = config_from(tmp_path, "keys:\n  next_hit: N\n  previous_hit: n\n")
    keymap, errors, warnings = check_keys(config.keys, config.path)
    assert keymap == {"next_hit": "N", "previous_hit": "n"} and errors == [] and warnings == []


def test_a_key_taken_from_another_binding_is_a_warning(tmp_path: Path):
    config = config_from(tmp_path, "keys:\n  next_section: j\n")
    _, _, warnings = check_keys(config.keys, config.path)
    assert warnings == [f"{config.path}:2: keys: j for next_section is also the key of down; only one of them can work"]


# -- the README's list of binding ids -------------------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"
TABLE_START = "<!-- binding ids: generated from the app's bindings; tests/unit/test_config_keys.py checks it -->"
TABLE_END = "<!-- end of binding ids -->"

_WHERE = {
    "ReaderApp": "everywhere",
    "MainScreen": "everywhere",
    "NotesPart": "everywhere",
    "OrganisePart": "everywhere",
    "LinksPart": "everywhere",
    "DocumentList": "library list",
    "DocumentView": "document",
    "NotesPanel": "notes panel",
    "HelpScreen": "help",
    "OutlineScreen": "outline",
    "NotesListScreen": "bookmark and note lists",
    "PickScreen": "sort and source pickers",
    "ListDialog": "bookmark and note lists, outline, sort and source pickers",  # the base of those three
    "ExportDialog": "export dialog",
    "NoteEditor": "note editor",
}


def _shown_key(key: str) -> str:
    """A default key as it can be written in the config: ``/`` rather than ``slash``."""
    from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character

    unicode_name = {name: original for original, name in KEY_NAME_REPLACEMENTS.items()}.get(key, key)
    character = key_to_character(unicode_name) if len(key) > 1 else None
    return character if character and character.isprintable() and not character.isspace() else key


def binding_ids_table() -> str:
    rows = [
        "| binding id | default keys | what it does | where |",
        "|---|---|---|---|",
    ]
    order = list(dict.fromkeys(_WHERE.values()))

    def group(item: tuple[str, list]) -> int:
        where = _WHERE.get(item[1][0][0].__name__)
        return order.index(where) if where else len(order)

    for binding_id, places in sorted(known_bindings().items(), key=group):
        owner, binding = places[0]
        keys = " ".join(f"`{_shown_key(key.strip())}`" for key in binding.key.split(","))
        what = binding.description or binding.action.replace("_", " ")
        where = ", ".join(dict.fromkeys(_WHERE.get(owner.__name__, owner.__name__) for owner, _ in places))
        rows.append(f"| `{binding_id}` | {keys} | {what} | {where} |")
    return "\n".join([TABLE_START, *rows, TABLE_END])


def test_the_readme_lists_every_binding_id_with_its_default_keys():
    text = README.read_text(encoding="utf-8")
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    assert start >= 0 and end > start, "the README's Configuration section lost its table of binding ids"
    expected = binding_ids_table()
    assert text[start : end + len(TABLE_END)] == expected, "the README's binding ids changed; paste:\n" + expected
