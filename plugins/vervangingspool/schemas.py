"""Fields of the substitute pool: settings, a member's profile, a school, a request, answers."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.config import SECTORS
from core.validation import DateText

from .domain import ACTIVE, LEFT, PARTS, PAUSED, SEQUENTIAL, TIER, WEEKDAYS

BRIN = validate.Regexp(r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$", error="give the BRIN number, e.g. 12AB or 12AB00")
BOARD = validate.Regexp(r"^[0-9]{5}$", error="give the board's DUO bevoegd-gezag number, five digits")
EXTRAS = ("gymbevoegdheid", "so-ervaring", "jonge-kind", "nt2", "hoogbegaafdheid")
#: Words that point at a medical reason: a request never says why someone is absent.
MEDICAL = re.compile(r"\b(ziek\w*|burn-?out|zwanger\w*|griep|operatie|ziekenhuis|herstel\w*|overspannen|covid|corona|kanker|medisch\w*)\b", re.I)


class SettingsSchema(Schema):
    """``[lokets.<slug>.settings.vervangingspool]``"""

    dispatch = fields.String(load_default=SEQUENTIAL, validate=validate.OneOf((SEQUENTIAL, TIER)))
    offer_minutes = fields.Integer(load_default=60, validate=validate.Range(min=5, max=2880))
    tier_size = fields.Integer(load_default=3, validate=validate.Range(min=2, max=20))
    hours_per_part = fields.Dict(
        keys=fields.String(validate=validate.OneOf(PARTS)), values=fields.Float(validate=validate.Range(min=0.5, max=8)),
        load_default=lambda: {"morning": 4.0, "afternoon": 2.5},
    )
    warn_days_before = fields.Integer(load_default=60, validate=validate.Range(min=1, max=365))


AvailabilitySchema = Schema.from_dict(
    {day: fields.List(fields.String(validate=validate.OneOf(PARTS)), load_default=list) for day in WEEKDAYS}, name="AvailabilitySchema"
)


def coordinates(**kwargs) -> fields.List:
    """Latitude and longitude in the Netherlands, for distances."""
    return fields.List(fields.Float(), validate=[validate.Length(equal=2), _in_the_netherlands], allow_none=True, load_default=None, **kwargs)


def _in_the_netherlands(value):
    if not (50 <= value[0] <= 54 and 3 <= value[1] <= 8):
        raise ValidationError("give latitude and longitude in the Netherlands, e.g. [52.09, 5.12]")


class ProfileSchema(Schema):
    """What the pool knows about a substitute besides their name and contact details."""

    sectors = fields.List(fields.String(validate=validate.OneOf(SECTORS)), required=True, validate=validate.Length(min=1))
    po_qualified = fields.Boolean(data_key="poQualified", load_default=False, metadata={"description": "bevoegd po (pabo)"})
    vo_degrees = fields.Dict(
        data_key="voDegrees", keys=fields.String(validate=validate.Length(min=1, max=60)),
        values=fields.Integer(validate=validate.OneOf((1, 2))), load_default=dict,
        metadata={"description": "vo subject → 1 (eerstegraads) or 2 (tweedegraads)"},
    )
    mbo_pdg = fields.Boolean(data_key="mboPdg", load_default=False, metadata={"description": "pedagogisch-didactisch getuigschrift"})
    extras = fields.List(fields.String(validate=validate.OneOf(EXTRAS)), load_default=list)
    groups = fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=list, metadata={"description": "e.g. groep 1-2, onderbouw"})
    preferred_schools = fields.List(fields.String(validate=BRIN), data_key="preferredSchools", load_default=list)
    excluded_schools = fields.List(fields.String(validate=BRIN), data_key="excludedSchools", load_default=list)
    regions = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list)
    max_distance_km = fields.Integer(data_key="maxDistanceKm", allow_none=True, load_default=None, validate=validate.Range(min=1, max=300))
    home = coordinates(metadata={"description": "latitude, longitude of home (for distance)"})
    availability = fields.Nested(AvailabilitySchema, load_default=dict)
    contract_end = DateText(data_key="contractEnd", allow_none=True, load_default=None)
    vog_date = DateText(data_key="vogDate", allow_none=True, load_default=None, metadata={"description": "the date by which a new VOG is needed"})
    agreed_end = DateText(data_key="agreedEnd", allow_none=True, load_default=None)


class MemberInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    phone = fields.String(load_default="", validate=validate.Length(max=30))
    profile = fields.Nested(ProfileSchema, required=True)


class SchoolSchema(Schema):
    brin = fields.String(required=True, validate=BRIN)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    board = fields.String(required=True, validate=BOARD)
    sector = fields.String(required=True, validate=validate.OneOf(SECTORS))
    location = coordinates()
    preferred = fields.List(fields.String(validate=validate.Length(equal=36)), load_default=list, metadata={"description": "substitutes asked first, in order"})
    excluded = fields.List(fields.String(validate=validate.Length(equal=36)), load_default=list, metadata={"description": "substitutes never offered to this school"})


class RequestInSchema(Schema):
    school = fields.String(required=True, validate=BRIN)
    sector = fields.String(required=True, validate=validate.OneOf(SECTORS))
    group = fields.String(load_default="", validate=validate.Length(max=60), metadata={"description": "group or class, e.g. groep 5"})
    subjects = fields.List(fields.String(validate=validate.Length(min=1, max=60)), load_default=list)
    degree = fields.Integer(allow_none=True, load_default=None, validate=validate.OneOf((1, 2)), metadata={"description": "vo: degree needed"})
    needs = fields.List(fields.String(validate=validate.OneOf(EXTRAS)), load_default=list)
    qualified_only = fields.Boolean(data_key="qualifiedOnly", load_default=False)
    notes = fields.String(load_default="", validate=validate.Length(max=1000), metadata={"description": "never a medical reason"})
    parts = fields.List(fields.String(), required=True, validate=validate.Length(min=1, max=200),
                        metadata={"description": "day-parts: 2027-03-01:morning, 2027-03-01:afternoon"})
    dispatch = fields.String(allow_none=True, load_default=None, validate=validate.OneOf((SEQUENTIAL, TIER)))

    @validates_schema
    def _check(self, data, **kwargs):
        problems = {}
        if MEDICAL.search(data.get("notes") or ""):
            problems["notes"] = "no medical information: say what the substitute needs to know about the lessons, not why someone is away"
        bad = [p for p in data.get("parts") or [] if not _valid_part(p)]
        if bad:
            problems["parts"] = f"not a day-part: {', '.join(bad[:3])} (use YYYY-MM-DD:morning or :afternoon)"
        if problems:
            raise ValidationError(problems)


def _valid_part(text: str) -> bool:
    from datetime import date

    day, _, part = text.partition(":")
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return part in PARTS


class AnswerSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=10, max=300))
    reason = fields.String(load_default="", validate=validate.Length(max=500))


MEMBER_STATUSES = (ACTIVE, PAUSED, LEFT)


class BoardInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class StatusInSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(MEMBER_STATUSES))
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class ApprovalInSchema(Schema):
    board = fields.String(required=True, validate=BOARD)
    approved = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))


class CancelInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class AssignmentCancelInSchema(Schema):
    parts = fields.List(fields.String(), required=True, validate=validate.Length(min=1, max=200), metadata={"description": "filled day-parts of one substitute"})
    by = fields.String(required=True, validate=validate.OneOf(("school", "substitute")), metadata={"description": "school: not needed any more; substitute: offered again"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class OwnCancelInSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=10, max=300), metadata={"description": "the substitute's own link token"})
    parts = fields.List(fields.String(), load_default=None, metadata={"description": "the day-parts to give back; all of yours in this request when left out"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
