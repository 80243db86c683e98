"""The API's documentation as a page of the service (docs/decisions/0203): the OpenAPI schema
drf-spectacular builds, written out server-side in GOV.UK markup. It replaces Swagger UI,
which sets inline styles (refused by the service's CSP, settings.CONTENT_SECURITY_POLICY) and
failed axe. The schema itself stays at /api/schema/ for tools."""

from __future__ import annotations

from functools import lru_cache

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

from everychild.access.policy import public

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def _schema() -> dict:
    # The schema depends only on the code, so it is built once per process.
    return SchemaGenerator().get_schema(request=None, public=True)


def _type_of(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "allOf" in schema:
        return " and ".join(_type_of(part) for part in schema["allOf"])
    if "oneOf" in schema:
        return " or ".join(_type_of(part) for part in schema["oneOf"])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    kind = schema.get("type", "object")
    if schema.get("format"):
        kind += f" ({schema['format']})"
    if schema.get("enum"):
        kind += ": one of " + ", ".join(str(v) for v in schema["enum"] if v not in ("", None))
    return kind


def _fields(components: dict, ref: str | None) -> list[dict]:
    if not ref:
        return []
    schema = components.get(ref.rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": _type_of(prop),
            "required": name in required,
            "read_only": prop.get("readOnly", False),
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _operations(schema: dict) -> list[dict]:
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            body_ref = (body or {}).get("schema", {}).get("$ref")
            responses = []
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {})
                responses.append(
                    {
                        "code": code,
                        "type": _type_of(content["schema"]) if content.get("schema") else "",
                        "description": response.get("description", ""),
                    }
                )
            operations.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "type": _type_of(p.get("schema", {})),
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _type_of(body["schema"]) if body else "",
                    "body_fields": [f for f in _fields(components, body_ref) if not f["read_only"]],
                    "responses": responses,
                }
            )
    return operations


@public
def api_docs(request):
    """Public, like the schema: it describes the endpoints, no one's records."""
    schema = _schema()
    return render(
        request,
        "api/docs.html",
        {"info": schema.get("info", {}), "operations": _operations(schema)},
    )
