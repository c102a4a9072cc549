"""The fields of an activity, and the public registration form."""

from __future__ import annotations

from zoneinfo import ZoneInfo, available_timezones

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from core.content.schemas import ContentSchema, Moment
from core.helpdesk.schemas import ConsentField

#: meeloopdag, open dag, informatieavond, other
ACTIVITY_KINDS = ("shadowing", "open_day", "information_evening", "other")
ATTENDANCE = ("online", "on_site", "mixed")


class PlaceSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    street = fields.String(load_default="", validate=validate.Length(max=200))
    postcode = fields.String(load_default="", validate=validate.Regexp(r"^(\d{4} ?[A-Z]{2})?$", error="use a Dutch postcode, e.g. 3511 AB"))
    place = fields.String(required=True, validate=validate.Length(min=1, max=100))


class ActivitySchema(ContentSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(ACTIVITY_KINDS))
    summary = fields.String(load_default="", validate=validate.Length(max=500))
    body = fields.String(load_default="", metadata={"description": "Markdown; served also as bodyHtml"})
    starts_at = Moment(data_key="startsAt", required=True)
    ends_at = Moment(data_key="endsAt", required=True)
    timezone = fields.String(load_default="Europe/Amsterdam", metadata={"description": "IANA time zone of the place"})
    attendance = fields.String(required=True, validate=validate.OneOf(ATTENDANCE), metadata={"description": "online, on_site or mixed"})
    location = fields.Nested(PlaceSchema, load_default=None, allow_none=True)
    online_url = fields.Url(data_key="onlineUrl", load_default=None, allow_none=True, schemes={"https"})
    capacity = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=100000), metadata={"description": "Places; null is unlimited"})
    waiting_list = fields.Boolean(data_key="waitingList", load_default=True)
    cancelled = fields.Boolean(load_default=False)
    organiser = fields.String(load_default="", validate=validate.Length(max=200))

    @validates("timezone")
    def _known_zone(self, value: str, **kwargs) -> None:
        if value not in available_timezones():
            raise ValidationError("use an IANA time zone, e.g. Europe/Amsterdam")

    @validates_schema
    def _consistent(self, data, partial=False, **kwargs) -> None:
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("must be after startsAt", "endsAt")
        attendance = data.get("attendance")
        if attendance in ("on_site", "mixed") and not data.get("location") and not partial:
            raise ValidationError("an activity on site needs a place", "location")
        if attendance in ("online", "mixed") and not data.get("online_url") and not partial:
            raise ValidationError("an online activity needs a link", "onlineUrl")


class RegistrationInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    consent = ConsentField(required=True)
    website = fields.String(load_default="", metadata={"description": "Leave empty (a trap for robots)"})


class CancelSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=10, max=200))


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
