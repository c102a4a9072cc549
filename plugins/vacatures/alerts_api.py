"""Job alerts on the public API: subscribe (no login), confirm and unsubscribe with the token from
the e-mail — as JSON, and as two tiny Dutch pages that the links in the mails open.

The pages ask for a button press (a POST form) before they change anything: mail scanners that
follow every link in a message must not confirm or cancel an alert."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from marshmallow import Schema, fields, validate

from core.errors import ConflictError, InvalidInputError, StaleVersionError
from core.http import get_site, json_body
from core.messages import t
from core.spam import HONEYPOT, is_robot
from core.validation import load

from . import alerts
from .schemas import AlertInSchema

bp = Blueprint("alerts_api", __name__, template_folder="templates")

#: The answer to a subscription, also to a robot: it says nothing about the address.
ACCEPTED = {"status": "confirmation-sent"}


class TokenSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=10, max=200))


@bp.post("/alerts")
def subscribe(loket: str):
    """Ask for job alerts (public): a confirmation e-mail goes to the address; nothing is sent
    about vacancies until its link is followed. The answer holds no personal data."""
    site = get_site()
    data = json_body()
    site.rate_limiter.check(f"alerts:{request.remote_addr}")
    if is_robot(data):
        return ACCEPTED, 202
    data.pop(HONEYPOT, None)
    alerts.subscribe(site, loket, data)
    return ACCEPTED, 202


@bp.post("/alerts/confirm")
def confirm(loket: str):
    """Switch an alert on with the token from the confirmation e-mail."""
    token = load(TokenSchema(), json_body(), "The confirmation is not valid.")["token"]
    return {"status": alerts.confirm(get_site(), loket, token)}


@bp.post("/alerts/unsubscribe")
def unsubscribe(loket: str):
    """Stop an alert with the token from any of its e-mails: ``{"token": …}``, or the token in the
    query with a form body (a one-click unsubscribe, RFC 8058)."""
    if request.is_json:
        data = json_body()
    else:
        given = request.args.get("token") or request.form.get("token")
        data = {"token": given} if given else {}
    token = load(TokenSchema(), data, "The unsubscription is not valid.")["token"]
    return {"status": alerts.unsubscribe(get_site(), loket, token)}


CONFIRM, UNSUBSCRIBE = "confirm", "unsubscribe"  # the two steps; each has a page and its form


@bp.get("/alerts/bevestigen")
def confirm_page(loket: str):
    """The page the confirmation link opens: one button to confirm."""
    return _page(CONFIRM, loket, unsubscribe_link=False)


@bp.post("/alerts/bevestigen")
def confirm_form(loket: str):
    """The button on the confirmation page."""
    return _submitted(CONFIRM, loket, alerts.confirm)


@bp.get("/alerts/afmelden")
def unsubscribe_page(loket: str):
    """The page the unsubscribe link in every alert mail opens: one button to stop."""
    return _page(UNSUBSCRIBE, loket, unsubscribe_link=True)


@bp.post("/alerts/afmelden")
def unsubscribe_form(loket: str):
    """The button on the unsubscribe page."""
    return _submitted(UNSUBSCRIBE, loket, alerts.unsubscribe)


def _texts(step: str, loket_name: str) -> dict[str, str]:
    """The words of one step's page (confirm or unsubscribe): one template serves both."""
    if step == CONFIRM:
        return {
            "title": t("alert.confirm.title"), "ask": t("alert.confirm.ask", loket=loket_name), "submit": t("alert.confirm.submit"),
            "done": t("alert.confirm.done"), "cancelled": t("alert.confirm.cancelled"),
        }
    return {
        "title": t("alert.unsubscribe.title"), "ask": t("alert.unsubscribe.ask", loket=loket_name), "submit": t("alert.unsubscribe.submit"),
        "done": t("alert.unsubscribe.done"), "cancelled": t("alert.unsubscribe.already"),
    }


def _page(step: str, loket: str, unsubscribe_link: bool):
    """Ask first; a link that cannot work, or has nothing left to do, says so at once (looking
    changes nothing)."""
    token = request.args.get("token", "")
    try:
        alert = alerts.alert_of_token(get_site(), loket, token, unsubscribe_link)
    except InvalidInputError:
        return _render(step, loket, token, "invalid", 422)
    if alert.status == alerts.UNSUBSCRIBED:
        return _render(step, loket, token, "cancelled")
    if alert.status == alerts.ACTIVE and not unsubscribe_link:
        return _render(step, loket, token, "done")
    return _render(step, loket, token, "ask")


def _submitted(step: str, loket: str, act: Any):
    token = request.form.get("token", "")
    try:
        act(get_site(), loket, token)
    except InvalidInputError:
        return _render(step, loket, token, "invalid", 422)
    except ConflictError as error:  # confirming an alert that was cancelled
        if isinstance(error, StaleVersionError):
            raise
        return _render(step, loket, token, "cancelled", 409)
    return _render(step, loket, token, "done")


def _render(step: str, loket: str, token: str, state: str, status: int = 200):
    name = get_site().lokets.get(loket).name
    page = render_template(
        "vacatures/alert_step.html", loket=loket, loket_name=name, token=token, state=state,
        texts=_texts(step, name), form_endpoint=f".{step}_form",
    )
    return page, status


def openapi_paths(spec: Any) -> dict[str, Any]:
    """The job alerts' paths for ``/api/v1/openapi.json``, relative to ``/api/v1/lokets/{loket}/vacatures``."""
    for name, schema in (("VacancyAlertInput", AlertInSchema), ("VacancyAlertToken", TokenSchema)):
        if name not in spec.components.schemas:
            spec.components.schema(name, schema=schema)
    tags = ["vacatures"]
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}

    def answer(description: str) -> dict[str, Any]:
        return {"description": description, "content": problem}

    def body(name: str) -> dict[str, Any]:
        return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}

    status = {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}
    token_query = [{"name": "token", "in": "query", "required": True, "schema": {"type": "string"}, "description": "The token from the e-mail's link"}]
    token_form = {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"token": {"type": "string"}}}}}}
    page = {"description": "A Dutch HTML page", "content": {"text/html": {}}}
    off = answer("No such loket, or the plugin is off in this loket (plugin-disabled)")
    invalid_page = {"description": "The link is not valid (Dutch HTML page)", "content": {"text/html": {}}}
    return {
        "/alerts": {
            "post": {
                "tags": tags,
                "summary": "Ask for job alerts (public): a confirmation e-mail is sent; leave 'website' empty; at most 10 per hour per address",
                "requestBody": body("VacancyAlertInput"),
                "responses": {
                    "202": {"description": "The confirmation e-mail is queued (no personal data in the answer)", "content": status},
                    "404": off,
                    "422": answer("Not valid; invalidParams names the field"),
                    "429": answer("Too many submissions; see Retry-After"),
                },
            }
        },
        "/alerts/confirm": {
            "post": {
                "tags": tags,
                "summary": "Switch an alert on with the token from the confirmation e-mail",
                "requestBody": body("VacancyAlertToken"),
                "responses": {
                    "200": {"description": "The alert is active", "content": status},
                    "404": off,
                    "409": answer("The alert was cancelled; subscribe again"),
                    "422": answer("Not a valid token (invalidParams: token)"),
                },
            }
        },
        "/alerts/unsubscribe": {
            "post": {
                "tags": tags,
                "summary": "Stop an alert with the token from any of its e-mails (JSON body, or ?token= with a form body: one-click, RFC 8058)",
                "parameters": [{**token_query[0], "required": False}],
                "requestBody": {"required": False, "content": {**body("VacancyAlertToken")["content"], **token_form["content"]}},
                "responses": {"200": {"description": "The alert is stopped", "content": status}, "404": off, "422": answer("Not a valid token (invalidParams: token)")},
            }
        },
        "/alerts/bevestigen": {
            "get": {
                "tags": tags,
                "summary": "The page of the confirmation link: a button (POST form) to confirm, so that link scanners confirm nothing",
                "parameters": token_query,
                "responses": {"200": page, "404": off, "422": invalid_page},
            },
            "post": {
                "tags": tags,
                "summary": "The confirmation page's button",
                "requestBody": token_form,
                "responses": {"200": page, "404": off, "409": {"description": "The alert was cancelled (Dutch HTML page)", "content": {"text/html": {}}}, "422": invalid_page},
            },
        },
        "/alerts/afmelden": {
            "get": {
                "tags": tags,
                "summary": "The page of the unsubscribe link in every alert mail: a button (POST form) to stop the alert",
                "parameters": token_query,
                "responses": {"200": page, "404": off, "422": invalid_page},
            },
            "post": {"tags": tags, "summary": "The unsubscribe page's button", "requestBody": token_form, "responses": {"200": page, "404": off, "422": invalid_page}},
        },
    }
