"""The OpenAPI document and the readable docs are public: a system's developer reads them
before they have a key."""

import json

import pytest

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/members",
    "/api/v1/members/{member_id}",
    "/api/v1/members/{member_id}/ledger",
    "/api/v1/departures",
    "/api/v1/ledger",
    "/api/v1/assignments",
    "/api/v1/assignments/{assignment_id}",
    "/api/v1/certificates",
    "/api/v1/catalog",
}


def test_the_openapi_document_lists_every_path_with_its_auth(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == PATHS
    ledger = document["paths"]["/api/v1/ledger"]["get"]
    assert {p["name"] for p in ledger["parameters"]} == {"year", "cursor", "updated_since", "limit"}
    assert set(ledger["responses"]) >= {"200", "401", "422", "429"}
    assert document["components"]["securitySchemes"]["KeyAuth"]["scheme"] == "bearer"
    assert "hours_year" in document["components"]["schemas"]["LedgerRow"]["properties"]


def test_the_docs_page_is_served_from_the_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
