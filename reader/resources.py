"""Find the files shipped with reader: the seed library and the styles.

In a checkout they sit at the top level (``seeds/``, ``styles/``); in an
installed wheel they are packaged as ``reader/_data/seeds`` and
``reader/_data/styles``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["seeds_dir", "styles_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    return _PACKAGE / "_data" / name


def seeds_dir() -> Path:
    """The sample library opened when no path is given or configured."""
    return _find("seeds")


def styles_dir() -> Path:
    return _find("styles")
