"""The demo loket: the configuration ``make run`` serves and the people it seeds.

``[demo] seed = true`` makes ``loket serve`` seed an empty store through the ordinary commands, so
the demo's history is real history. Each built-in plugin adds its demo content when it lands.
"""

from __future__ import annotations

from pathlib import Path

from core.envelope import acting
from core.site import Site

DEMO_CONFIG = Path(__file__).with_name("loket.toml")

#: Only ever used when a configuration asks for the demo; printed at start so a newcomer can log in.
DEMO_PASSWORD = "demo-loket-2026"

DEMO_USERS = {
    "beheer": [("voordeklas", "admin"), ("vota", "admin")],
    "redactie-voordeklas": [("voordeklas", "editor")],
    "redactie-vota": [("vota", "editor")],
    "recruiter-vota": [("vota", "recruiter")],
    "auditor": [("voordeklas", "auditor"), ("vota", "auditor")],
}


def seed_demo(site: Site) -> list[str]:
    """Seed the demo people once (when the store has no users); return the names added."""
    if not site.config.demo_seed or site.identity.users():
        return []
    open_lokets = {loket.slug for loket in site.lokets.all()}
    with acting(actor="system", correlation_id="demo-seed"):
        for username, grants in DEMO_USERS.items():
            site.identity.add_user(username, DEMO_PASSWORD)
            for loket, role in grants:
                if loket in open_lokets:
                    site.identity.grant(username, loket, role)
    return list(DEMO_USERS)
