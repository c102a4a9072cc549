"""Referrals: record one made outside the helpdesk, and report how many went in and out."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, request
from marshmallow import Schema, ValidationError, fields, validate, validates

from core.errors import InvalidInputError
from core.http import get_site, json_body, require_role
from core.referrals.domain import DIRECTIONS, Referral
from core.validation import load

bp = Blueprint("referrals", __name__)

PARTNER_RULE = "'onderwijsloket', 'loket:<slug>', 'opleiding:<name>' or 'platform:<name>'"


class ReferralInSchema(Schema):
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    partner = fields.String(required=True, validate=validate.Length(min=1, max=120), metadata={"description": PARTNER_RULE})
    reason = fields.String(load_default="", validate=validate.Length(max=500), metadata={"description": "Why; no personal data"})
    count = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))

    @validates("partner")
    def _known_form(self, value: str, **kwargs) -> None:
        if value != "onderwijsloket" and value.split(":", 1)[0] not in ("loket", "opleiding", "platform"):
            raise ValidationError(f"use {PARTNER_RULE}")


@bp.post("/referrals")
def record(loket: str):
    """Record referrals made outside the helpdesk (editors): no personal data, only counts."""
    require_role(loket, "editor", "admin")
    site = get_site()
    site.lokets.get(loket)
    fields_ = load(ReferralInSchema(), json_body(), "The referral is not valid.")
    referral = Referral(loket=loket, **fields_)
    position = site.app.save(referral)[-1].notification.id
    return {"id": str(referral.id)}, 201, {"X-Loket-Position": str(position)}


@bp.get("/referrals/report")
def report(loket: str):
    """How many people this loket sent to and received from each partner (``?from=&until=``)."""
    require_role(loket, "editor", "admin", "auditor")
    site = get_site()
    site.lokets.get(loket)
    site.projections.catch_up()
    moments = {name: _moment(name) for name in ("from", "until")}
    counts = site.projection("referrals").view.report(loket, moments["from"], moments["until"])
    return {"loket": loket, "from": request.args.get("from"), "until": request.args.get("until"), **counts}


def _moment(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInputError("The period is not valid.", {name: "give an ISO 8601 date or moment, e.g. 2026-01-01"}) from None
    return moment
