"""The user's config file (YAML), validated with errors that name the place.

```yaml
library:            # folders or files to open when `reader` is given none
  - ~/Documents/articles
theme: nord         # any Textual theme name
articles: ~/articles  # where `reader add` saves articles (default: in the data folder)
keys:               # binding id: key, or several keys separated by commas
  search: ctrl+k
  next_hit: "n,ctrl+n"
```

This module checks the shape of ``keys:`` (binding ids that are names, values that
are key strings); which binding ids exist and which key names are real is known
only to the app, which checks them at start-up with the line of each setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.storage.paths import PathError, expand_user, folder_problem

__all__ = ["Config", "ConfigError", "KeySetting", "load_config", "KNOWN_KEYS"]

KNOWN_KEYS = ("library", "theme", "keys", "articles")

_BINDING_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


class ConfigError(ValueError):
    """A config file that cannot be used; the message names file, line and value."""


@dataclass(frozen=True, slots=True)
class KeySetting:
    """One line of ``keys:``: a binding id and the keys it is given, as written."""

    binding: str
    keys: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Config:
    library: tuple[Path, ...] = ()
    theme: str | None = None
    keys: tuple[KeySetting, ...] = ()
    path: Path | None = None
    articles: Path | None = None  # the articles folder, when the config names one


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file is the default config."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except NotADirectoryError:
        raise ConfigError(f"{path}: cannot read ({folder_problem(path.parent) or 'not a folder'})") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror or error})") from None
    import yaml  # only when there is a config file: keeps start-up lean

    from reader.storage.yaml_text import YamlTextError, check_nesting, load_yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        check_nesting(text)
        node = yaml.compose(text, Loader=loader)
        data = load_yaml(text)  # what a constructor chokes on (!!bool maybe, 2024-13-01), with its place
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({error.problem})") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({error})") from None
    except YamlTextError as error:
        where = f":{error.line}:{error.column}" if error.line else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({error.problem})") from None
    if data is None:
        return Config(path=path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected settings as 'key: value' lines, got {type(data).__name__}")
    lines = _key_lines(node)
    for key in data:
        if key not in KNOWN_KEYS:
            raise ConfigError(
                f"{path}:{lines.get(key, 1)}: unknown setting {key!r} (known: {', '.join(KNOWN_KEYS)})"
            )
    library = _library(data.get("library"), path, lines.get("library", 1))
    theme = data.get("theme")
    if theme is not None and (not isinstance(theme, str) or not theme.strip()):
        raise ConfigError(f"{path}:{lines.get('theme', 1)}: theme must be a theme name, got {theme!r}")
    keys = _keys(_value_node(node, "keys"), path, lines.get("keys", 1))
    articles = _articles(data.get("articles"), path, lines.get("articles", 1))
    return Config(
        library=library, theme=theme.strip() if theme else None, keys=keys, path=path, articles=articles
    )


def _library(value: Any, path: Path, line: int) -> tuple[Path, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        raise ConfigError(f"{path}:{line}: library must be a folder or a list of folders, got {value!r}")
    base = path.parent
    try:
        return tuple((base / expand_user(item)) for item in items)
    except PathError as error:
        raise ConfigError(f"{path}:{line}: library: {error}") from None


def _articles(value: Any, path: Path, line: int) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}:{line}: articles must be a folder, got {value!r}")
    try:
        return path.parent / expand_user(value.strip())
    except PathError as error:
        raise ConfigError(f"{path}:{line}: articles: {error}") from None


def _keys(node: Any, path: Path, line: int) -> tuple[KeySetting, ...]:
    """``keys:`` read from its YAML nodes, so every setting keeps its line.

    A plain scalar is taken as written: ``next_hit: 5`` means the key 5 and
    ``search: no`` the (unknown) key "no", not a number or a boolean.
    """
    import yaml

    if node is None or _is_null(node):
        return ()
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(
            f"{path}:{line}: keys must be 'binding_id: key' lines, got {_shown(node)}"
        )
    settings: list[KeySetting] = []
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        where = key_node.start_mark.line + 1
        binding = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(binding, str) or not _BINDING_ID.fullmatch(binding):
            raise ConfigError(f"{path}:{where}: keys: {_shown(key_node)} is not a binding id")
        if binding in seen:
            raise ConfigError(f"{path}:{where}: keys: {binding} is set twice (first on line {seen[binding]})")
        seen[binding] = where
        settings.append(KeySetting(binding, _key_list(value_node, binding, path, where), where))
    return tuple(settings)


def _key_list(node: Any, binding: str, path: Path, line: int) -> tuple[str, ...]:
    """The keys of one setting: a string with commas between keys, or a list of strings."""
    import yaml

    example = f"e.g. '{binding}: ctrl+k' or '{binding}: \"n,ctrl+n\"'"
    if isinstance(node, yaml.ScalarNode) and not _is_null(node):
        parts = node.value.split(",")
    elif isinstance(node, yaml.SequenceNode) and node.value:
        if not all(isinstance(item, yaml.ScalarNode) and not _is_null(item) for item in node.value):
            raise ConfigError(f"{path}:{line}: keys: {binding} must be a key string, {example}; got {_shown(node)}")
        parts = [part for item in node.value for part in item.value.split(",")]
    elif _is_null(node) or isinstance(node, yaml.SequenceNode):
        raise ConfigError(f"{path}:{line}: keys: {binding} has no key; {example}")
    else:
        raise ConfigError(f"{path}:{line}: keys: {binding} must be a key string, {example}; got {_shown(node)}")
    keys = tuple(part.strip() for part in parts)
    if not all(keys):
        raise ConfigError(
            f"{path}:{line}: keys: {binding}: an empty key in {_shown(node)} (write comma for the , key, space for the space bar)"
        )
    return keys


def _is_null(node: Any) -> bool:
    return node.tag == "tag:yaml.org,2002:null"


def _shown(node: Any) -> str:
    """A node as the user wrote it, cut short: for error messages."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        text = repr(node.value)
    elif isinstance(node, yaml.SequenceNode):
        text = "a list"
    elif isinstance(node, yaml.MappingNode):
        text = "a mapping"
    else:
        text = type(node).__name__
    return text if len(text) <= 60 else text[:59] + "…"


def _value_node(node: Any, key: str) -> Any:
    """The value node of a top-level ``key`` in a composed YAML mapping node."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def _key_lines(node: Any) -> dict[Any, int]:
    """Line numbers of the top-level keys of a composed YAML mapping node."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
