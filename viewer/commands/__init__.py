"""Command-line jobs that need no window (the library check)."""
