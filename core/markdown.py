"""Markdown as editors write it → HTML that is safe to serve: CommonMark (raw HTML off) and tables,
then sanitised by nh3 (the Ammonia allow-list), so a front end can insert it as it is."""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


# One text is rendered for several read models (the working copy, the public copy, a plugin's
# board, search) in the same catch-up: remembered, it is parsed once.
@lru_cache(maxsize=1024)
def render_markdown(text: str) -> str:
    """Sanitised HTML for ``text``; the same text always gives the same HTML."""
    return nh3.clean(_markdown.render(text or ""), link_rel="noopener noreferrer")


@lru_cache(maxsize=1024)
def markdown_text(text: str) -> str:
    """The words of ``text`` without Markdown or HTML: what search indexes and highlights."""
    return html.unescape(nh3.clean(render_markdown(text), tags=set())).strip()
