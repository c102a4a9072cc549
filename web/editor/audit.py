"""The auditor's screens under ``/audit``: the log, an item's timeline and state as of a moment, how
each loket grew (a table and a chart drawn on the server), and the access log. Read only."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, redirect, render_template, request, session, url_for

from core.audit.log import LogFilter, compare_states, moment, read_log, state_of, type_names
from core.domain import Loket
from core.errors import InvalidInputError, NotFoundError
from core.http import current_principal, get_site, screen_principal
from core.messages import t

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")

PAGE = 50
GROWTH_EVENTS = ("LoketOpened", "RegionJoined", "RegionLeft", "PluginEnabled", "PluginDisabled", "LoketClosed", "LoketReopened")


@bp.get("/")
def home():
    """The first loket where the user is an auditor."""
    if not session.get("user"):
        return redirect(url_for("beheer.login", next="/audit/"))
    lokets = sorted(loket for loket, roles in current_principal().roles.items() if "auditor" in roles)
    if not lokets:
        return render_template("editor/error.html", message=t("error.403")), 403
    return redirect(url_for("audit.log", loket=lokets[0]))


@bp.get("/<loket>/")
def log(loket: str):
    """The loket's events in the order of record, filtered, 50 at a time."""
    screen_principal(loket, "auditor")
    site = get_site()
    args = request.args
    after = int(args["na"]) if args.get("na", "").isdigit() else 0
    try:
        where = LogFilter(loket, None, args.get("soort") or None, args.get("gebeurtenis") or None, args.get("wie") or None, moment(args.get("van"), "van"), moment(args.get("tot"), "tot"))
    except InvalidInputError as error:
        return render_template("audit/log.html", entries=[], error=str(error), args=args, after=0, next_after=None), 422
    entries = read_log(site.app, where, after, PAGE, type_names(site))
    for entry in entries:
        entry["who"] = site.identity.actor_name(entry["actor"] or "")
    next_after = entries[-1]["position"] if len(entries) == PAGE else None
    return render_template("audit/log.html", entries=entries, args=args, after=after, next_after=next_after, error=None)


@bp.get("/<loket>/item/<uuid:item_id>")
def item(loket: str, item_id: UUID):
    """Every version of one item, and its state as of a moment (``?op=``)."""
    screen_principal(loket, "auditor")
    site = get_site()
    entries = [e for e in read_log(site.app, LogFilter(aggregate=item_id), limit=100000) if e["loket"] == loket]
    if not entries:
        raise NotFoundError(f"No item {item_id} in loket '{loket}'.")
    for entry in entries:
        entry["who"] = site.identity.actor_name(entry["actor"] or "")
    at = request.args.get("op", "")
    try:
        as_of = moment(at, "op") if at else None
    except InvalidInputError:
        as_of, at = None, ""
    chosen = [e for e in entries if as_of is None or datetime.fromisoformat(e["at"]) <= as_of]
    state = state_of(site.app, item_id, chosen[-1]["version"]) if chosen else None
    latest = entries[-1]["version"]
    older, newer = _version_arg("van", max(1, latest - 1), latest), _version_arg("naar", latest, latest)
    diff = compare_states(state_of(site.app, item_id, older), state_of(site.app, item_id, newer))
    return render_template(
        "audit/item.html", item_id=item_id, entries=entries, state=state, at=at, version=chosen[-1]["version"] if chosen else None,
        diff=diff, older=older, newer=newer, latest=latest,
    )


def _version_arg(name: str, default: int, latest: int) -> int:
    raw = request.args.get(name, "")
    return min(int(raw), latest) if raw.isdigit() and int(raw) >= 1 else default


@bp.get("/<loket>/groei")
def growth(loket: str):
    """How the loket grew: regions and plugins over time, as a table and a chart."""
    screen_principal(loket, "auditor")
    site = get_site()
    steps, plugins, regions = [], set(), set()
    for domain_event in site.app.events.get(Loket.create_id(loket)):
        name = type(domain_event).__name__
        if name not in GROWTH_EVENTS:
            continue
        if name == "PluginEnabled":
            plugins.add(domain_event.plugin)
        elif name == "PluginDisabled":
            plugins.discard(domain_event.plugin)
        elif name == "RegionJoined":
            regions.add(domain_event.region["id"])
        elif name == "RegionLeft":
            regions.discard(domain_event.region_id)
        what = getattr(domain_event, "plugin", None) or getattr(domain_event, "region_id", None) or (getattr(domain_event, "region", None) or {}).get("id", "")
        steps.append({"at": domain_event.timestamp, "event": name, "what": what, "plugins": len(plugins), "regions": len(regions)})
    return render_template("audit/growth.html", steps=steps, chart=_chart(steps))


@bp.get("/<loket>/toegang")
def access(loket: str):
    """Who looked at whose personal data, and when; never the data itself."""
    screen_principal(loket, "auditor")
    site = get_site()
    site.projections.catch_up()
    rows = site.projection("access-log").view.entries(loket, request.args.get("persoon") or None, 500)
    for row in rows:
        row["who"] = site.identity.actor_name(row["viewer"])
    return render_template("audit/access.html", rows=rows)


def _chart(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """A step chart of plugins and regions over time, as SVG path data (drawn on the server)."""
    width, height, margin = 640, 200, 40
    if not steps:
        return {"width": width, "height": height, "lines": [], "ticks": []}
    start, end = steps[0]["at"], steps[-1]["at"]
    span = max((end - start).total_seconds(), 1.0)
    top = max(max(s["plugins"] for s in steps), max(s["regions"] for s in steps), 1)

    def x(at: datetime) -> float:
        return round(margin + (width - 2 * margin) * (at - start).total_seconds() / span, 1)

    def y(value: int) -> float:
        return round(height - margin - (height - 2 * margin) * value / top, 1)

    lines = []
    for key, label, css in (("plugins", t("audit.growth.plugins"), "line-plugins"), ("regions", t("audit.growth.regions"), "line-regions")):
        points, last = [], None
        for step in steps:
            if last is not None:
                points.append(f"L{x(step['at'])},{y(last)}")
            points.append(f"{'M' if not points else 'L'}{x(step['at'])},{y(step[key])}")
            last = step[key]
        points.append(f"L{width - margin},{y(last)}")
        lines.append({"label": label, "css": css, "d": " ".join(points), "last": last})
    ticks = [{"y": y(v), "value": v} for v in range(0, top + 1)]
    return {"width": width, "height": height, "lines": lines, "ticks": ticks, "start": start, "end": end, "margin": margin}
