"""Errors shared by every layer: the command line, the core and paper all raise these."""


class UsageError(Exception):
    """A one-line message for stderr; the process exits with status 2."""


def unknown_topic(topic_id: str) -> UsageError:
    """The error for a topic id the library does not have: the same words at a first launch
    and from a window a second launch handed its topic to."""
    return UsageError(f"unknown topic id: {topic_id!r} (cloudref --list shows them)")
