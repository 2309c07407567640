"""The domain: documents, format readers, the library. Plain Python, no UI."""
