"""The user's config, data and cache folders.

They come from platformdirs (XDG on Linux). ``READER_HOME=DIR`` puts all
three under DIR (``DIR/config``, ``DIR/data``, ``DIR/cache``), which is what
tests and portable set-ups use.

``expand_user`` expands ``~`` and ``~user`` with a one-line error for a user
that does not exist; ``folder_problem`` says why one of these folders cannot be
made (a file in the way, a folder that is not writable), for the one-line error
a command gives instead of a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = ["Paths", "APP_NAME", "PathError", "expand_user", "folder_problem"]

APP_NAME = "reader"


class PathError(ValueError):
    """A path that cannot be used as written: one line naming it."""


def expand_user(text: str | Path) -> Path:
    """``text`` as a path with ``~`` and ``~user`` expanded; PathError when there is no such user."""
    path = Path(text)
    try:
        return path.expanduser()
    except RuntimeError:  # pathlib: "Could not determine home directory."
        head = str(text).split(os.sep, 1)[0]
        who = f"no such user {head[1:]!r}" if len(head) > 1 else "no home folder ($HOME is not set)"
        raise PathError(f"{text}: {who}") from None


def folder_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot be made or written, in a few words; None when nothing is in the way."""
    for place in (folder, *folder.parents):
        try:
            is_folder = place.is_dir()
            exists = is_folder or os.path.lexists(place)
        except OSError as error:
            return f"{place}: {error.strerror or error}"
        if not exists:
            continue
        if not is_folder:
            return f"{place} is a file, not a folder" if place != folder else "it is a file, not a folder"
        if not os.access(place, os.W_OK | os.X_OK):
            return f"{place} is not writable" if place != folder else "it is not writable"
        return None
    return None


@dataclass(frozen=True, slots=True)
class Paths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Paths:
        env = os.environ if environ is None else environ
        home = env.get("READER_HOME", "").strip()
        if home:
            try:
                root = expand_user(home).absolute()
            except PathError as error:
                raise PathError(f"READER_HOME={error}") from None
            return cls(root / "config", root / "data", root / "cache")
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    def folders(self) -> tuple[tuple[str, Path], ...]:
        """The three folders with their names, for messages."""
        return (("config", self.config_dir), ("data", self.data_dir), ("cache", self.cache_dir))

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.yaml"

    @property
    def index_dir(self) -> Path:
        return self.cache_dir / "index"

    @property
    def articles_dir(self) -> Path:
        """Where ``reader add`` saves articles unless the config's ``articles:`` says otherwise."""
        return self.data_dir / "articles"
