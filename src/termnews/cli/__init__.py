"""The command line: subcommands for scripts and cron, and the reader when run bare."""

from termnews.cli.main import main

__all__ = ["main"]
