"""The root of termnews's own errors: the UI and CLI catch this and show its one-line message."""

from __future__ import annotations


class TermnewsError(Exception):
    """An error a user can act on; ``str(error)`` is one clear line, never a traceback."""


class ServiceError(TermnewsError):
    """An operation cannot be done as asked (a duplicate source, an unknown ID, offline…)."""


class OfflineError(ServiceError):
    """The action needs the network and termnews is offline."""


class UsageError(ServiceError):
    """The command was given something it cannot use (an unknown source, a bad file or URL)."""


class ConfigError(TermnewsError):
    """The configuration file cannot be read or holds a bad value; the message is one line."""


class StoreError(TermnewsError):
    """The database cannot be opened or used; the message is one line naming the file."""


class DiskFull(StoreError):
    """A write failed because the disk (or the database's size limit) is full."""
