"""Fixtures of the vacancy bank's tests: two lokets with the plugin on, one with it off."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import BASE_CONFIG, bearer, open_site

CONFIG = BASE_CONFIG.replace('plugins = ["voorbeeld"]', 'plugins = ["vacatures"]').replace(
    'regions = ["vo-twente"]\n', 'regions = ["vo-twente"]\nplugins = ["vacatures"]\n'
) + """
[lokets.gamma]
name = "Gamma"
regions = ["po-utrecht"]

[lokets.alpha.settings.vacatures]
default_valid_days = 30
warn_days_before = 5
"""

LIST = "/api/v1/lokets/{loket}/vacatures/vacancies"


@pytest.fixture
def site(write_config, store_url):
    """A site on each store: a real SQLite file and the real PostgreSQL (read models there too)."""
    with open_site(write_config, store_url, CONFIG) as site:
        yield site


@pytest.fixture
def editor(token):
    """Bearer headers of an editor of alpha."""
    return bearer(token("alpha", "editor"))


def vacancy_data(**changes: Any) -> dict[str, Any]:
    """A valid vacancy as the API takes it; ``changes`` override fields (camelCase)."""
    data = {
        "title": "Leraar groep 5",
        "summary": "Voor 0,8 fte in Zeist",
        "description": "Wij zoeken een **enthousiaste** leraar voor groep 5.",
        "sectors": ["po"],
        "schoolBoard": "41234",
        "schoolBoardName": "Stichting Sterk Onderwijs",
        "school": "12AB00",
        "schoolName": "De Regenboog",
        "function": "leraar",
        "kind": "regular",
        "region": "po-utrecht",
        "place": "Zeist",
        "postcode": "3701AB",
        "hoursMin": 24,
        "hoursMax": 32,
        "salaryScale": "L10",
        "salaryMin": 3300,
        "salaryMax": 5000,
        "zijInstroom": True,
        "applyUrl": "https://werkenbij.example.nl/123",
        "contactName": "Anna de Vries",
        "contactEmail": "anna@sterkonderwijs.example.nl",
        "validThrough": (date.today() + timedelta(days=20)).isoformat(),
    }
    data.update(changes)
    return data


def post_vacancy(client, headers, loket: str = "alpha", publish: bool = True, **changes: Any) -> dict[str, Any]:
    """Create (and publish) a vacancy through the API; returns its working copy."""
    created = client.post(LIST.format(loket=loket), json=vacancy_data(**changes), headers=headers)
    assert created.status_code == 201, created.json
    if not publish:
        return created.json
    published = client.post(f"{LIST.format(loket=loket)}/{created.json['id']}/publish", headers=headers)
    assert published.status_code == 200, published.json
    return published.json
