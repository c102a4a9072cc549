"""The application: conflicts are refused, never merged, and the log is read in order."""

import pytest

from core.domain import Loket
from core.envelope import acting
from core.errors import NotFoundError, StaleVersionError


def test_a_stale_write_is_refused_with_a_conflict_error(site):
    # Two people read the same version of a loket.
    first = site.lokets.get("alpha")
    second = site.lokets.get("alpha")
    with acting(actor="config"):
        first.close("a" * 64)
        second.close("b" * 64)

    # The first save lands; the second names a version that is gone and is refused.
    site.app.save(first)
    with pytest.raises(StaleVersionError, match="changed by someone else"):
        site.app.save(second)
    assert [type(e).__name__ for e in site.app.events.get(first.id)][-1] == "LoketClosed"
    assert len(list(site.app.events.get(first.id))) == first.version


def test_an_expected_version_that_is_gone_is_refused(site):
    loket_id = Loket.create_id("alpha")
    current = site.app.get(loket_id, Loket).version
    assert site.app.get(loket_id, Loket, expected_version=current).slug == "alpha"
    with pytest.raises(StaleVersionError) as raised:
        site.app.get(loket_id, Loket, expected_version=current - 1)
    assert raised.value.current_version == current


def test_unknown_ids_are_not_found(site):
    with pytest.raises(NotFoundError):
        site.app.get(Loket.create_id("nope"), Loket)


def test_domain_events_come_in_log_order(site):
    opened = [e.slug for e in site.app.domain_events(Loket.LoketOpened)]
    assert opened == ["alpha", "beta"]
    everything = list(site.app.domain_events())
    assert len(everything) == site.app.position()
