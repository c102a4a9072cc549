"""What the public helpdesk form and the editors' actions accept."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from core.config import SECTORS

HONEYPOT = "website"


class ConsentField(fields.Boolean):
    """Consent must be given explicitly: ``true``, nothing else."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is not True:
            raise ValidationError("we can only help you when you agree that we keep your data to answer you")
        return True


class QuestionInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    question = fields.String(required=True, validate=validate.Length(min=5, max=5000))
    sector = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(SECTORS))
    consent = ConsentField(required=True)
    website = fields.String(load_default="", metadata={"description": "Leave empty (a trap for robots)"})


class AssignSchema(Schema):
    assignee = fields.String(required=True, validate=validate.Length(min=1, max=64))


class AnswerSchema(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    close = fields.Boolean(load_default=False)


class ReferSchema(Schema):
    to = fields.String(required=True, metadata={"description": "'onderwijsloket' or the slug of another loket"})
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    link = fields.Url(load_default=None, allow_none=True, schemes={"https"})

    @validates("to")
    def _not_blank(self, value, **kwargs):
        if not value.strip():
            raise ValidationError("must not be blank")


class CloseSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class FaqFromQuestionSchema(Schema):
    topic = fields.String(required=True, validate=validate.Length(min=1, max=100))
