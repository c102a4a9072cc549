"""Referrals in and out: the loket's place between people, the Onderwijsloket and other lokets."""

from __future__ import annotations

from core.hooks import hookimpl


@hookimpl
def register_aggregates():
    from core.referrals.domain import Referral

    return [Referral]


@hookimpl
def register_projections():
    from core.referrals.projections import ReferralsProjection

    return [ReferralsProjection]


@hookimpl
def api_blueprint():
    from core.referrals.api import bp

    return bp


@hookimpl
def openapi_paths(spec):
    from core.referrals.api import ReferralInSchema

    spec.components.schema("ReferralInput", schema=ReferralInSchema)
    bearer = [{"bearer": []}]
    return {
        "/referrals": {
            "post": {
                "tags": ["referrals"],
                "summary": "Record referrals made outside the helpdesk (counts only)",
                "security": bearer,
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReferralInput"}}}},
                "responses": {"201": {"description": "Recorded"}, "422": {"description": "Not valid"}},
            }
        },
        "/referrals/report": {
            "get": {
                "tags": ["referrals"],
                "summary": "Referrals in and out per partner over a period",
                "security": bearer,
                "parameters": [{"name": n, "in": "query", "schema": {"type": "string", "format": "date-time"}} for n in ("from", "until")],
                "responses": {"200": {"description": "Counts: {in: {partner: n}, out: {partner: n}}"}},
            }
        },
    }
