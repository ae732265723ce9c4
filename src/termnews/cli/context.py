"""What every subcommand shares: the opened service, the one-line error, the exit codes."""

from __future__ import annotations

import sys
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from termnews.service import Service

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_PIPE = 128 + 13  # SIGPIPE, as a shell reports `ls | head`


class Context:
    """What a command needs: the service over the opened store (opened on first use)."""

    def __init__(self, data_dir: str | None, offline: bool) -> None:
        self.data_dir = data_dir
        self.offline = offline
        self._service: Service | None = None

    @property
    def service(self) -> Service:
        if self._service is None:
            from termnews.bootstrap import open_service

            self._service = open_service(self.data_dir, offline=self.offline)
        return self._service

    def close(self) -> None:
        """Close the database's connections (SQLite's statement cache would keep them open
        until garbage collection, the WAL unmerged)."""
        if self._service is not None:
            self._service.store.close()

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run a coroutine of the service, closing the HTTP client afterwards.

        asyncio is imported here, not with the module: the parser's worker processes
        import the command line's main module and need none of it (~40 ms each)."""
        import asyncio

        async def runner() -> Any:
            try:
                return await coro
            finally:
                await self.service.aclose()

        return asyncio.run(runner())


def error(message: str) -> None:
    from termnews.text import clean_line

    print(f"termnews: {clean_line(message)}", file=sys.stderr)
