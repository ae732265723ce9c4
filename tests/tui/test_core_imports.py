"""The core never imports Textual (ARCHITECTURE.md, principle 1)."""

from __future__ import annotations

import subprocess
import sys

CORE = ["store", "models", "service", "net", "feeds", "extract", "config", "paths", "render"]


def test_core_modules_do_not_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import termnews.{name}\n" for name in CORE)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_tui_app_does_not_import_network_libraries_before_first_frame():
    code = (
        "import sys\nimport termnews.tui.app, termnews.demo\n"
        "print(','.join(m for m in ('httpx', 'readability', 'feedparser') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
