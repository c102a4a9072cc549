"""The public list's full-text search (``?q=``, through ``site.search.ranked_ids``) with the
PostgreSQL search engine: the very tests of test_listing.py, imported, on a site whose store and
search are in PostgreSQL."""

from __future__ import annotations

import pytest

from core.search_postgres import PostgresSearchIndex
from tests.plugins.vacatures.conftest import CONFIG
from tests.plugins.vacatures.test_listing import (  # noqa: F401 - collected here again, with this module's site
    board,
    test_full_text_search_stems_dutch,
    test_lokets_do_not_see_each_other,
    test_paging,
    test_relevance_orders_by_score,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def site(write_config, pg_url):
    """The vacancy bank's site on PostgreSQL, searching in PostgreSQL."""
    from core.site import Site

    site = Site.open(write_config('[search]\nengine = "postgres"\n\n' + CONFIG, url=pg_url))
    site.apply_config()
    assert isinstance(site.search, PostgresSearchIndex)
    yield site
    site.close()
