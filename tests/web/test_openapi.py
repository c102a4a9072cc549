"""The OpenAPI document covers every API route and method, with schemas from marshmallow."""

import re


def test_every_api_route_is_described(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    missing = []
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith("/api/v1") or rule.rule == "/healthz"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: "{" + _camel(m.group(1)) + "}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in spec["paths"].get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == []


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def test_content_schemas_come_from_marshmallow(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    route = schemas["RouteInput"]
    assert "durationMonths" in route["properties"] and "onderwijsloketUrl" in route["properties"]
    assert set(route["required"]) == {"title", "kind"}
    assert route["properties"]["kind"]["enum"][:2] == ["lateral_entry", "re_entry"]
    assert {"Page", "PageWorkingCopy", "Faq", "Problem"} <= set(schemas)


def test_every_write_documents_its_errors(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    change = paths["/api/v1/lokets/{loket}/pages/{itemId}"]["patch"]
    assert {"401", "403", "404", "412", "422", "428"} <= set(change["responses"])
    assert change["responses"]["412"]["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert any(p["name"] == "If-Match" and p["required"] for p in change["parameters"])
