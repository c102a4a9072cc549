"""Fixtures of the substitute pool's tests: loket alpha with a pool of two boards and three
schools, beta with a pool of its own, gamma with the plugin off."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

import re

from core.boards import set_boards
from core.envelope import acting
from core.outbox.domain import OutboxMessage
from tests.conftest import BASE_CONFIG, bearer, open_site

CONFIG = BASE_CONFIG.replace('plugins = ["voorbeeld"]', 'plugins = ["vervangingspool"]').replace(
    'regions = ["vo-twente"]\n', 'regions = ["vo-twente"]\nplugins = ["vervangingspool"]\n'
) + """
[lokets.gamma]
name = "Gamma"
regions = ["po-utrecht"]

[lokets.alpha.settings.vervangingspool]
offer_minutes = 30
tier_size = 2
"""

BOARD_A, BOARD_B = "41234", "45678"
SCHOOL_1, SCHOOL_2, SCHOOL_3 = "12AB00", "34CD00", "56EF00"  # 1 and 2 of board A, 3 of board B
ZEIST, UTRECHT, AMERSFOORT = [52.09, 5.23], [52.09, 5.12], [52.16, 5.39]


def next_weekday(weekday: int, after: date | None = None) -> date:
    """The first date from tomorrow on that falls on ``weekday`` (0 = Monday)."""
    day = (after or date.today()) + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


MONDAY = next_weekday(0)
NOW = datetime.combine(MONDAY - timedelta(days=3), datetime.min.time(), tzinfo=timezone.utc).replace(hour=8)


@pytest.fixture
def site(write_config, store_url):
    """A site on each store: a real SQLite file and the real PostgreSQL (read models there too)."""
    with open_site(write_config, store_url, CONFIG) as site:
        yield site


@pytest.fixture
def pool(site):
    """The pool service, with alpha's boards and schools in place."""
    from plugins.vervangingspool.service import SubstitutePool

    service = SubstitutePool(site)
    with acting(actor="cli:test", loket="alpha"):
        service.join_board("alpha", BOARD_A, "Stichting Sterk Onderwijs")
        service.join_board("alpha", BOARD_B, "Stichting Samen Leren")
        service.set_school("alpha", {"brin": SCHOOL_1, "name": "De Regenboog", "board": BOARD_A, "sector": "po", "location": ZEIST})
        service.set_school("alpha", {"brin": SCHOOL_2, "name": "De Klimop", "board": BOARD_A, "sector": "po", "location": UTRECHT})
        service.set_school("alpha", {"brin": SCHOOL_3, "name": "Het Baken", "board": BOARD_B, "sector": "po", "location": AMERSFOORT})
    return service


@pytest.fixture
def editor(token):
    """Bearer headers of an editor (a pool coordinator) of alpha."""
    return bearer(token("alpha", "editor"))


@pytest.fixture
def recruiter(site):
    """Bearer headers of a recruiter of alpha acting for board A (schools 1 and 2)."""
    with acting(actor="cli:test", loket="alpha"):
        token_id, secret = site.identity.create_token("werving sterk", "alpha", "recruiter")
        set_boards(site, "alpha", f"token:{token_id}", [BOARD_A])
    return bearer(secret)


def offers_to(site, name: str) -> list[str]:
    """The offer tokens e-mailed to ``name``, oldest first (read from the outbox, decrypted)."""
    found = []
    for message_id in site.app.aggregate_ids(OutboxMessage.MessageQueued):
        message = site.app.get(message_id, OutboxMessage)
        if message.purpose == "pool-offer" and message.to.value.startswith(name.lower().replace(" ", ".") + "@"):
            found.append((message.version, re.search(r"token=(\S+)", message.body.value).group(1)))
    return [token for _, token in found]


def profile(**changes: Any) -> dict[str, Any]:
    data = {
        "sectors": ["po"],
        "poQualified": True,
        "home": UTRECHT,
        "maxDistanceKm": 40,
        "availability": {day: ["morning", "afternoon"] for day in ("mon", "tue", "wed", "thu", "fri")},
    }
    data.update(changes)
    return data


def add_member(pool, name: str, boards=(BOARD_A, BOARD_B), loket: str = "alpha", **changes: Any) -> str:
    """A substitute approved by ``boards``; returns their id (text)."""
    with acting(actor="cli:test", loket=loket):
        member_id, _ = pool.add_member(loket, {"name": name, "email": f"{name.lower().replace(' ', '.')}@example.nl", "profile": profile(**changes)})
        for board in boards:
            pool.decide(loket, member_id, board, True)
    return str(member_id)


def parts(*keys: str, day: date = MONDAY) -> list[str]:
    return [f"{day.isoformat()}:{key}" for key in keys]
