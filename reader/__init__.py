"""reader: a terminal reader for a personal library of articles and documents."""

__version__ = "0.1.0"
