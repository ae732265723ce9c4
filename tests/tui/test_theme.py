"""Looks that stay: the palette's theme saved to config.toml and used on the next start;
the palette shows every command's key."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import CommandList, CommandPalette

from termnews.config import Config, load_config
from termnews.paths import config_file
from tests.tui.conftest import FakeService
from tests.tui.helpers import app_for, notifications, settle

HAND_WRITTEN = """\
# my reader, by hand
retention_days = 30  # a month is plenty

[keys]
save = "x"
"""


async def until(pilot, condition: Callable[[], bool]) -> None:  # type: ignore[no-untyped-def]
    """Wait for the palette's search (it runs in a worker, in batches)."""
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition never held")


def palette_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    commands = app.screen.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


async def choose_in_palette(pilot, words: str, first: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``words`` into the open palette, wait until ``first`` is the top hit, run it."""
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*words)
    await until(
        pilot, lambda: palette_lines(pilot.app)[:1] and first in palette_lines(pilot.app)[0]
    )
    await pilot.press("enter")


async def test_the_chosen_theme_is_saved_and_used_after_a_restart(store, ids):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    app = app_for(FakeService(store, load_config()))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await choose_in_palette(pilot, "theme", "Theme")
        await choose_in_palette(pilot, "textual-light", "textual-light")
        await settle(pilot)
        assert app.theme == "textual-light"
    text = path.read_text(encoding="utf-8")
    assert text == HAND_WRITTEN.replace("plenty\n", 'plenty\ntheme = "textual-light"\n')
    again = app_for(FakeService(store, load_config()))
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"
        assert again.has_class("-light-mode")
    assert path.read_text(encoding="utf-8") == text  # starting with it writes nothing


async def test_an_unknown_theme_is_one_line_and_the_default(store, ids):
    app = app_for(FakeService(store, Config(theme="no-such-theme")))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert notifications(app) == [
            'config.toml: no theme called "no-such-theme"; using textual-dark.'
        ]
    assert not config_file().exists()


async def test_the_palette_shows_each_commands_key_as_remapped(store, ids):
    app = app_for(FakeService(store, Config(keys={"save": "x"})))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press("down")  # the list of every command, before anything is typed
        await until(pilot, lambda: len(palette_lines(app)) > 20)
        lines = palette_lines(app)
        wanted = "Next unread post (then the next source)  n\n[keys] next_unread in config.toml"
        assert wanted in lines, lines
        assert any(
            line.startswith("Save or unsave (saved posts are kept offline)  x\n") for line in lines
        )
        assert any(
            line.startswith("Pick any link of the article (open, browse, copy)  L")
            for line in lines
        )
        assert any(
            line.startswith("Back to the article the link was followed from  h / backspace")
            for line in lines
        )
        await pilot.press(*"unread")
        await until(pilot, lambda: palette_lines(app)[:1] and "unread" in palette_lines(app)[0])
        top = palette_lines(app)[0].split("\n")[0]  # search hits carry the key too
        assert top in (
            "Next unread post (then the next source)  n",
            "Previous unread post  p",
            "Page down (at the end: the next unread post)  space / pgdn",
        ), top
