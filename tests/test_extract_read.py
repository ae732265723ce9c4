"""``termnews read``: paragraphs apart, wrapped on a terminal, links on request, from the cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from termnews.document import Document, Inline, ListBlock, ListItem, Paragraph
from termnews.formats.plain import document_to_text
from tests.server import LoopbackServer, Response

PARAGRAPHS = ("Boxing rewards patience", "Start with footwork drills", "Breathing matters")


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TERMNEWS_DATA_DIR": str(data_dir), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "termnews", *args],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip


def test_piped_read_is_one_paragraph_a_line_with_blank_lines_and_no_links(
    tmp_path: Path, server: LoopbackServer
) -> None:
    result = run("read", server.url("/service/article.html"), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith(PARAGRAPHS)]
    assert len(starts) == 3
    for n in starts:
        assert lines[n - 1] == ""  # a blank line before each paragraph
        assert len(lines[n]) > 150  # the whole paragraph on its line
    assert "Links:" not in result.stdout


def test_read_links_lists_them(tmp_path: Path, server: LoopbackServer) -> None:
    page = (
        "<html><body><article><p>" + "A long opening paragraph about the harbour. " * 6
        + '</p><p>Read <a href="/report">the report</a> of the harbour board on the works '
        "that begin next spring and last two years.</p></article></body></html>"
    )  # fmt: skip
    url = server.route("/linked", Response(page.encode(), 200, {"Content-Type": "text/html"}))
    plain = run("read", url, data_dir=tmp_path).stdout
    linked = run("read", "--links", url, data_dir=tmp_path).stdout
    assert "[1]" not in plain and "Links:" not in plain
    assert "the report[1]" in linked
    assert linked.rstrip().endswith(f"[1] {server.url('/report')}")


def test_read_offline_serves_a_saved_post_from_the_cache(
    tmp_path: Path, server: LoopbackServer
) -> None:
    url = server.url("/service/article.html")
    assert run("save", url, data_dir=tmp_path).returncode == 0
    hits = len(server.hits("/service/article.html"))
    result = run("read", "--offline", url, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Start with footwork drills" in result.stdout
    online = run("read", url, data_dir=tmp_path)
    assert "Start with footwork drills" in online.stdout
    assert len(server.hits("/service/article.html")) == hits  # both from the cache


def test_read_offline_of_an_unknown_page_is_one_line(tmp_path: Path) -> None:
    result = run("read", "--offline", "https://nowhere.example/x", data_dir=tmp_path)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_text_wraps_to_the_width_keeping_list_indents() -> None:
    doc = Document(
        url="x",
        blocks=(
            Paragraph((Inline("word " * 60),)),
            ListBlock(False, (ListItem((Inline("item " * 30),)),)),
        ),
    )
    lines = document_to_text(doc, width=40).splitlines()
    assert max(len(line) for line in lines) <= 40
    items = [line for line in lines if "item" in line]
    assert items[0].startswith("- ") and all(line.startswith("  item") for line in items[1:])
    assert "" in lines[lines.index(items[0]) - 1 : lines.index(items[0])]
