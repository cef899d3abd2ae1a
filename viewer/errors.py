"""Errors shared by every layer: the command line, the core and paper all raise these."""


class UsageError(Exception):
    """A one-line message for stderr; the process exits with status 2."""
