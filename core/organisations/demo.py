"""The demo's school boards and schools, imported through the ordinary DUO import.

The schools come from two small files in DUO's layout beside the demo configuration: the po file in
the layout of DUO's download mirror (``;``, BRIN NUMMER + VESTIGINGSNUMMER), the vo file in that of
its CKAN portal (``,`` with quotes, INSTELLINGSCODE + VESTIGINGSCODE). The boards are records in the
layout of DUO's "Schoolbesturen" files. Everything is fictional: BRIN codes start with ``99`` and
bevoegd-gezag numbers with ``99``, and websites end in ``.example``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.envelope import acting
from core.organisations.domain import School
from core.organisations.service import Organisations

if TYPE_CHECKING:
    from core.site import Site

DEMO_FOLDER = Path(__file__).resolve().parent.parent / "demo"


def _board(number: str, name: str, street: str, house_number: str, postcode: str, place: str, denomination: str, website: str) -> dict[str, str]:
    return {
        "BEVOEGD GEZAG NUMMER": number,
        "BEVOEGD GEZAG NAAM": name,
        "STRAATNAAM": street,
        "HUISNUMMER-TOEVOEGING": house_number,
        "POSTCODE": postcode,
        "PLAATSNAAM": place,
        "GEMEENTENAAM": place,
        "DENOMINATIE": denomination,
        "INTERNETADRES": website,
    }


#: Per demo loket: its sector, its DUO file of schools, and its school boards.
DEMO_ORGANISATIONS = {
    "voordeklas": {
        "sector": "po",
        "schools": "scholen-po-utrecht.csv",
        "boards": [
            _board("99001", "Stichting Openbaar Primair Onderwijs Stichtse Lanen", "Kastanjelaan", "10", "3581 KE", "UTRECHT", "Openbaar", "www.stichtselanen.example"),
            _board("99002", "Stichting Katholiek en Christelijk Onderwijs Eemland-Heuvelrug", "Kerkstraat", "3", "3811 CV", "AMERSFOORT", "Samenwerking PC, RK", "www.kco-eemland.example"),
        ],
    },
    "vota": {
        "sector": "vo",
        "schools": "scholen-vo-twente.csv",
        "boards": [
            _board("99101", "Stichting Openbaar Voortgezet Onderwijs Twente", "Boulevard", "1945", "7511 AE", "ENSCHEDE", "Openbaar", "www.ovo-twente.example"),
            _board("99102", "Stichting Bijzonder Voortgezet Onderwijs Oost-Twente", "Lindenberg", "3", "7572 GA", "OLDENZAAL", "Samenwerking PC, RK", "www.bvo-oosttwente.example"),
            _board("99103", "Vereniging Voortgezet Onderwijs Achterhoek", "Slingelandstraat", "22", "7001 HC", "DOETINCHEM", "Algemeen bijzonder", "www.vvo-achterhoek.example"),
        ],
    },
}


def seed_demo_organisations(site: Site) -> int:
    """Import the demo's boards and schools (once: when the configuration asks for the demo and
    no school exists yet), linked to the demo lokets that are open; return how many were added."""
    if not site.config.demo_seed or next(site.app.aggregate_ids(School.SchoolRegistered), None) is not None:
        return 0
    organisations = Organisations(site.app)
    open_lokets = {loket.slug for loket in site.lokets.all()}
    added = 0
    for loket, demo in DEMO_ORGANISATIONS.items():
        if loket not in open_lokets:
            continue
        with acting(actor="system", loket=loket, correlation_id="demo-seed"):
            added += organisations.import_rows(demo["boards"], loket=loket, sector=demo["sector"]).added
            added += organisations.import_file(DEMO_FOLDER / demo["schools"], loket=loket, sector=demo["sector"]).added
    site.projections.catch_up()
    return added
