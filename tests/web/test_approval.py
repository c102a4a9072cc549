"""Approval, per loket and content type: an editor submits, a second editor or admin approves or
rejects with a comment; all as events. Free, not a paid tier."""

import pytest

from core.site import Site
from tests.conftest import BASE_CONFIG, bearer
from web import create_app


@pytest.fixture
def approval_site(write_config, store_url):
    text = BASE_CONFIG.replace('plugins = ["voorbeeld"]', 'plugins = ["voorbeeld"]\napproval = ["page"]')
    site = Site.open(write_config(text, url=store_url))
    site.apply_config()
    yield site
    site.close()


@pytest.fixture
def client(approval_site):
    return create_app(approval_site).test_client()


def tokens(site):
    from core.envelope import acting

    with acting(actor="cli:test"):
        return [bearer(site.identity.create_token(f"redacteur {n}", "alpha", "editor")[1]) for n in (1, 2)]


def test_a_second_person_approves_before_publication(client, approval_site):
    first, second = tokens(approval_site)
    page = client.post("/api/v1/lokets/alpha/pages", json={"title": "Zij-instroom"}, headers=first).json
    url = f"/api/v1/lokets/alpha/pages/{page['id']}"

    # Without approval, publishing is refused.
    refused = client.post(f"{url}/publish", headers=first)
    assert refused.status_code == 409 and refused.json["type"] == "urn:loket:problem:approval-required"

    # The author submits; they cannot approve their own work; a second editor can.
    assert client.post(f"{url}/submit", json={"note": "graag vandaag"}, headers=first).json["approval"] == "pending"
    assert client.post(f"{url}/approve", json={}, headers=first).status_code == 409
    approved = client.post(f"{url}/approve", json={"comment": "prima"}, headers=second).json
    assert (approved["approval"], approved["approvalComment"]) == ("approved", "prima")

    # A change after approval asks for approval again.
    changed = client.patch(url, json={"title": "Zij-instroom in het po"}, headers={**first, "If-Match": f'"{approved["version"]}"'}).json
    assert changed["approval"] is None
    assert client.post(f"{url}/publish", headers=first).status_code == 409

    client.post(f"{url}/submit", json={}, headers=first)
    rejected = client.post(f"{url}/reject", json={"comment": "titel te lang"}, headers=second).json
    assert (rejected["approval"], rejected["approvalComment"]) == ("rejected", "titel te lang")
    assert client.post(f"{url}/reject", json={"comment": ""}, headers=second).status_code == 409
    client.post(f"{url}/submit", json={}, headers=first)
    client.post(f"{url}/approve", json={}, headers=second)
    assert client.post(f"{url}/publish", headers=first).json["status"] == "published"

    history = [h["event"] for h in client.get(f"{url}/history", headers=first).json["items"]]
    assert history == ["Drafted", "SubmittedForApproval", "Approved", "Revised", "SubmittedForApproval", "Rejected", "SubmittedForApproval", "Approved", "Published"]


def test_types_without_approval_publish_directly(client, approval_site):
    first, _ = tokens(approval_site)
    route = client.post("/api/v1/lokets/alpha/routes", json={"title": "Pabo", "kind": "pabo"}, headers=first).json
    assert client.post(f"/api/v1/lokets/alpha/routes/{route['id']}/publish", headers=first).json["status"] == "published"


def test_approval_rules_are_recorded_from_the_configuration(approval_site):
    events = [type(e).__name__ for e in approval_site.app.events.get(approval_site.lokets.get("alpha").id)]
    assert "ApprovalRulesChanged" in events
    assert approval_site.lokets.get("alpha").approval == ["page"]
    assert approval_site.lokets.get("beta").approval == []


def test_an_unknown_type_in_the_rules_is_a_config_error(write_config):
    from core.config import ConfigError

    with pytest.raises(ConfigError, match=r"lokets.alpha.approval\[0\]: unknown content type 'pagina'"):
        Site.open(write_config(BASE_CONFIG.replace('plugins = ["voorbeeld"]', 'plugins = ["voorbeeld"]\napproval = ["pagina"]')))
