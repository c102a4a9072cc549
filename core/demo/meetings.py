"""Demo activities, questions and referrals for the two demo lokets. Dates are relative to the
moment of seeding, so the demo's agenda is always in the future. The people are fictional."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = datetime.now(AMSTERDAM) + timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def demo_activities() -> dict[str, list[dict[str, Any]]]:
    return {
        "voordeklas": [
            {
                "slug": "meeloopdag-basisschool",
                "title": "Meeloopdag op een basisschool",
                "kind": "shadowing",
                "summary": "Loop een ochtend mee met een leerkracht en ervaar hoe het is om voor de klas te staan.",
                "body": "Je bent welkom vanaf 8.15 uur. Je kijkt mee in de klas, helpt een groepje en praat na met de leerkracht en de directeur.",
                "startsAt": _at(14, 8, 15).isoformat(),
                "endsAt": _at(14, 12, 30).isoformat(),
                "attendance": "on_site",
                "location": {"name": "Basisschool De Boomgaard", "street": "Appellaan 12", "postcode": "3521 AB", "place": "Utrecht"},
                "capacity": 8,
                "sectors": ["po"],
                "organiser": "Voor de Klas",
            },
            {
                "slug": "online-informatieavond-zij-instroom",
                "title": "Online informatieavond zij-instroom",
                "kind": "information_evening",
                "summary": "Alles over zij-instroom in het basisonderwijs: voorwaarden, het geschiktheidsonderzoek en de opleiding.",
                "startsAt": _at(21, 19, 30).isoformat(),
                "endsAt": _at(21, 21, 0).isoformat(),
                "attendance": "online",
                "onlineUrl": "https://www.voordeklas.nl/",
                "capacity": None,
                "sectors": ["po"],
                "organiser": "Voor de Klas",
            },
        ],
        "vota": [
            {
                "slug": "open-dag-werken-in-het-vo",
                "title": "Open dag: werken in het voortgezet onderwijs",
                "kind": "open_day",
                "summary": "Maak kennis met scholen uit Twente en de Achterhoek, op de school of online.",
                "startsAt": _at(30, 14, 0).isoformat(),
                "endsAt": _at(30, 17, 0).isoformat(),
                "attendance": "mixed",
                "location": {"name": "Scholengemeenschap Het Twentse Land", "street": "Marktstraat 4", "postcode": "7511 AA", "place": "Enschede"},
                "onlineUrl": "https://www.vota.nl/",
                "capacity": 40,
                "sectors": ["vo"],
                "organiser": "VOTA",
            }
        ],
    }


DEMO_QUESTIONS = {
    "voordeklas": [
        {"name": "Demo Vrager", "email": "demo.vrager@example.nl", "question": "Ik ben accountant en wil graag leerkracht worden. Kan dat naast mijn baan?", "sector": "po", "consent": True},
    ],
    "vota": [
        {"name": "Demo Docent", "email": "demo.docent@example.nl", "question": "Ik heb een master natuurkunde. Hoe word ik docent in Twente?", "sector": "vo", "consent": True},
    ],
}
