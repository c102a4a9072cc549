"""The demo vacancies: valid, varied and the same on every run; seeded once per loket that has the
plugin on, through the ordinary commands, and findable through the public list."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from core.demo import DEMO_CONFIG
from plugins.vacatures.demo import DEMO_LOKETS, generate
from plugins.vacatures.schemas import VacancySchema

LIST = "/api/v1/lokets/{loket}/vacatures/vacancies"


@pytest.mark.parametrize("loket", sorted(DEMO_LOKETS))
def test_the_generated_vacancies_are_valid_varied_and_repeatable(loket):
    today = date(2026, 3, 2)
    vacancies = generate(loket, today=today)
    assert vacancies == generate(loket, today=today)
    assert generate(loket, seed=7, today=today) != vacancies
    schema = VacancySchema()
    for data in vacancies:
        assert schema.validate({k: v for k, v in data.items() if k != "_fate"}) == {}, data
    # Each is its own vacancy: unique slugs and (board, external id).
    assert len({v["slug"] for v in vacancies}) == len({(v["schoolBoard"], v["externalId"]) for v in vacancies}) == len(vacancies)
    # Mostly teachers, but other staff too; several boards, schools and places; every kind of fate.
    functions = Counter(v["function"] for v in vacancies)
    assert functions.most_common(1)[0][0] == "leraar" and len(functions) >= 6
    assert len({v["schoolBoard"] for v in vacancies}) >= 5 and len({v["place"] for v in vacancies}) >= 8
    assert set(Counter(v["_fate"] for v in vacancies)) == {"published", "draft", "filled", "expired"}
    assert {"regular", "substitution"} <= {v["kind"] for v in vacancies}
    assert any(v["zijInstroom"] for v in vacancies)
    assert all(v["validThrough"] >= today.isoformat() for v in vacancies)


def test_vo_vacancies_name_their_subjects():
    subjects = Counter(s for v in generate("vota") for s in v["subjects"])
    assert {"wiskunde", "nederlands", "engels", "natuurkunde", "duits"} <= set(subjects)


def test_seeding_makes_the_demo_once_per_loket_with_the_plugin_on(tmp_path):
    from core.site import Site
    from web import create_app

    # The demo configuration, with VOTA's vacancy bank off at first (its other plugins stay on).
    config = tmp_path / "loket.toml"
    demo_text = DEMO_CONFIG.read_text(encoding="utf-8")
    before, vota = demo_text.split("[lokets.vota]\n")
    plugins_line = next(line for line in vota.splitlines() if line.startswith("plugins = "))
    without = "plugins = " + json.dumps([p for p in json.loads(plugins_line.removeprefix("plugins = ")) if p != "vacatures"])
    assert without != plugins_line
    config.write_text(before + "[lokets.vota]\n" + vota.replace(plugins_line, without, 1), encoding="utf-8")
    site = Site.open(config)
    site.apply_config()
    try:
        # Voor de Klas gets its vacancies, VOTA none; a second seed adds nothing.
        assert site.plugins.call("vacatures", "seed_demo", site=site) == DEMO_LOKETS["voordeklas"]["count"]
        assert site.plugins.call("vacatures", "seed_demo", site=site) == 0
        board = site.projection("vacatures").view
        assert board.query("SELECT COUNT(*) AS n FROM vacatures_board WHERE loket = 'vota'")[0]["n"] == 0

        # Through the ordinary commands, as the system, under the demo's correlation id.
        events = list(site.app.events.get(_any_filled(board, "voordeklas")))
        assert [type(e).__name__ for e in events] == ["Drafted", "Published", "Closed"]
        assert {(e.envelope["actor"], e.envelope["correlation_id"]) for e in events} == {("system", "demo-seed")}

        # Statuses as generated: most published, some drafts, a few filled and expired.
        expected = Counter(v["_fate"] for v in generate("voordeklas"))
        rows = board.query("SELECT status, outcome FROM vacatures_board WHERE loket = 'voordeklas'")
        assert Counter(r["outcome"] or r["status"] for r in rows) == expected

        # The public list shows the open ones, with facets, filters and stemmed search.
        client = create_app(site).test_client()
        listed = client.get(LIST.format(loket="voordeklas")).json
        assert listed["total"] == expected["published"] and len(listed["items"]) == 20
        assert listed["facets"]["sector"] == {"po": expected["published"]}
        assert listed["facets"]["function"]["leraar"] > listed["total"] / 3
        assert set(listed["facets"]["region"]) == {"po-utrecht-stad", "po-utrecht-west", "po-utrecht-oost"}
        assert client.get(LIST.format(loket="voordeklas") + "?kind=substitution").json["total"] > 0
        assert client.get(LIST.format(loket="voordeklas") + "?q=lessen").json["total"] > 0
        assert client.get(LIST.format(loket="voordeklas") + "?q=leerkrachten").json["total"] > 0
        assert client.get(LIST.format(loket="voordeklas") + "?q=zij-instroom").json["total"] > 0
        site.close()

        # VOTA switches the plugin on: its demo follows at the next seed, once.
        config.write_text(demo_text, encoding="utf-8")
        site = Site.open(config)
        site.apply_config()
        assert site.plugins.call("vacatures", "seed_demo", site=site) == DEMO_LOKETS["vota"]["count"]
        assert site.plugins.call("vacatures", "seed_demo", site=site) == 0
        client = create_app(site).test_client()
        found = client.get(LIST.format(loket="vota") + "?q=wiskundedocent").json
        assert found["total"] > 0 and found["facets"]["subject"]["wiskunde"] > 0
        assert client.get(LIST.format(loket="vota") + "?subject=duits").json["total"] > 0
    finally:
        site.close()


def _any_filled(board, loket):
    from uuid import UUID

    [row] = board.query("SELECT id FROM vacatures_board WHERE loket = ? AND outcome = 'filled' ORDER BY id LIMIT 1", (loket,))
    return UUID(row["id"])


def test_a_loket_that_asks_approval_gets_the_demo_as_a_queue_to_approve(write_config, tmp_path):
    from uuid import UUID

    from core.site import Site
    from plugins.vacatures.demo import _seed_loket
    from plugins.vacatures.domain import Vacancy
    from tests.plugins.vacatures.conftest import CONFIG

    site = Site.open(write_config(CONFIG.replace('plugins = ["vacatures"]', 'plugins = ["vacatures"]\napproval = ["vacancy"]', 1), url=f"sqlite:///{tmp_path}/events.sqlite"))
    site.apply_config()
    try:
        vacancies = generate("voordeklas", 12)
        assert _seed_loket(site, "alpha", vacancies) == 12
        site.projections.catch_up()
        rows = site.projection("vacatures").view.query("SELECT id FROM vacatures_board WHERE loket = 'alpha' AND status = 'draft'")
        approvals = Counter(site.app.get(UUID(row["id"]), Vacancy).approval for row in rows)
        assert approvals == Counter(None if v["_fate"] == "draft" else "pending" for v in vacancies)
    finally:
        site.close()
