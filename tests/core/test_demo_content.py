"""The demo content is valid input for the content schemas, with unique slugs and a few drafts."""

from collections import Counter

import pytest
from marshmallow import ValidationError

from core.content.schemas import FaqEntrySchema, PageSchema, RouteSchema
from core.demo.content import DEMO_CONTENT

SCHEMAS = {"page": PageSchema, "route": RouteSchema, "faq": FaqEntrySchema}
STATUSES = ("published", "draft")

ITEMS = [
    pytest.param(loket, kind, item, id=f"{loket}-{kind}-{item.get('slug', index)}")
    for loket, kinds in DEMO_CONTENT.items()
    for kind, items in kinds.items()
    for index, item in enumerate(items)
]


def status_of(item: dict) -> str:
    return item.get("_status", "published")


def test_both_demo_lokets_have_every_type():
    assert set(DEMO_CONTENT) == {"voordeklas", "vota"}
    for kinds in DEMO_CONTENT.values():
        assert set(kinds) == set(SCHEMAS)


@pytest.mark.parametrize(("loket", "kind", "item"), ITEMS)
def test_each_item_loads_through_its_schema(loket, kind, item):
    data = {key: value for key, value in item.items() if key != "_status"}
    try:
        loaded = SCHEMAS[kind]().load(data)
    except ValidationError as error:  # pragma: no cover - the message is the point
        pytest.fail(f"{loket}/{kind}/{item.get('slug')}: {error.messages}")
    assert loaded["slug"] == item["slug"], "every item needs an explicit slug"


@pytest.mark.parametrize(("loket", "kind", "item"), ITEMS)
def test_each_status_is_absent_published_or_draft(loket, kind, item):
    assert "_status" not in item or item["_status"] in STATUSES


@pytest.mark.parametrize("loket", list(DEMO_CONTENT))
@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_slugs_are_unique_per_loket_and_type(loket, kind):
    counts = Counter(item.get("slug") for item in DEMO_CONTENT[loket][kind])
    assert None not in counts
    assert [slug for slug, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("loket", list(DEMO_CONTENT))
@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_each_type_has_a_draft_and_enough_published_items(loket, kind):
    statuses = Counter(status_of(item) for item in DEMO_CONTENT[loket][kind])
    assert statuses["draft"] >= 1
    assert statuses["published"] >= 3
