"""Search without Qt: quick open by name and the full-text index."""
