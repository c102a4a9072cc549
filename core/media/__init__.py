"""The media library: images (PNG, JPEG, WebP) and PDFs that a loket uses in its Markdown bodies.

The type is read from the file's content, the bytes are kept once by their sha256 beside the
configuration (``media_dir``), and uploads, alt texts and withdrawals are events on ``MediaItem``.
"""

from __future__ import annotations

from core.hooks import hookimpl


@hookimpl
def register_aggregates():
    from core.media.domain import MediaItem

    return [MediaItem]


@hookimpl
def register_projections():
    from core.media.projections import MediaProjection

    return [MediaProjection]


@hookimpl
def api_blueprint():
    from core.media.api import bp

    return bp


@hookimpl
def editor_blueprint():
    from core.media.editor import bp

    return bp


@hookimpl
def openapi_paths(spec):
    from core.media.api import openapi_paths

    return openapi_paths(spec)
