"""The demo pool of each demo loket: Voor de Klas (po, Utrecht) shares a pool between two boards;
VOTA (vo, Twente-Achterhoek) runs one pool for six schools, as in the source document. Made up but
realistic, the same on every run: substitutes with qualifications and weekly availability, and a
few requests of the coming weeks — some filled, some waiting for an answer.

Boards and schools are fictional (numbers start with ``99``, addresses end in ``.example``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from core.envelope import acting

from .service import SubstitutePool

BOARDS = {
    "voordeklas": [("99001", "Stichting Utrechtse Basisscholen"), ("99002", "Stichting Kind en Koers")],
    "vota": [("99101", "Stichting VO Twente-Achterhoek")],
}
SCHOOLS = {
    "voordeklas": [
        ("99AA00", "OBS De Regenboog", "99001", "po", [52.092, 5.118]),
        ("99AB00", "CBS Het Kompas", "99001", "po", [52.081, 5.236]),
        ("99AC00", "IKC De Vlinder", "99002", "po", [52.156, 5.387]),
        ("99AD00", "Montessorischool Zeist", "99002", "po", [52.089, 5.231]),
    ],
    "vota": [
        ("99BA00", "Twents Lyceum", "99101", "vo", [52.221, 6.893]),
        ("99BB00", "Scholengemeenschap Hengelo", "99101", "vo", [52.265, 6.793]),
        ("99BC00", "Achterhoek College Doetinchem", "99101", "vo", [51.965, 6.289]),
        ("99BD00", "Almelo Vakcollege", "99101", "vo", [52.357, 6.662]),
        ("99BE00", "Oldenzaal Gymnasium", "99101", "vo", [52.313, 6.929]),
        ("99BF00", "Winterswijk Scholengemeenschap", "99101", "vo", [51.972, 6.720]),
    ],
}
WEEK = ("mon", "tue", "wed", "thu", "fri")
FULL = {day: ["morning", "afternoon"] for day in WEEK}
MEMBERS = {
    "voordeklas": [
        ("Anouk de Boer", {"poQualified": True, "extras": ["jonge-kind"], "home": [52.09, 5.12], "availability": FULL}),
        ("Bas Verhoeven", {"poQualified": True, "extras": ["gymbevoegdheid"], "home": [52.08, 5.24],
                           "availability": {"mon": ["morning"], "wed": ["morning", "afternoon"], "fri": ["morning"]}}),
        ("Carmen Yilmaz", {"poQualified": False, "home": [52.15, 5.38], "availability": {"tue": ["morning", "afternoon"], "thu": ["morning"]}}),
        ("Daan Smit", {"poQualified": True, "extras": ["so-ervaring"], "home": [52.10, 5.10], "maxDistanceKm": 15, "availability": FULL}),
        ("Esther Janssen", {"poQualified": True, "home": [52.16, 5.39], "availability": {d: ["morning"] for d in WEEK}}),
        ("Farid El Amrani", {"poQualified": True, "home": [52.06, 5.13], "availability": FULL, "contractEnd": "+30"}),
    ],
    "vota": [
        ("Gerrit Nijhuis", {"voDegrees": {"wiskunde": 1, "natuurkunde": 2}, "home": [52.22, 6.89], "availability": FULL}),
        ("Hanneke Bos", {"voDegrees": {"nederlands": 2, "engels": 2}, "home": [52.26, 6.79], "availability": FULL}),
        ("Ivo Wolters", {"voDegrees": {"geschiedenis": 2}, "home": [51.97, 6.29], "availability": {"mon": ["morning"], "tue": ["morning"]}}),
        ("Jolien ter Haar", {"voDegrees": {"biologie": 1, "scheikunde": 2}, "home": [52.36, 6.66], "availability": FULL, "vogDate": "+20"}),
        ("Koen Lammers", {"voDegrees": {"lichamelijke opvoeding": 2}, "extras": ["gymbevoegdheid"], "home": [52.31, 6.93], "availability": FULL}),
    ],
}


def seed_demo(site: Any) -> int:
    """Create the demo pool of each demo loket that has the plugin on and no members yet; return
    how many substitutes and requests were made."""
    site.projections.catch_up()
    view = site.projection("vervangingspool").view
    pool = SubstitutePool(site)
    made = 0
    for loket in site.lokets.all():
        if loket.slug not in BOARDS or "vervangingspool" not in loket.plugins:
            continue
        if view.query("SELECT 1 FROM pool_members WHERE loket = ? LIMIT 1", (loket.slug,)):
            continue
        with acting(actor="system", loket=loket.slug, correlation_id="demo-seed"):
            made += _seed_loket(pool, loket.slug)
    site.projections.catch_up()
    return made


def _seed_loket(pool: SubstitutePool, loket: str) -> int:
    today = date.today()
    for number, name in BOARDS[loket]:
        pool.join_board(loket, number, name)
    for brin, name, board, sector, location in SCHOOLS[loket]:
        pool.set_school(loket, {"brin": brin, "name": name, "board": board, "sector": sector, "location": location})
    sector = SCHOOLS[loket][0][3]
    members = []
    for name, profile in MEMBERS[loket]:
        email = name.lower().replace(" ", ".") + "@demo.example"
        dated = {k: (today + timedelta(days=int(v[1:]))).isoformat() if isinstance(v, str) and v.startswith("+") else v for k, v in profile.items()}
        member_id, _ = pool.add_member(loket, {"name": name, "email": email, "profile": {"sectors": [sector], "maxDistanceKm": 40, **dated}})
        for number, _ in BOARDS[loket]:
            pool.decide(loket, member_id, number, True)
        members.append(member_id)
    now = datetime.now(timezone.utc)
    requests = _requests(loket, today)
    for data in requests:
        accept = data.pop("_accept", False)
        request_id = pool.open_request(loket, data, now)
        offers = pool.request(loket, request_id).offers
        if accept and offers:  # the substitute said yes by phone
            pool.answer_for(loket, UUID(next(iter(offers.values()))["member"]), request_id, True, now=now)
    return len(members) + len(requests)


def _requests(loket: str, today: date) -> list[dict[str, Any]]:
    days = [today + timedelta(days=n) for n in range(1, 21) if (today + timedelta(days=n)).weekday() < 5][:8]
    schools = SCHOOLS[loket]
    if loket == "vota":
        return [
            {"school": schools[0][0], "sector": "vo", "group": "3 havo", "subjects": ["wiskunde"], "parts": [f"{days[0]}:morning"], "_accept": True},
            {"school": schools[1][0], "sector": "vo", "group": "2 vwo", "subjects": ["engels"], "parts": [f"{days[1]}:morning", f"{days[1]}:afternoon"]},
            {"school": schools[4][0], "sector": "vo", "group": "4 havo", "subjects": ["lichamelijke opvoeding"], "needs": ["gymbevoegdheid"],
             "parts": [f"{days[2]}:morning"], "_accept": True},
        ]
    return [
        {"school": schools[0][0], "sector": "po", "group": "groep 5", "parts": [f"{days[0]}:morning", f"{days[0]}:afternoon"], "_accept": True},
        {"school": schools[1][0], "sector": "po", "group": "groep 1-2", "needs": ["jonge-kind"], "parts": [f"{days[1]}:morning"], "dispatch": "tier"},
        {"school": schools[2][0], "sector": "po", "group": "groep 7", "notes": "Rekenen en begrijpend lezen; methode staat klaar.",
         "parts": [f"{d}:morning" for d in days[2:5]]},
        {"school": schools[3][0], "sector": "po", "group": "groep 3", "parts": [f"{days[5]}:afternoon"], "_accept": True},
    ]
