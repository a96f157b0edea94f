"""The reporting API's OpenAPI schema, served by the site for tools to read."""

import json

import yaml
from django.test import Client
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from openapi_spec_validator import validate

SCHEMA = reverse("reporting_api:schema")


def test_the_schema_is_valid_openapi_and_describes_every_endpoint(db):
    response = Client().get(SCHEMA, {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    paths = set(schema["paths"])
    assert {
        "/api/v1/reports/learners/",
        "/api/v1/reports/learners/{learner_id}/",
        "/api/v1/reports/assignments/",
        "/api/v1/reports/statuses/",
    } <= paths
    # Only the reporting API: not the catalogue API beside it, not the schema itself.
    assert all(path.startswith("/api/v1/reports/") for path in paths)
    assert "/api/v1/reports/schema/" not in paths
    # Read-only.
    for operations in schema["paths"].values():
        assert set(operations) <= {"get", "parameters"}
    # Bearer tokens.
    schemes = schema["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())


def test_the_served_schema_passes_an_independent_openapi_validator(db):
    """drf-spectacular checks its own output against its own copy of the specification;
    a client's generator reads it with other tools, so the served document is checked
    by a validator that shares nothing with the code that wrote it."""
    response = Client().get(SCHEMA, {"format": "json"})
    schema = json.loads(response.content)
    # Raises OpenAPIValidationError, naming the offending part, when the document is invalid.
    validate(schema)
    served_as_yaml = yaml.safe_load(Client().get(SCHEMA).content)
    validate(served_as_yaml)


def test_the_schema_is_also_served_as_yaml(db):
    response = Client().get(SCHEMA)
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["openapi"].startswith("3.")
