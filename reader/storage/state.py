"""What the app remembers between runs on its own: ``state.json`` in the data folder.

Not the user's config file (which is theirs to write and is never written by the
app): a small JSON object the app rewrites whole, atomically.

```json
{"theme": "dracula", "config_theme": "nord", "view": "tag:policy"}
```

``theme`` is the theme last chosen in the app; ``config_theme`` the config file's
``theme:`` at that moment, so that a later edit of the config file can be told apart
from a config that has not changed since (see ``ReaderApp``). Keys this version does
not know are kept when the file is rewritten. A file that cannot be read is reported
by ``load_state`` and replaced by the next ``save_state``: it holds nothing that
cannot be chosen again. ``view`` is the list pane's view (``inbox``, ``tag:NAME``…),
written alone by ``save_view`` (the theme's keys are left as they are).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.storage.atomic import atomic_write

__all__ = ["State", "StateError", "load_state", "save_state", "save_view", "state_path", "STATE_NAME"]

STATE_NAME = "state.json"


class StateError(ValueError):
    """A state file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True, slots=True)
class State:
    theme: str | None = None
    config_theme: str | None = None
    view: str | None = None


def state_path(data_dir: Path) -> Path:
    return data_dir / STATE_NAME


def load_state(path: Path) -> State:
    """Read ``path``; a missing file is the empty state."""
    data = _read(path)
    if data is None:
        return State()
    values: dict[str, str | None] = {}
    for key in ("theme", "config_theme", "view"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise StateError(f"{path}: {key} is not a name: {value!r}")
        values[key] = value
    return State(**values)


def save_state(path: Path, state: State) -> None:
    """Write ``state`` over ``path``, keeping the keys another version wrote there."""
    try:
        data = _read(path) or {}
    except StateError:
        data = {}
    data.update(theme=state.theme, config_theme=state.config_theme)
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def save_view(path: Path, view: str | None) -> None:
    """Remember the list pane's view in ``path``, the other keys kept."""
    try:
        data = _read(path) or {}
    except StateError:
        data = {}
    data["view"] = view
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _read(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise StateError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise StateError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise StateError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise StateError(f"{path}: expected a JSON object, got {type(data).__name__}")
    return data
