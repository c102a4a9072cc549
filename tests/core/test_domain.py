"""The Loket aggregate and the envelope, as a story."""

import pytest

from core.domain import Loket
from core.envelope import acting, caused_by
from core.errors import MissingEnvelopeError

SPEC = {
    "name": "Alpha",
    "sectors": ["po"],
    "regions": [{"id": "po-utrecht", "name": "Utrecht", "kind": "rap-po", "sectors": ["po"]}],
    "plugins": ["vacatures"],
    "settings": {"vacatures": {"default_valid_days": 60}},
}


def event_names(loket):
    return [type(e).__name__ for e in loket.collect_events()]


def test_a_loket_grows_by_config_events():
    with acting(actor="config"):
        # Opening a loket and applying its first configuration records one event per fact.
        loket = Loket(slug="alpha", name="Alpha", sectors=["po"], config_sha256="a" * 64)
        loket.apply_config(SPEC, "a" * 64)
        assert event_names(loket) == ["LoketOpened", "RegionJoined", "PluginEnabled", "SettingsChanged"]

        # The same specification again records nothing.
        loket.apply_config(SPEC, "b" * 64)
        assert event_names(loket) == []

        # Each difference is one event, in a fixed order.
        changed = {
            **SPEC,
            "name": "Alpha Regio",
            "regions": [{"id": "po-amersfoort", "name": "Amersfoort", "kind": "rap-po", "sectors": ["po"]}],
            "plugins": ["eportfolio"],
            "settings": {"vacatures": {"default_valid_days": 30}},
        }
        loket.apply_config(changed, "c" * 64)
        assert event_names(loket) == [
            "LoketRenamed", "RegionLeft", "RegionJoined", "PluginDisabled", "PluginEnabled", "SettingsChanged",
        ]

        # A closed loket is reopened by appearing in the configuration again.
        loket.close("d" * 64)
        loket.apply_config(changed, "e" * 64)
        assert event_names(loket) == ["LoketClosed", "LoketReopened"]


def test_every_event_carries_the_envelope():
    with acting(actor="config", correlation_id="req-1") as envelope:
        loket = Loket(slug="alpha", name="Alpha", sectors=["po"], config_sha256="a" * 64)
        loket.apply_config(SPEC, "a" * 64)
    events = loket.collect_events()
    assert {e.envelope["actor"] for e in events} == {"config"}
    assert {e.envelope["correlation_id"] for e in events} == {envelope.correlation_id} == {"req-1"}
    # The loket of a Loket event is the loket itself, whatever the surrounding block says.
    assert {e.envelope["loket"] for e in events} == {"alpha"}
    assert all(e.config_sha256 == "a" * 64 for e in events)


def test_caused_by_sets_the_causation_id():
    with acting(actor="system"):
        loket = Loket(slug="alpha", name="Alpha", sectors=["po"], config_sha256="a" * 64)
        opened = loket.pending_events[0]
        with caused_by(opened):
            loket.close("a" * 64)
    closed = loket.collect_events()[-1]
    assert closed.envelope["causation_id"] == f"{loket.id}/1"
    assert opened.envelope["causation_id"] is None


def test_an_event_without_an_actor_is_refused():
    with pytest.raises(MissingEnvelopeError):
        Loket(slug="alpha", name="Alpha", sectors=["po"], config_sha256="a" * 64)


def test_the_loket_id_follows_from_the_slug():
    assert Loket.create_id("alpha") == Loket.create_id("alpha") != Loket.create_id("beta")
