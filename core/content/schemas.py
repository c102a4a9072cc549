"""The fields of each core content type, as editors and integrations write them.

Field names are snake_case in code and events, camelCase in the API (``data_key``). A schema is
the single description of a type's fields: it validates writes, renders reads and documents the
OpenAPI of the type.
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.config import SECTORS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Every staff category in education, not only teachers (the source document's golden tip).
PROFESSIONS = (
    "leraar",
    "schoolleider",
    "onderwijsassistent",
    "lerarenondersteuner",
    "pedagogisch-medewerker",
    "instructeur",
    "vakleerkracht",
    "intern-begeleider",
    "conciërge",
    "administratief-medewerker",
    "gastdocent",
)

AUDIENCES = ("zij-instromers", "herintreders", "studenten", "scholieren", "onderwijspersoneel", "werkgevers")

#: Route kinds into education; Dutch names in the comments.
ROUTE_KINDS = (
    "lateral_entry",  # zij-instroom
    "re_entry",  # herintreding
    "pabo",  # pabo (voltijd, deeltijd)
    "teacher_training",  # lerarenopleiding (tweedegraads, eerstegraads)
    "shortened_part_time",  # verkort deeltijd
    "pdg",  # pedagogisch-didactisch getuigschrift (mbo)
    "other",
)


class Moment(fields.AwareDateTime):
    """An ISO 8601 moment with offset. Loaded as an aware datetime; read models keep the text,
    which is served as it is."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", default_timezone=None, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


def slug_field() -> fields.String:
    return fields.String(
        validate=[
            validate.Length(min=1, max=120),
            validate.Regexp(SLUG, error="use lowercase letters, digits and single hyphens, e.g. 'zij-instroom-po'"),
        ],
    )


def sectors_field() -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(SECTORS)), load_default=list)


class ContentSchema(Schema):
    """Fields every content type has."""

    slug = slug_field()
    sectors = sectors_field()
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=50)), load_default=list)


class PageSchema(ContentSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    summary = fields.String(load_default="", validate=validate.Length(max=500))
    body = fields.String(load_default="", metadata={"description": "Markdown; served also as bodyHtml"})
    professions = fields.List(fields.String(validate=validate.OneOf(PROFESSIONS)), load_default=list)
    audiences = fields.List(fields.String(validate=validate.OneOf(AUDIENCES)), load_default=list)


class RouteStepSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="")


class RouteSchema(ContentSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(ROUTE_KINDS))
    summary = fields.String(load_default="", validate=validate.Length(max=500))
    body = fields.String(load_default="", metadata={"description": "Markdown; served also as bodyHtml"})
    professions = fields.List(fields.String(validate=validate.OneOf(PROFESSIONS)), load_default=list)
    duration = fields.String(load_default="", validate=validate.Length(max=100), metadata={"description": "e.g. '2 jaar naast je baan'"})
    duration_months = fields.Integer(data_key="durationMonths", allow_none=True, load_default=None, validate=validate.Range(min=1, max=120))
    cost = fields.String(load_default="", validate=validate.Length(max=200), metadata={"description": "e.g. 'vergoed door de school'"})
    cost_euros = fields.Integer(data_key="costEuros", allow_none=True, load_default=None, validate=validate.Range(min=0))
    conditions = fields.List(fields.String(validate=validate.Length(min=1, max=500)), load_default=list)
    steps = fields.List(fields.Nested(RouteStepSchema), load_default=list)
    onderwijsloket_url = fields.Url(
        data_key="onderwijsloketUrl",
        allow_none=True,
        load_default=None,
        schemes={"https"},
        metadata={"description": "The national Onderwijsloket's page for this route"},
    )


class FaqEntrySchema(ContentSchema):
    question = fields.String(required=True, validate=validate.Length(min=1, max=300))
    answer = fields.String(required=True, validate=validate.Length(min=1), metadata={"description": "Markdown; served also as answerHtml"})
    topic = fields.String(required=True, validate=validate.Length(min=1, max=100))
    position = fields.Integer(load_default=0, metadata={"description": "Order within its topic"})

    @validates_schema
    def _no_empty_topic(self, data, **kwargs):
        if "topic" in data and not data["topic"].strip():
            raise ValidationError("must not be blank", "topic")
