"""``/api/v1/lokets/<loket>/privacy/persons/<person>/…``: export and erase, for the loket's admins,
for people whose data this loket holds (by person id or e-mail address)."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, request

from core.errors import NotFoundError
from core.http import get_site, personal_response, record_personal_view, require_role

bp = Blueprint("privacy_admin", __name__)


@bp.get("/privacy/persons/<person>/export")
def export(loket: str, person: str):
    """Everything Loket holds about the person, decrypted (right of access)."""
    personal_response()
    require_role(loket, "admin")
    site = get_site()
    person_id = _person_of(loket, person)
    record_personal_view(loket, [person_id], "privacy export")
    return site.privacy.export(person_id)


@bp.post("/privacy/persons/<person>/erase")
def erase(loket: str, person: str):
    """Erase the person's data: keys deleted, every copy scrubbed, the log intact."""
    personal_response()
    require_role(loket, "admin")
    site = get_site()
    person_id = _person_of(loket, person)
    reason = (request.get_json(silent=True) or {}).get("reason", "") if request.is_json else ""
    position = site.privacy.erase(person_id, str(reason)[:500])
    site.projections.catch_up()
    return {"person": str(person_id), "status": "erased"}, 200, {"X-Loket-Position": str(position)}


def _person_of(loket: str, who: str) -> UUID:
    site = get_site()
    site.lokets.get(loket)
    site.projections.catch_up()
    person_id = site.privacy.resolve(who)
    if loket not in site.privacy.index.lokets_of(person_id):
        # A person this loket holds nothing of is as unknown here as one that never existed.
        raise NotFoundError(f"No person '{who}' is known in loket '{loket}'.")
    return person_id
