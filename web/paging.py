"""Lists after the API conventions: ``?page=&pageSize=`` (max 100), ``{items, page, pageSize, total}``
and ``Link`` headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from flask import request

from core.errors import InvalidInputError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


def page_params() -> tuple[int, int]:
    """The requested page and page size. :raise InvalidInputError: not a positive number, or too big."""
    problems = {}
    values = {}
    for name, default, maximum in (("page", 1, None), ("pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)):
        raw = request.args.get(name, str(default))
        if not raw.isdigit() or int(raw) < 1:
            problems[name] = "must be a whole number of 1 or more"
        elif maximum and int(raw) > maximum:
            problems[name] = f"must be at most {maximum}"
        else:
            values[name] = int(raw)
    if problems:
        raise InvalidInputError("The paging parameters are not valid.", problems)
    return values["page"], values["pageSize"]


def paged(items: Sequence[Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """One page of ``items`` as the response body, and its ``Link`` header."""
    page, page_size = page_params()
    total = len(items)
    body = {"items": list(items[(page - 1) * page_size : page * page_size]), "page": page, "pageSize": page_size, "total": total}
    return body, {"Link": paging_links(page, page_size, total)}


def paging_links(page: int, page_size: int, total: int) -> str:
    """The ``Link`` header of one page: first, last, and prev/next where they exist."""
    last = max(1, -(-total // page_size))
    links = [("first", 1), ("last", last)]
    if page > 1:
        links.append(("prev", page - 1))
    if page < last:
        links.append(("next", page + 1))
    args = {k: v for k, v in request.args.items() if k not in ("page", "pageSize")}
    return ", ".join(
        f'<{request.base_url}?{urlencode({**args, "page": n, "pageSize": page_size})}>; rel="{rel}"' for rel, n in links
    )
