"""termnews: a terminal news reader with a clean reader mode and an offline library."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "termnews"
USER_AGENT = f"termnews/{__version__} (+terminal news reader)"
