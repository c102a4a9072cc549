"""Commands on content items of every registered type: create, revise, publish, unpublish, schedule,
revert, withdraw — and the tick that carries out what was scheduled.

Input arrives in the API's form (camelCase) and is validated by the type's schema; what is recorded
is the loaded, snake_case form. Each command names the version it read (``expected_version``) when
the caller has one: a stale version is refused, never merged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from core.application import LoketApplication
from core.content.domain import PUBLISHED, ApprovalRequiredError, ContentItem, NothingToPublishError, SlugClaim, SlugTakenError
from core.content.registry import ContentType, ContentTypes
from core.envelope import acting, caused_by, current_envelope
from core.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError, PluginDisabledError, StaleVersionError
from core.lokets import Lokets
from core.validation import load


#: What a narrowed principal may touch: filter field → admitted values (``content_scope`` hook);
#: None admits everything.
Scope = dict[str, list[str]] | None


@dataclass(frozen=True)
class Saved:
    """What a command wrote: the item, its new version, and the log position of the write."""

    id: UUID
    version: int
    position: int


class Content:
    """Commands on content; queries go to the content read model."""

    def __init__(self, app: LoketApplication, content_types: ContentTypes, lokets: Lokets) -> None:
        self.app = app
        self.types = content_types
        self.lokets = lokets

    def create(self, type_name: str, loket: str, data: dict[str, Any], scope: Scope = None) -> Saved:
        """Draft a new item. Without a slug, one is made from the title (``-2``, ``-3`` when taken)."""
        content_type = self.type_in(type_name, loket)
        fields = load(content_type.schema(), data, f"The {content_type.name} is not valid.")
        if content_type.defaults is not None:
            settings = self.lokets.get(loket).settings.get(content_type.plugin or "", {})
            fields.update({k: v for k, v in content_type.defaults(settings).items() if fields.get(k) is None})
        _check_scope(content_type, fields, scope)
        explicit = fields.pop("slug", None)
        base = explicit or slugify(str(fields.get(content_type.title_field, "")))
        for attempt in range(1, 100):
            slug = base if attempt == 1 else f"{base}-{attempt}"
            claim = self._get_claim(content_type, loket, slug)
            if claim is None or claim.item_id is None:
                item = content_type.aggregate(loket=loket, slug=slug, fields=fields)
                if self._exists(item.id):  # an id that follows from the fields (an external id)
                    raise ConflictError(f"This {content_type.name} exists already in loket '{loket}' (same identity).")
                try:
                    return self._save(content_type, item, self._claim(content_type, loket, slug, item.id))
                except InvalidInputError:
                    pass  # claimed by a create that saved first
            if explicit:
                raise self._slug_in_use(content_type)
        raise self._slug_in_use(content_type)

    def revise(
        self,
        type_name: str,
        loket: str,
        item_id: UUID,
        data: dict[str, Any],
        expected_version: int | None,
        partial: bool = False,
        scope: Scope = None,
    ) -> Saved:
        """Change the working copy: ``partial`` merges the given fields (PATCH), otherwise the
        given fields replace all (PUT)."""
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        loaded = load(content_type.schema(), data, f"The {content_type.name} is not valid.", partial=partial)
        slug = loaded.pop("slug", None) or item.slug
        fields = {**item.fields, **loaded} if partial else loaded
        _check_scope(content_type, fields, scope)
        note = str(data.get("_note", "")) if isinstance(data, dict) else ""
        claims = self._move_slug(content_type, loket, item, slug)
        if not item.revise(fields, slug, note=note):
            return Saved(item.id, item.version, self.app.position())
        return self._save(content_type, item, *claims)

    def publish(self, type_name: str, loket: str, item_id: UUID, expected_version: int | None = None, scope: Scope = None) -> Saved:
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        item.publish(approval_required=self.needs_approval(content_type.name, loket))
        return self._save(content_type, item)

    def needs_approval(self, type_name: str, loket: str) -> bool:
        """Whether ``loket`` asks a second person to approve items of this type before publication."""
        return type_name in self.lokets.get(loket).approval

    def submit(self, type_name: str, loket: str, item_id: UUID, note: str = "", expected_version: int | None = None, scope: Scope = None) -> Saved:
        """Ask a second editor or admin to approve the working copy."""
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        item.submit(current_envelope().actor, note)
        return self._save(content_type, item)

    def approve(self, type_name: str, loket: str, item_id: UUID, comment: str = "", expected_version: int | None = None, scope: Scope = None) -> Saved:
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        item.approve(current_envelope().actor, comment)
        return self._save(content_type, item)

    def reject(self, type_name: str, loket: str, item_id: UUID, comment: str, expected_version: int | None = None, scope: Scope = None) -> Saved:
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        item.reject(current_envelope().actor, comment)
        return self._save(content_type, item)

    def unpublish(self, type_name: str, loket: str, item_id: UUID, expected_version: int | None = None, scope: Scope = None) -> Saved:
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        item.unpublish()
        return self._save(content_type, item)

    def schedule(
        self,
        type_name: str,
        loket: str,
        item_id: UUID,
        publish_at: datetime | None,
        unpublish_at: datetime | None,
        expected_version: int | None = None,
        scope: Scope = None,
    ) -> Saved:
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        item.schedule(publish_at, unpublish_at)
        return self._save(content_type, item)

    def revert(self, type_name: str, loket: str, item_id: UUID, to_version: int, expected_version: int | None = None, scope: Scope = None) -> Saved:
        """Make the working copy what it was at ``to_version``, as a new event (history stays)."""
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        if not 1 <= to_version < item.version:
            raise InvalidInputError("There is no such earlier version.", {"toVersion": f"must be between 1 and {item.version - 1}"})
        earlier = self.app.repository.get(item.id, version=to_version)
        claims = self._move_slug(content_type, loket, item, earlier.slug)
        item.revert(to_version, earlier.fields, earlier.slug)
        return self._save(content_type, item, *claims)

    def withdraw(
        self, type_name: str, loket: str, item_id: UUID, expected_version: int | None = None, reason: str = "", scope: Scope = None
    ) -> Saved:
        """Delete: the item leaves the API and lists; its slug is free again; its history stays."""
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        item.withdraw(reason)
        claim = self._get_claim(content_type, loket, item.slug)
        if claim is not None:
            claim.release()
        return self._save(content_type, item, *([claim] if claim else []))

    def change(
        self,
        type_name: str,
        loket: str,
        item_id: UUID,
        command: Any,
        expected_version: int | None = None,
        scope: Scope = None,
    ) -> Saved:
        """Run a plugin's own command on an item (``command(item)`` records its events), with the
        same checks as every command here: loket, plugin on, scope, version."""
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, expected_version, scope)
        command(item)
        if not item.pending_events:
            return Saved(item.id, item.version, self.app.position())
        return self._save(content_type, item)

    def item(self, type_name: str, loket: str, item_id: UUID, scope: Scope = None) -> ContentItem:
        """The item itself (for a plugin's command that reads it first)."""
        return self._get(self.type_in(type_name, loket), loket, item_id, None, scope)

    def history(self, type_name: str, loket: str, item_id: UUID, scope: Scope = None) -> list[dict[str, Any]]:
        """Every version of the item: what happened, when, by whom (the events themselves)."""
        content_type = self.type_in(type_name, loket)
        item = self._get(content_type, loket, item_id, None, scope)
        return [
            {
                "version": event.originator_version,
                "event": type(event).__name__,
                "at": event.timestamp.isoformat(),
                "actor": event.envelope["actor"],
                "note": getattr(event, "note", "") or getattr(event, "reason", ""),
            }
            for event in self.app.events.get(item.id)
        ]

    def carry_out_schedule(self, due: list[dict[str, Any]], now: datetime) -> list[str]:
        """Publish and unpublish what is due at ``now`` (rows from the read model), as ``system``,
        each caused by the event that scheduled it. Returns what was done, one line each."""
        done = []
        for row in due:
            content_type = self.types.get(row["type"])
            item = self.app.get(UUID(row["id"]), ContentItem)
            scheduled = [e for e in self.app.events.get(item.id) if type(e).__name__ == "PublicationScheduled"][-1]
            with acting(actor="system", loket=item.loket, correlation_id=f"tick-{now.isoformat()}"), caused_by(scheduled):
                try:
                    if item.publish_at and item.publish_at <= now:
                        try:
                            item.publish(approval_required=self.needs_approval(content_type.name, item.loket))
                            done.append(f"{item.loket}: published {content_type.name} {item.slug}")
                        except NothingToPublishError:
                            item.schedule(None, item.unpublish_at)
                        except ApprovalRequiredError:
                            pass  # stays planned; it is published by the first tick after approval
                    if item.unpublish_at and item.unpublish_at <= now:
                        if item.status == PUBLISHED:
                            item.unpublish()
                            done.append(f"{item.loket}: unpublished {content_type.name} {item.slug}")
                        else:
                            item.schedule(item.publish_at, None)
                    if item.pending_events:
                        self.app.save(item)
                except StaleVersionError:
                    continue  # an editor changed it meanwhile; the next tick sees the new state
        return done

    # Helpers

    def type_in(self, type_name: str, loket: str) -> ContentType:
        """The content type, as shown in ``loket``. :raise NotFoundError: no such loket or type.
        :raise PluginDisabledError: the type's plugin is off in this loket."""
        content_type = self.types.get(type_name)
        enabled = self.lokets.get(loket).plugins
        if content_type.plugin and content_type.plugin not in enabled:
            raise PluginDisabledError(f"The plugin '{content_type.plugin}' is not switched on in loket '{loket}'.")
        return content_type

    def _get(self, content_type: ContentType, loket: str, item_id: UUID, expected_version: int | None, scope: Scope = None) -> ContentItem:
        try:
            item = self.app.get(item_id, content_type.aggregate, expected_version)
        except NotFoundError:
            item = None
        # Another loket's item is as absent as one that never existed.
        if item is None or item.loket != loket:
            raise NotFoundError(f"There is no {content_type.name} {item_id} in loket '{loket}'.")
        _check_scope(content_type, item.fields, scope)
        return item

    def _exists(self, item_id: UUID) -> bool:
        return bool(self.app.recorder.select_events(item_id, limit=1))

    def _get_claim(self, content_type: ContentType, loket: str, slug: str) -> SlugClaim | None:
        try:
            return self.app.get(SlugClaim.create_id(loket, content_type.name, slug), SlugClaim)
        except NotFoundError:
            return None

    def _claim(self, content_type: ContentType, loket: str, slug: str, item_id: UUID) -> SlugClaim:
        claim = self._get_claim(content_type, loket, slug)
        if claim is None:
            return SlugClaim(loket=loket, content_type=content_type.name, slug=slug, item_id=item_id)
        claim.claim(item_id)
        return claim

    def _move_slug(self, content_type: ContentType, loket: str, item: ContentItem, slug: str) -> list[SlugClaim]:
        if slug == item.slug:
            return []
        try:
            new = self._claim(content_type, loket, slug, item.id)
        except SlugTakenError:
            raise self._slug_in_use(content_type) from None
        old = self._get_claim(content_type, loket, item.slug)
        if old is not None:
            old.release()
        return [new] + ([old] if old else [])

    def _save(self, content_type: ContentType, item: ContentItem, *claims: SlugClaim) -> Saved:
        try:
            recordings = self.app.save(item, *claims)
        except StaleVersionError:
            if any(self._claim_taken_by_other(claim, item.id) for claim in claims):
                raise self._slug_in_use(content_type) from None
            raise
        return Saved(item.id, item.version, recordings[-1].notification.id)

    def _claim_taken_by_other(self, claim: SlugClaim, item_id: UUID) -> bool:
        try:
            stored = self.app.get(claim.id, SlugClaim)
        except NotFoundError:
            return False
        return stored.item_id not in (None, item_id)

    @staticmethod
    def _slug_in_use(content_type: ContentType) -> InvalidInputError:
        return InvalidInputError("The slug is in use.", {"slug": f"is already used by another {content_type.name} in this loket"})


def in_scope(content_type: ContentType, fields: dict[str, Any], scope: Scope) -> bool:
    """Whether an item with ``fields`` is within ``scope`` (each scoped field holds an admitted value)."""
    if scope is None:
        return True
    for name, admitted in scope.items():
        value = fields.get(name)
        values = value if isinstance(value, list) else [value]
        if not any(str(v) in admitted for v in values if v not in (None, "")):
            return False
    return True


def _check_scope(content_type: ContentType, fields: dict[str, Any], scope: Scope) -> None:
    if not in_scope(content_type, fields, scope):
        names = ", ".join(sorted(scope or {}))
        raise PermissionDeniedError(f"This {content_type.name} is outside what you may manage here ({names}).")


def slugify(text: str) -> str:
    """'Zij-instroom in het PO' → 'zij-instroom-in-het-po'; accents folded (conciërge → concierge)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:100].rstrip("-") or "item"
