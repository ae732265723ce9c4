"""The words of an update and the network's state, from ``Service.update``'s events alone."""

from __future__ import annotations

from termnews.models import Source
from termnews.service import (
    PrefetchProgress,
    PrefetchSummary,
    RefreshProgress,
    RefreshSummary,
    SourceResult,
    UpdateSummary,
)
from termnews.tui.updates import NetworkState, UpdateReport

ONE = Source(1, "https://one.example/", "One", "feed", "https://one.example/f")
TWO = Source(2, "https://two.example/", "Two", "feed", "https://two.example/f")


def _down(*sources: Source) -> RefreshSummary:
    return RefreshSummary(
        [SourceResult(s, 0, "connection refused", unreachable=True) for s in sources]
    )


def test_report_follows_the_events_and_ignores_unknown_ones():
    report = UpdateReport.starting(2)
    assert report.activity == "Refreshing 0/2 sources"
    report.feed(RefreshProgress(1, 2, ONE, None, 3))
    report.feed(RefreshProgress(2, 2, TWO, "HTTP 500", 0))
    assert (report.activity, report.errors) == ("Refreshing 2/2 sources", 1)
    refreshed = RefreshSummary([SourceResult(ONE, 3), SourceResult(TWO, 0, "HTTP 500")])
    report.feed(refreshed)
    assert (report.activity, report.errors) == ("3 new posts", 1)
    assert report.failure_line() == "Two: HTTP 500"
    report.feed(object())  # a kind of event this reader does not know (a sync step, say)
    report.feed(PrefetchProgress(1, 4))
    assert report.activity == "Downloading articles 1/4"
    report.finish(UpdateSummary(refreshed, 0, PrefetchSummary(1, 3)))
    assert report.activity == "3 new posts · 1 article downloaded"


def test_report_of_an_unreachable_network_blames_no_source():
    report = UpdateReport.starting(2)
    report.feed(RefreshProgress(1, 2, ONE, "connection refused", 0))
    report.feed(_down(ONE, TWO))
    report.finish(UpdateSummary(_down(ONE, TWO)))
    assert (report.activity, report.errors, report.outcome) == ("", 0, "")


def test_network_state_is_judged_from_refreshes():
    network = NetworkState()
    assert network.judge(RefreshSummary([SourceResult(ONE, 1)])) is None
    assert network.judge(_down(ONE)) == (
        "Network unreachable (connection refused): reading from the cache."
    )
    assert network.down
    assert network.judge(_down(ONE)) == "Still offline: the network is unreachable."
    one_broken = RefreshSummary([SourceResult(ONE, 0, "HTTP 500")])  # a site, not the network
    assert network.judge(one_broken) == "Back online."
    assert not network.down


def test_report_shows_sync_progress_and_its_failure():
    from termnews.service import SyncProgress, SyncSummary

    report = UpdateReport.starting(3)
    report.feed(SyncProgress("items", 250, 1000))
    assert report.activity == "Pulling items 250/1000"
    report.feed(SyncSummary(error="wrong password for sync"))
    assert report.failure_line() == "Sync: wrong password for sync"
