"""The OpenAPI document, corrected to say what the server really answers, and the Coze plugin
description made from it.

FastAPI lists a 422 with its own validation-error body on every route that takes input; this
server answers request validation failures with a 400 and the common error body instead
(web/errors.py), which the routes declare. The 422 entries and their schemas are dropped.
A body that names a draft is marked required (see `_draft_bodies_required`), the 422 of
a reused Idempotency-Key is declared where the header is taken, and the ways to present an API
key where a route reads one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from draftsmith.api.coze_plugin import coze_plugin
from draftsmith.security.keys import KeyRing
from draftsmith.web.auth import KEY_SCHEMES, reads_a_key
from draftsmith.web.idempotency import IDEMPOTENCY_HEADER

COZE_PLUGIN_PATH = "/openapi/coze-plugin.yaml"

_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for path_item in document.get("paths", {}).values()
        for operation in path_item.values()
        if isinstance(operation, dict)
    ]


def _without_422(document: dict[str, Any]) -> dict[str, Any]:
    """Drop FastAPI's validation 422s (only those: a route may declare a 422 of its own)."""
    for operation in _operations(document):
        responses = operation.get("responses", {})
        if "HTTPValidationError" in str(responses.get("422", "")):
            del responses["422"]
    schemas = document.get("components", {}).get("schemas", {})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    return document


def _idempotency_conflicts(document: dict[str, Any]) -> dict[str, Any]:
    """An operation that takes an Idempotency-Key answers 422 when the key comes back with
    another request (web/idempotency.py)."""
    for operation in _operations(document):
        headers = {
            parameter.get("name", "").lower()
            for parameter in operation.get("parameters", [])
            if parameter.get("in") == "header"
        }
        if IDEMPOTENCY_HEADER.lower() in headers:
            operation.setdefault("responses", {}).setdefault(
                "422",
                {
                    "description": "The Idempotency-Key was first sent with another request.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
                    },
                },
            )
    return document


def _draft_bodies_required(document: dict[str, Any]) -> dict[str, Any]:
    """A body that must name a draft (draft_url) is required and cannot be null, though the
    route takes a missing one, to answer it with the save_draft table's draft_url_required."""
    schemas = document.get("components", {}).get("schemas", {})
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            content = body.get("content", {}).get("application/json") if body else None
            if body is None or content is None:
                continue
            branches = content["schema"].get("anyOf", [content["schema"]])
            refs = [b["$ref"] for b in branches if "$ref" in b]
            if len(refs) != 1:
                continue
            named = schemas.get(refs[0].rsplit("/", 1)[-1], {})
            if "draft_url" in named.get("required", []):
                content["schema"] = {"$ref": refs[0]}
                body["required"] = True
    return document


def _key_security(document: dict[str, Any], routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """Every operation whose route reads an API key takes it as a bearer token or in the
    X-API-Key header (web/auth.py reads the headers itself, see `KEY_SCHEMES`)."""
    keyed = [
        (context.path_format, method.lower())
        for context in iter_route_contexts(routes)
        if isinstance(route := context.original_route, APIRoute)
        and route.include_in_schema
        and reads_a_key(route.dependant)
        for method in context.methods or ()
    ]
    paths = document.get("paths", {})
    for path, method in keyed:
        operation = paths.get(path, {}).get(method)
        if operation is not None:
            operation["security"] = [{name: []} for name in KEY_SCHEMES]
    if keyed:
        document.setdefault("components", {})["securitySchemes"] = {
            name: scheme.model_dump(mode="json", by_alias=True, exclude_none=True)
            for name, scheme in KEY_SCHEMES.items()
        }
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve the corrected document at /openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            document = _idempotency_conflicts(_without_422(document))
            document = _key_security(document, app.routes)
            app.openapi_schema = _draft_bodies_required(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get(COZE_PLUGIN_PATH, include_in_schema=False)
    def coze_plugin_yaml(request: Request) -> Response:
        """capcut-mate's verbs as a Coze plugin (OpenAPI 3.0 YAML) for this server's public
        URL; with API keys on, its tools send the key in the X-API-Key header."""
        keys: KeyRing = request.app.state.keys
        plugin = coze_plugin(openapi(), request.app.state.base_url, api_key=keys.enabled())
        text = yaml.safe_dump(plugin, sort_keys=False, allow_unicode=True, width=100)
        return Response(
            text,
            media_type="application/yaml",
            headers={"Content-Disposition": 'inline; filename="coze-plugin.yaml"'},
        )
