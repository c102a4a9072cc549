"""Content items: the base aggregate every content type shares, and the core's three types.

Every type has the same lifecycle: draft → published → unpublished (and back), scheduled
publication, revisions kept forever (the events), revert as a new event, withdrawal (delete), and
closing with an outcome (a vacancy filled or expired, an activity over): a closed item leaves the
public lists, its address answers 410 Gone, and publishing it again reopens it.
Editing a published item changes its working copy; the public sees the published copy until the
item is published again. ``Published`` carries the copy that went live, so the log itself says
what the public saw.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from core.domain import LoketAggregate, deterministic_id
from core.errors import ConflictError, InvalidInputError

DRAFT, PUBLISHED, UNPUBLISHED, WITHDRAWN, CLOSED = "draft", "published", "unpublished", "withdrawn", "closed"
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


class ContentItem(LoketAggregate):
    """Base of every content type. Subclasses define only their created event (``Drafted``)."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    def _start(self, loket: str, slug: str, fields: dict[str, Any]) -> None:
        self.loket = loket
        self.slug = slug
        self.fields = dict(fields)
        self.status = DRAFT
        self.published_fields: dict[str, Any] | None = None
        self.published_slug: str | None = None
        self.publish_at: datetime | None = None
        self.unpublish_at: datetime | None = None
        self.approval: str | None = None  # pending, approved, rejected (when the loket asks for approval)
        self.submitted_by: str | None = None
        self.approved_copy: tuple[dict[str, Any], str] | None = None
        self.outcome: str | None = None  # why it closed: "filled", "expired", …

    @property
    def has_unpublished_changes(self) -> bool:
        return self.status == PUBLISHED and (self.fields != self.published_fields or self.slug != self.published_slug)

    def revise(self, fields: dict[str, Any], slug: str, note: str = "") -> bool:
        """Change the working copy to ``fields``; False (nothing recorded) when nothing differs."""
        self._refuse_if_withdrawn("revised")
        changes = {name: value for name, value in fields.items() if self.fields.get(name) != value}
        if not changes and slug == self.slug:
            return False
        self._revise(changes=changes, slug=slug, note=note)
        return True

    @event("Revised")
    def _revise(self, changes: dict[str, Any], slug: str, note: str) -> None:
        self.fields.update(changes)
        self.slug = slug
        self._changed_since_approval()

    def publish(self, approval_required: bool = False) -> None:
        self._refuse_if_withdrawn("published")
        if self.status == PUBLISHED and not self.has_unpublished_changes:
            raise NothingToPublishError("This item is published and has no changes since.")
        if approval_required and not (self.approval == APPROVED and self.approved_copy == (self.fields, self.slug)):
            raise ApprovalRequiredError("In this loket this item needs approval by a second editor before it is published.")
        self._publish(fields=dict(self.fields), slug=self.slug)

    # Approval: optional, per loket and content type. An editor submits, a second editor or admin
    # approves or rejects with a comment; a change after approval asks for approval again.

    def submit(self, by: str, note: str) -> None:
        self._refuse_if_withdrawn("submitted")
        if self.approval == PENDING:
            raise ConflictError("This item is already waiting for approval.")
        self._submit(by=by, note=note)

    @event("SubmittedForApproval")
    def _submit(self, by: str, note: str) -> None:
        self.approval = PENDING
        self.submitted_by = by
        self.approved_copy = None

    def approve(self, by: str, comment: str) -> None:
        self._check_review(by)
        self._approve(by=by, comment=comment)

    @event("Approved")
    def _approve(self, by: str, comment: str) -> None:
        self.approval = APPROVED
        self.approved_copy = (dict(self.fields), self.slug)

    def reject(self, by: str, comment: str) -> None:
        self._check_review(by)
        if not comment.strip():
            raise InvalidInputError("Say why the item is rejected.", {"comment": "must not be empty"})
        self._reject(by=by, comment=comment)

    @event("Rejected")
    def _reject(self, by: str, comment: str) -> None:
        self.approval = REJECTED
        self.approved_copy = None

    def _check_review(self, by: str) -> None:
        if self.approval != PENDING:
            raise ConflictError("This item is not waiting for approval.")
        if by == self.submitted_by:
            raise SelfApprovalError("A second person approves or rejects: not the one who submitted it.")

    def _changed_since_approval(self) -> None:
        if self.approval in (PENDING, APPROVED):
            self.approval = None
            self.approved_copy = None

    @event("Published")
    def _publish(self, fields: dict[str, Any], slug: str) -> None:
        self.status = PUBLISHED
        self.published_fields = dict(fields)
        self.published_slug = slug
        self.publish_at = None
        self.approval = None
        self.approved_copy = None
        self.outcome = None

    def close(self, outcome: str, reason: str = "") -> None:
        """End the item's public life with ``outcome`` ("filled", "expired"): it leaves the lists,
        its public address answers 410 Gone; publishing it again reopens it."""
        self._refuse_if_withdrawn("closed")
        if self.status == CLOSED:
            raise AlreadyClosedError(f"This item is already closed ({self.outcome}).")
        self._close(outcome=outcome, reason=reason)

    @event("Closed")
    def _close(self, outcome: str, reason: str) -> None:
        self.status = CLOSED
        self.outcome = outcome
        self.publish_at = None
        self.unpublish_at = None

    def unpublish(self) -> None:
        self._refuse_if_withdrawn("unpublished")
        if self.status != PUBLISHED:
            raise NotPublishedError("This item is not published.")
        self._unpublish()

    @event("Unpublished")
    def _unpublish(self) -> None:
        self.status = UNPUBLISHED
        self.unpublish_at = None

    def schedule(self, publish_at: datetime | None, unpublish_at: datetime | None) -> None:
        """Plan publication and/or withdrawal from publication; None clears a plan."""
        self._refuse_if_withdrawn("scheduled")
        for name, moment in (("publishAt", publish_at), ("unpublishAt", unpublish_at)):
            if moment is not None and moment.tzinfo is None:
                raise InvalidInputError("A moment needs a time zone.", {name: "give a time zone, e.g. 2026-03-01T09:00:00+01:00"})
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            raise InvalidInputError("The plan ends before it starts.", {"unpublishAt": "must be after publishAt"})
        if (publish_at, unpublish_at) == (self.publish_at, self.unpublish_at):
            return
        self._schedule(publish_at=publish_at, unpublish_at=unpublish_at)

    @event("PublicationScheduled")
    def _schedule(self, publish_at: datetime | None, unpublish_at: datetime | None) -> None:
        self.publish_at = publish_at
        self.unpublish_at = unpublish_at

    def revert(self, to_version: int, fields: dict[str, Any], slug: str) -> None:
        """Make the working copy what it was at ``to_version`` (read by the caller), as a new event."""
        self._refuse_if_withdrawn("reverted")
        if not 1 <= to_version < self.version:
            raise InvalidInputError("There is no such earlier version.", {"toVersion": f"must be between 1 and {self.version - 1}"})
        self._revert(to_version=to_version, fields=dict(fields), slug=slug)

    @event("Reverted")
    def _revert(self, to_version: int, fields: dict[str, Any], slug: str) -> None:
        self.fields = dict(fields)
        self.slug = slug
        self._changed_since_approval()

    def withdraw(self, reason: str = "") -> None:
        """Delete: the item leaves every list and the public API; its history stays."""
        self._refuse_if_withdrawn("withdrawn")
        self._withdraw(reason=reason)

    @event("Withdrawn")
    def _withdraw(self, reason: str) -> None:
        self.status = WITHDRAWN
        self.publish_at = None
        self.unpublish_at = None

    def _refuse_if_withdrawn(self, action: str) -> None:
        if self.status == WITHDRAWN:
            raise ItemWithdrawnError(f"This item was withdrawn and cannot be {action}.")


class Page(ContentItem):
    """Information about a profession in education, or any other page a loket needs."""

    @event("Drafted")
    def __init__(self, loket: str, slug: str, fields: dict[str, Any]) -> None:
        self._start(loket, slug, fields)


class Route(ContentItem):
    """A route into education: zij-instroom, herintreding, pabo, lerarenopleiding, PDG, …"""

    @event("Drafted")
    def __init__(self, loket: str, slug: str, fields: dict[str, Any]) -> None:
        self._start(loket, slug, fields)


class FaqEntry(ContentItem):
    """A frequently asked question with its answer, grouped by topic and sector."""

    @event("Drafted")
    def __init__(self, loket: str, slug: str, fields: dict[str, Any]) -> None:
        self._start(loket, slug, fields)


class SlugClaim(LoketAggregate):
    """One slug of one content type in one loket, held by at most one item at a time.

    Its id follows from (loket, type, slug), so two items claiming the same slug at once collide
    in the store: uniqueness is enforced by the write side.
    """

    @staticmethod
    def create_id(loket: str, content_type: str, slug: str) -> UUID:
        return deterministic_id("slug", f"{loket}/{content_type}/{slug}")

    @event("SlugClaimed")
    def __init__(self, loket: str, content_type: str, slug: str, item_id: UUID) -> None:
        self.loket = loket
        self.item_id: UUID | None = item_id

    def claim(self, item_id: UUID) -> None:
        if self.item_id is not None and self.item_id != item_id:
            raise SlugTakenError("This slug is in use by another item.")
        if self.item_id is None:
            self._claim(item_id=item_id)

    @event("SlugReclaimed")
    def _claim(self, item_id: UUID) -> None:
        self.item_id = item_id

    def release(self) -> None:
        if self.item_id is not None:
            self._release()

    @event("SlugReleased")
    def _release(self) -> None:
        self.item_id = None


class NothingToPublishError(ConflictError):
    """Raised when publishing an item that is live and unchanged."""


class NotPublishedError(ConflictError):
    """Raised when unpublishing an item that is not published."""


class ItemWithdrawnError(ConflictError):
    """Raised when changing an item that was withdrawn."""


class AlreadyClosedError(ConflictError):
    """Raised when closing an item that is closed already."""


class ApprovalRequiredError(ConflictError):
    """Raised when publishing, without approval, an item whose type needs approval in this loket."""

    slug = "approval-required"


class SelfApprovalError(ConflictError):
    """Raised when the person who submitted an item tries to approve or reject it."""


class SlugTakenError(ConflictError):
    """Raised when a slug is held by another item of the same type in the same loket."""
