"""``/afmelden``: where the link in a registration e-mail leads. A page with one button (no
JavaScript); the token in the link is the proof, so the page needs no login."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from core.errors import LoketError
from core.http import get_site

bp = Blueprint("cancel_page", __name__, template_folder="templates")


@bp.get("/afmelden")
def confirm():
    """Ask whether the person really wants to cancel."""
    return render_template("afmelden.html", token=request.args.get("token", ""), state="confirm")


@bp.post("/afmelden")
def cancel():
    """Cancel, and say what happened in plain Dutch."""
    token = request.form.get("token", "")
    try:
        get_site().registrations.cancel({"token": token})
    except LoketError as error:
        already = "already cancelled" in str(error)
        return render_template("afmelden.html", token=token, state="already" if already else "invalid"), 200 if already else 400
    return render_template("afmelden.html", token=token, state="done")
