"""Comparison tables: the data from comparisons/*.toml and its renderings."""
