"""The helpdesk screens: a loket's inbox of questions, and one question with its history and the
steps an editor takes (assign, answer, refer, close, make a FAQ draft of it).

These pages show the askers' personal data: every view calls ``personal_response()`` and the pages
are never cached. Flash messages never hold personal data (they travel in the session cookie)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import flash, make_response, redirect, render_template, request, url_for

from core.errors import ConflictError, InvalidInputError, NotFoundError, StaleVersionError
from core.helpdesk.domain import ANSWERED, ASSIGNED, CLOSED, NEW, ONDERWIJSLOKET, REFERRED
from core.http import get_site, personal_response, record_personal_view
from web.editor import bp
from web.editor.forms import AMSTERDAM
from core.http import screen_principal
from core.messages import t

EDITORS = ("editor", "admin")
PAGE_SIZE = 25

#: The tabs of the inbox: the slug in the URL (``?status=``) and the statuses it shows.
TABS: dict[str, tuple[str, ...]] = {
    "open": (NEW, ASSIGNED),
    "nieuw": (NEW,),
    "toegewezen": (ASSIGNED,),
    "beantwoord": (ANSWERED,),
    "doorverwezen": (REFERRED,),
    "gesloten": (CLOSED,),
    "alle": (),
}
DEFAULT_TAB = "open"

#: The actions of the question page: the slug in the URL and the form fields it reads.
ACTIONS = ("toewijzen", "beantwoorden", "doorverwijzen", "sluiten", "veelgestelde-vraag")

#: The input of each field the service may name in its problems, per action (for the error summary).
INPUTS = {
    "toewijzen": {"assignee": "toewijzen-aan"},
    "beantwoorden": {"answer": "antwoord-tekst", "close": "antwoord-sluiten"},
    "doorverwijzen": {"to": "verwijs-naar", "note": "verwijs-notitie", "link": "verwijs-naar"},
    "sluiten": {"reason": "sluit-reden"},
    "veelgestelde-vraag": {"topic": "faq-onderwerp"},
}

# The results told after a redirect are the catalogue's ``helpdesk.*`` texts (flash messages, in the
# session cookie: no personal data).


@bp.get("/<loket>/vragen/")
def questions(loket: str):
    """The inbox: one tab per status, newest first, 25 a page."""
    personal_response()
    screen_principal(loket, *EDITORS)
    site = get_site()
    site.projections.catch_up()
    tab = request.args.get("status", DEFAULT_TAB)
    if tab not in TABS:
        tab = DEFAULT_TAB
    raw_page = request.args.get("pagina", "1")
    page = max(1, int(raw_page)) if raw_page.isdigit() else 1
    rows, total = site.questions_view.inbox(loket, TABS[tab], PAGE_SIZE, (page - 1) * PAGE_SIZE)
    record_personal_view(loket, [row["person_id"] for row in rows], "helpdesk inbox")
    counts = {slug: site.questions_view.inbox(loket, statuses, 1, 0)[1] for slug, statuses in TABS.items()}
    for row in rows:
        row["asked"] = _when(row["asked_at"])
    return _no_store(
        render_template(
            "editor/questions.html",
            rows=rows,
            tab=tab,
            tabs=list(TABS),
            counts=counts,
            total=total,
            page=page,
            pages=max(1, -(-total // PAGE_SIZE)),
        )
    )


@bp.get("/<loket>/vragen/<uuid:question_id>")
def question(loket: str, question_id: UUID):
    """One question: the asker's data, the history, and a form for each next step."""
    personal_response()
    screen_principal(loket, *EDITORS)
    row = _row(loket, question_id)
    if row is None:
        flash(t("helpdesk.moved"))
        return redirect(url_for("beheer.questions", loket=loket))
    return _page(loket, row)


@bp.post("/<loket>/vragen/<uuid:question_id>/<action>")
def question_action(loket: str, question_id: UUID, action: str):
    """One step, with the version the editor saw as the expected version: a step over a version
    someone else changed since is refused, and the page shows the current state."""
    personal_response()
    principal = screen_principal(loket, *EDITORS)
    if action not in ACTIONS:
        raise NotFoundError(f"No action '{action}'.")
    site = get_site()
    helpdesk = site.helpdesk
    form = request.form
    raw_version = form.get("version", "")
    expected = int(raw_version) if raw_version.isdigit() else None
    values = {key: form.get(key, "") for key in form if key not in ("csrf_token", "version")}
    row = _row(loket, question_id)
    if row is None:
        flash(t("helpdesk.moved"), "error")
        return redirect(url_for("beheer.questions", loket=loket))
    here = url_for("beheer.question", loket=loket, question_id=question_id)
    try:
        if action == "toewijzen":
            assignee = form.get("toegewezen_aan", "").strip()
            if assignee not in _assignees(loket, row):
                raise InvalidInputError("Unknown assignee.", {"assignee": "not an editor of this loket"})
            helpdesk.assign(loket, question_id, {"assignee": assignee}, expected)
            flash(t("helpdesk.assigned", assignee=assignee))
        elif action == "beantwoorden":
            close = form.get("sluiten") == "ja"
            helpdesk.answer(loket, question_id, {"answer": form.get("antwoord", "").strip(), "close": close}, principal.name, expected)
            flash(t("helpdesk.answered_closed") if close else t("helpdesk.answered"))
        elif action == "doorverwijzen":
            to = form.get("naar", "").strip()
            if to not in _referral_targets(loket):
                raise InvalidInputError("Unknown target.", {"to": "not a loket of this installation"})
            helpdesk.refer(loket, question_id, {"to": to, "note": form.get("notitie", "").strip()}, expected)
            if to != ONDERWIJSLOKET:
                flash(t("helpdesk.referred_loket", name=site.lokets.get(to).name))
                return redirect(url_for("beheer.questions", loket=loket))
            flash(t("helpdesk.referred_onderwijsloket"))
        elif action == "sluiten":
            helpdesk.close(loket, question_id, {"reason": form.get("reden", "").strip()}, expected)
            flash(t("helpdesk.closed"))
        else:  # veelgestelde-vraag: the service takes no version; check it here all the same
            helpdesk.get(loket, question_id, expected)
            helpdesk.make_faq(loket, question_id, {"topic": form.get("onderwerp", "").strip()})
            flash(t("helpdesk.faq_made"))
    except StaleVersionError:
        current = _row(loket, question_id)
        if current is None:
            flash(t("helpdesk.moved"), "error")
            return redirect(url_for("beheer.questions", loket=loket))
        return _page(loket, current, action=action, values=values, alert="stale", status=409)
    except InvalidInputError as error:
        inputs = INPUTS[action]
        errors = {inputs.get(name, next(iter(inputs.values()))): reason for name, reason in error.problems.items()}
        return _page(loket, _row(loket, question_id) or row, action=action, values=values, errors=errors, status=422)
    except ConflictError:
        # Closed or referred to the Onderwijsloket (no further steps), or no answer to make a FAQ of.
        return _page(loket, _row(loket, question_id) or row, action=action, values=values, alert="refused", status=409)
    return redirect(here)


# Helpers


def _row(loket: str, question_id: UUID) -> dict[str, Any] | None:
    """The question as the inbox shows it; None when it was referred from here to another loket.

    :raise NotFoundError: no such question here (another loket's questions stay closed).
    """
    site = get_site()
    site.projections.catch_up()
    row = site.questions_view.get(str(question_id))
    if row is None:
        raise NotFoundError(f"No question {question_id} in loket '{loket}'.")
    if row["loket"] != loket:
        if any(step["what"].startswith(f"referred from {loket} to ") for step in json.loads(row["history"])):
            return None
        raise NotFoundError(f"No question {question_id} in loket '{loket}'.")
    record_personal_view(loket, [row["person_id"]], "helpdesk question")
    return row


def _page(
    loket: str,
    row: dict[str, Any],
    action: str | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    alert: str | None = None,
    status: int = 200,
):
    site = get_site()
    history, faq_id = _history(row["id"])
    names = {l.slug: l.name for l in site.lokets.all(include_closed=True)}
    others = [(l.slug, l.name) for l in site.lokets.all() if l.slug != loket]
    response = make_response(
        render_template(
            "editor/question.html",
            q=row,
            asked=_when(row["asked_at"]),
            history=history,
            faq_id=faq_id,
            assignees=_assignees(loket, row),
            others=others,
            loket_names=names,
            onderwijsloket=ONDERWIJSLOKET,
            action=action,
            values=values or {},
            errors=errors or {},
            alert=alert,
            can_change=row["status"] not in (CLOSED, REFERRED),
            can_close=row["status"] != CLOSED,
            can_faq=bool(row["answer"]) and faq_id is None,
        ),
        status,
    )
    return _no_store(response)


def _assignees(loket: str, row: dict[str, Any]) -> list[str]:
    """The loket's editors and admins (and whoever has the question now, even if not one of them)."""
    names = [user.username for user in get_site().identity.users() if set(user.roles.get(loket, ())) & set(EDITORS)]
    if row.get("assignee") and row["assignee"] not in names:
        names.append(row["assignee"])
    return names


def _referral_targets(loket: str) -> list[str]:
    return [ONDERWIJSLOKET, *(l.slug for l in get_site().lokets.all() if l.slug != loket)]


def _history(question_id: str) -> tuple[list[dict[str, Any]], str | None]:
    """Every step of the question from its events: what, when, who (by name), and any note."""
    site = get_site()
    actors = _actor_names()
    steps, faq_id = [], None
    for event in site.app.events.get(UUID(question_id)):
        kind = type(event).__name__
        actor = event.envelope.get("actor", "")
        step = {
            "kind": kind,
            "when": _when(event.timestamp.isoformat()),
            "actor_kind": actor.split(":", 1)[0],
            "actor": actors.get(actor, actor),
        }
        if kind == "QuestionAssigned":
            step["assignee"] = event.assignee
        elif kind == "QuestionAnswered":
            step["by"] = event.by
        elif kind == "QuestionReferred":
            step.update(from_loket=event.from_loket, to=event.to, note=event.note, link=event.link)
        elif kind == "QuestionClosed":
            step["reason"] = event.reason
        elif kind == "TurnedIntoFaq":
            faq_id = str(event.faq_id)
            step["faq_id"] = faq_id
        steps.append(step)
    return steps, faq_id


def _actor_names() -> dict[str, str]:
    identity = get_site().identity
    names = {f"user:{user.id}": user.username for user in identity.users()}
    names.update({f"token:{token.id}": token.label for token in identity.tokens()})
    return names


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
    except (TypeError, ValueError):
        return str(iso)


def _no_store(response: Any) -> Any:
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response
