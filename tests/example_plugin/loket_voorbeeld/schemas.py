"""Settings, API input and content fields of the example plugin."""

from marshmallow import Schema, fields, validate

from core.content.schemas import ContentSchema


class SettingsSchema(Schema):
    greeting = fields.String(load_default="Hallo")
    max_length = fields.Integer(load_default=140, validate=validate.Range(min=1, max=1000))


class GreetingInSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1))


class NoticeSchema(ContentSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    body = fields.String(load_default="")
    tags = fields.List(fields.String(), load_default=list)
