"""The fields of a vacancy, the plugin's settings, and the inputs of its own routes.

Field names are snake_case in code and events, camelCase in the API (``data_key``), as for every
content type.
"""

from __future__ import annotations

import re
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from core.config import SECTORS
from core.content.schemas import PROFESSIONS, ContentSchema
from core.validation import DateText

KINDS = ("regular", "substitution", "pool")  # regulier, vervanging, invalpool
#: CAO scale codes per sector: teachers (L-scales, and the older LA–LE), support staff (1–18).
SUPPORT_SCALES = tuple(str(n) for n in range(1, 19))
SCALES = {
    "po": ("L10", "L11", "L12", "L13", "L14", "L15", "L16", "L17", "L18", "LA", "LB", "LC", "LD", *SUPPORT_SCALES),
    "vo": ("LB", "LC", "LD", "LE", *SUPPORT_SCALES),
    "mbo": ("LB", "LC", "LD", "LE", *SUPPORT_SCALES),
}
POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Z]{2}$")
SUBJECT = re.compile(r"^[a-z][a-z0-9 &'()+-]{0,59}$")
FREQUENCIES = ("immediately", "daily")


def _text(max_length: int, **kwargs) -> fields.String:
    return fields.String(load_default="", validate=validate.Length(max=max_length), **kwargs)


class VacancySchema(ContentSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    summary = _text(500)
    description = fields.String(load_default="", metadata={"description": "Markdown; served also as descriptionHtml"})
    sectors = fields.List(fields.String(validate=validate.OneOf(SECTORS)), required=True, validate=validate.Length(min=1))
    school_board = fields.String(
        data_key="schoolBoard",
        required=True,
        validate=validate.Regexp(r"^[0-9]{5}$", error="give the board's DUO bevoegd-gezag number, five digits"),
    )
    school_board_name = fields.String(data_key="schoolBoardName", required=True, validate=validate.Length(min=1, max=200))
    school = fields.String(
        load_default="",
        validate=validate.Regexp(r"^$|^[0-9]{2}[A-Z]{2}([0-9]{2})?$", error="give the BRIN number, e.g. 12AB or 12AB00"),
        metadata={"description": "BRIN number (with vestigingsnummer)"},
    )
    school_name = _text(200, data_key="schoolName")
    function = fields.String(required=True, validate=validate.OneOf(PROFESSIONS))
    subjects = fields.List(
        fields.String(validate=validate.Regexp(SUBJECT, error="a subject in lowercase, e.g. 'wiskunde'")),
        load_default=list,
        metadata={"description": "vo/mbo subjects, e.g. wiskunde, nederlands"},
    )
    kind = fields.String(load_default="regular", validate=validate.OneOf(KINDS))
    start_date = DateText(data_key="startDate", allow_none=True, load_default=None)
    end_date = DateText(data_key="endDate", allow_none=True, load_default=None)
    region = _text(100, metadata={"description": "The region's slug from loket.toml"})
    place = _text(100)
    postcode = fields.String(load_default="", validate=validate.Regexp(r"^$|" + POSTCODE.pattern[1:], error="give a Dutch postcode, e.g. 3511 AB"))
    hours_min = fields.Float(data_key="hoursMin", allow_none=True, load_default=None, validate=validate.Range(min=1, max=40))
    hours_max = fields.Float(data_key="hoursMax", allow_none=True, load_default=None, validate=validate.Range(min=1, max=40))
    salary_scale = fields.String(data_key="salaryScale", load_default="", metadata={"description": "CAO scale code: L10, LB, 8, …"})
    salary_min = fields.Integer(data_key="salaryMin", allow_none=True, load_default=None, validate=validate.Range(min=0, max=20000))
    salary_max = fields.Integer(data_key="salaryMax", allow_none=True, load_default=None, validate=validate.Range(min=0, max=20000))
    zij_instroom = fields.Boolean(data_key="zijInstroom", load_default=False, metadata={"description": "Suitable for zij-instromers"})
    apply_url = fields.Url(data_key="applyUrl", allow_none=True, load_default=None, schemes={"https", "http"})
    apply_email = fields.Email(data_key="applyEmail", allow_none=True, load_default=None)
    contact_name = _text(200, data_key="contactName")
    contact_email = fields.Email(data_key="contactEmail", allow_none=True, load_default=None)
    contact_phone = _text(30, data_key="contactPhone")
    valid_through = DateText(
        data_key="validThrough", allow_none=True, load_default=None, metadata={"description": "Last day; default from the loket's settings"}
    )
    external_id = fields.String(
        data_key="externalId",
        allow_none=True,
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The school board system's own id (feed imports match on it)"},
    )

    @validates_schema
    def _consistent(self, data, partial=None, **kwargs):
        problems = {}
        if not partial:
            if not data.get("apply_url") and not data.get("apply_email"):
                problems["applyUrl"] = "give a link or an e-mail address to apply with"
            if data.get("kind") == "substitution" and not (data.get("start_date") and data.get("end_date")):
                problems["startDate"] = "a substitution needs a start and an end date"
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            problems["endDate"] = "must not be before the start date"
        if data.get("hours_min") and data.get("hours_max") and data["hours_max"] < data["hours_min"]:
            problems["hoursMax"] = "must not be below hoursMin"
        if data.get("salary_min") and data.get("salary_max") and data["salary_max"] < data["salary_min"]:
            problems["salaryMax"] = "must not be below salaryMin"
        scale = data.get("salary_scale")
        if scale:
            allowed = sorted({s for sector in data.get("sectors") or SECTORS for s in SCALES.get(sector, ())})
            if scale not in allowed:
                problems["salaryScale"] = f"not a CAO scale of this sector; use one of {', '.join(allowed)}"
        if problems:
            raise ValidationError(problems)

    @post_load
    def _normalise(self, data, **kwargs):
        if data.get("postcode"):
            data["postcode"] = data["postcode"][:4] + " " + data["postcode"][-2:]  # 3511AB → 3511 AB
        return data


class SettingsSchema(Schema):
    """``[lokets.<slug>.settings.vacatures]``"""

    default_valid_days = fields.Integer(load_default=60, validate=validate.Range(min=1, max=365))
    warn_days_before = fields.Integer(load_default=7, validate=validate.Range(min=0, max=60))
    public_url = fields.String(
        load_default="",
        validate=validate.Regexp(r"^$|^https?://[^\s]+$", error="give the http(s) address of a vacancy's page, e.g. https://voordeklas.nl/vacatures/{{slug}}"),
        metadata={"description": "Where the loket's site shows a vacancy: '{slug}' is replaced, e.g. https://voordeklas.nl/vacatures/{slug}"}
    )


class FilterSchema(Schema):
    """A saved filter (job alerts, Atom feeds): the list's query parameters."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    sector = fields.List(fields.String(validate=validate.OneOf(SECTORS)), load_default=list)
    function = fields.List(fields.String(validate=validate.OneOf(PROFESSIONS)), load_default=list)
    subject = fields.List(fields.String(validate=validate.Length(min=1, max=60)), load_default=list)
    kind = fields.List(fields.String(validate=validate.OneOf(KINDS)), load_default=list)
    region = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list)
    school_board = fields.List(fields.String(validate=validate.Length(min=1, max=10)), data_key="schoolBoard", load_default=list)
    hours_min = fields.Float(data_key="hoursMin", allow_none=True, load_default=None, validate=validate.Range(min=0, max=40))
    hours_max = fields.Float(data_key="hoursMax", allow_none=True, load_default=None, validate=validate.Range(min=0, max=40))
    zij_instroom = fields.Boolean(data_key="zijInstroom", allow_none=True, load_default=None)


class AlertInSchema(Schema):
    email = fields.Email(required=True)
    filter = fields.Nested(FilterSchema, load_default=dict)
    frequency = fields.String(load_default="daily", validate=validate.OneOf(FREQUENCIES))
