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


def seed_demo_content(site: Site) -> int:
    """Create the demo content (once: when the store has no content yet) through the ordinary
    commands, so its history is real; return how many items were made."""
    from core.demo.content import DEMO_CONTENT

    has_content = any(next(site.app.aggregate_ids(t.aggregate.Drafted), None) for t in site.content_types)
    if not site.config.demo_seed or has_content:
        return 0
    open_lokets = {loket.slug for loket in site.lokets.all()}
    made = 0
    for loket, types in DEMO_CONTENT.items():
        if loket not in open_lokets:
            continue
        with acting(actor="system", loket=loket, correlation_id="demo-seed"):
            for type_name, items in types.items():
                for data in items:
                    fields = {k: v for k, v in data.items() if k != "_status"}
                    saved = site.content.create(type_name, loket, fields)
                    if data.get("_status", "published") == "published":
                        site.content.publish(type_name, loket, saved.id)
                    made += 1
    site.projections.catch_up()
    return made


def seed_demo_meetings(site: Site) -> int:
    """Demo activities (published) and questions, once, through the ordinary commands."""
    from core.activities.domain import Activity
    from core.demo.meetings import DEMO_QUESTIONS, demo_activities
    from core.helpdesk.domain import Question
    from core.referrals.domain import Referral

    seeded = next(site.app.aggregate_ids(Activity.Drafted), None) or next(site.app.aggregate_ids(Question.QuestionAsked), None)
    if not site.config.demo_seed or seeded:
        return 0
    open_lokets = {loket.slug for loket in site.lokets.all()}
    made = 0
    for loket, items in demo_activities().items():
        if loket not in open_lokets:
            continue
        with acting(actor="system", loket=loket, correlation_id="demo-seed"):
            for data in items:
                site.content.publish("activity", loket, site.content.create("activity", loket, data).id)
                made += 1
            for question in DEMO_QUESTIONS.get(loket, []):
                site.helpdesk.ask(loket, question)
                made += 1
            # Referrals made by phone before Loket was used: counts only, no people.
            site.app.save(Referral(loket=loket, direction="out", partner="onderwijsloket", reason="telefonisch spreekuur", count=3))
    site.projections.catch_up()
    return made
