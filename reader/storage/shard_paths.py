"""Where the notes store keeps a document's shard, known without loading the store.

The app asks, before its first frame, whether the document it opens has a shard at
all (a reading position to open at); the store (YAML, SQLite) loads only if it has.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["NOTES_FOLDER", "SHARD_SUFFIX", "has_shard"]

NOTES_FOLDER = "notes"
SHARD_SUFFIX = ".yaml"


def has_shard(data_dir: Path, doc_id: str) -> bool:
    """Whether a file (of any kind, even a broken link) stands where ``doc_id``'s shard goes."""
    return os.path.lexists(os.path.join(data_dir, NOTES_FOLDER, doc_id + SHARD_SUFFIX))
