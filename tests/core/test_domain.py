"""The Loket aggregate and the envelope, as a story."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# Any sequence of configurations: the aggregate ends up as the last one says, and re-applying it
# records nothing.

REGIONS = [{"id": f"r{i}", "name": f"Regio {i}", "kind": "rap-po", "sectors": ["po"]} for i in range(4)]
specs = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Alpha", "Alpha Regio", "Beta"]),
        "sectors": st.sampled_from([["po"], ["vo", "mbo"]]),
        "regions": st.lists(st.sampled_from(REGIONS), unique_by=lambda r: r["id"], max_size=4),
        "plugins": st.lists(st.sampled_from(["vacatures", "eportfolio", "vervangingspool"]), unique=True),
        "settings": st.dictionaries(st.sampled_from(["vacatures", "eportfolio"]), st.fixed_dictionaries({"days": st.integers(1, 90)})),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(specs, min_size=1, max_size=5))
def test_any_sequence_of_configurations_converges(sequence):
    with acting(actor="config"):
        loket = Loket(slug="alpha", name="Alpha", sectors=["po"], config_sha256="0" * 64)
        for spec in sequence:
            loket.apply_config(spec, "1" * 64)
        last = sequence[-1]
        assert loket.name == last["name"] and loket.sectors == last["sectors"]
        assert sorted(loket.regions) == sorted(r["id"] for r in last["regions"])
        assert all(loket.regions[r["id"]] == r for r in last["regions"])
        assert sorted(loket.plugins) == sorted(last["plugins"])
        assert all(loket.settings[p] == s for p, s in last["settings"].items())
        loket.collect_events()
        loket.apply_config(last, "2" * 64)
        assert loket.collect_events() == []
