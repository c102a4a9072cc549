"""The example plugin's editor screen, mounted by the core at /beheer/<loket>/voorbeeld."""

from __future__ import annotations

from flask import Blueprint, render_template_string

from core.http import get_site

from .projections import greetings

bp = Blueprint("voorbeeld_editor", __name__)

PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Groeten — {{ loket }}</title></head>
<body><main><h1>Groeten</h1><ul>{% for g in items %}<li>{{ g.text }}</li>{% endfor %}</ul></main></body></html>"""


@bp.get("/")
def index(loket: str):
    """The greetings of this loket, for editors."""
    return render_template_string(PAGE, loket=loket, items=greetings(get_site(), loket))
