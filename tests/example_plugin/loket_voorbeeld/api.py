"""The example plugin's API, mounted by the core at /api/v1/lokets/<loket>/voorbeeld."""

from __future__ import annotations

from flask import Blueprint
from flask import request as flask_request
from marshmallow import ValidationError

from core.errors import InvalidInputError
from core.http import get_site, require_role

from .domain import Greeting
from .projections import greetings
from .schemas import GreetingInSchema

bp = Blueprint("voorbeeld", __name__)


@bp.get("/greetings")
def list_greetings(loket: str):
    """The greetings of this loket."""
    return {"items": greetings(get_site(), loket)}


@bp.post("/greetings")
def write_greeting(loket: str):
    """Write a greeting (editor or admin of this loket)."""
    require_role(loket, "editor", "admin")
    try:
        data = GreetingInSchema().load(flask_request.get_json(silent=True) or {})
    except ValidationError as error:
        raise InvalidInputError("The greeting is not valid.", {k: " ".join(v) for k, v in error.messages.items()}) from None
    site = get_site()
    limit = site.lokets.get(loket).settings["voorbeeld"]["max_length"]
    if len(data["text"]) > limit:
        raise InvalidInputError("The greeting is too long.", {"text": f"at most {limit} characters"})
    greeting = Greeting(loket=loket, text=data["text"])
    position = site.app.save(greeting)[-1].notification.id
    return {"id": str(greeting.id)}, 201, {"X-Loket-Position": str(position)}
