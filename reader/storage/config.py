"""The user's config file (YAML), validated with errors that name the place.

```yaml
library:            # folders or files to open when `reader` is given none
  - ~/Documents/articles
theme: nord         # any Textual theme name
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Config", "ConfigError", "load_config", "KNOWN_KEYS"]

KNOWN_KEYS = ("library", "theme")


class ConfigError(ValueError):
    """A config file that cannot be used; the message names file, line and value."""


@dataclass(frozen=True, slots=True)
class Config:
    library: tuple[Path, ...] = ()
    theme: str | None = None
    path: Path | None = None


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file is the default config."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror or error})") from None
    import yaml  # only when there is a config file: keeps start-up lean

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({error.problem})") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({error})") from None
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
    return Config(library=library, theme=theme.strip() if theme else None, path=path)


def _library(value: Any, path: Path, line: int) -> tuple[Path, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        raise ConfigError(f"{path}:{line}: library must be a folder or a list of folders, got {value!r}")
    base = path.parent
    return tuple((base / Path(item).expanduser()) for item in items)


def _key_lines(node: Any) -> dict[Any, int]:
    """Line numbers of the top-level keys of a composed YAML mapping node."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
