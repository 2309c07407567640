"""Full-text search over the library, with Whoosh."""
