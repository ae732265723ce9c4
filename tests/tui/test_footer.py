"""The key footer: one widget, spaced hints in both widths, the user's keys, clicks."""

from __future__ import annotations

from termnews.config import Config
from termnews.tui.widgets.key_footer import KeyFooter
from tests.tui.conftest import FakeService
from tests.tui.helpers import app_for, main, settle, widget_text


async def test_wide_footer_spaces_hints_and_docks_the_palette(service):
    app = app_for(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        assert not footer.compact
        line = widget_text(footer)
        assert line.startswith(" j/k move  enter read  s save  o browser  / search  r refresh")
        assert line.rstrip().endswith("? help  q quit" + " " * 32 + "^p palette")


async def test_narrow_footer_keeps_a_space_between_hints(service):
    app = app_for(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        assert footer.compact
        line = widget_text(footer)
        assert "j/k move enter read s save o browser / search r refresh ? help q quit" in line
        assert line.rstrip().endswith(" ^p")  # no room for the word: the key alone
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert not footer.compact and "move  enter" in widget_text(footer)


async def test_footer_shows_remapped_keys(store, ids):
    app = app_for(FakeService(store, Config(keys={"save": "x"})))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        line = widget_text(app.screen.query_one(KeyFooter))
        assert " x save " in line and " s save " not in line


async def test_clicking_a_hint_presses_its_key(service, ids):
    app = app_for(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        line = widget_text(footer)
        await pilot.click(KeyFooter, offset=(line.index("enter") + 1, 0))
        await settle(pilot)
        assert main(app).article.post_id == ids["a"]


def test_keymap_problems_are_one_line():
    from termnews.tui.commands import keymap_problem

    assert keymap_problem({}) is None  # the defaults never clash
    assert keymap_problem({"save": "ctrl+s"}) is None
    assert keymap_problem({"save": "S", "sources": "F"}) is None
    clash = keymap_problem({"save": "S"})
    assert clash and "save" in clash and "sources" in clash
    assert "no such command" in keymap_problem({"bogus": "x"})
    assert "link_5" in keymap_problem({"save": "5"})


async def test_a_disabled_action_shows_dimmed():
    from textual.app import App
    from textual.binding import Binding
    from textual.screen import Screen

    class Dimmed(Screen[None]):
        BINDINGS = [Binding("s", "save", "save"), Binding("o", "browse", "browser")]

        def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            return None if action == "browse" else True  # None: shown, but disabled

        def compose(self):  # type: ignore[no-untyped-def]
            yield KeyFooter()

    class One(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Dimmed())

    app = One()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(KeyFooter).render()
        styles = {line.plain[s.start : s.end]: s.style for s in line.spans}
        assert line.plain.startswith("s save  o browser")
        assert styles["browser"].dim and styles["o "].dim  # type: ignore[union-attr]
        assert not styles["save"].dim  # type: ignore[union-attr]
