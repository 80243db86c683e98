"""How the API description (OpenAPI, drf-spectacular) states the version check (issue 17,
decision 0174): every operation that changes a record takes the `version` the caller read,
and answers 409 if the record has moved on since. Stated here once, for every such operation,
so a new one cannot be described without it."""

VERSION_HELP = (
    "The record's `version` as you read it (the case's, for a case's steps and its advice "
    "requests). If someone changed the record since, the call is refused with 409 "
    "(code `case_changed`) and nothing is changed: read it again, then retry."
)

ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        }
    },
}

CONFLICT = {
    "description": "The record changed since the `version` you sent: nothing was changed.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}


def _body_schema(operation: dict, components: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    shape = content.get("application/json", {}).get("schema", {})
    ref = shape.get("$ref", "")
    return components.get(ref.rsplit("/", 1)[-1]) if ref else shape or None


def updating_operations(schema: dict):
    """(path, method, operation, body schema) of every operation that may change something
    (POST, PUT, PATCH); the body schema is None if it takes none."""
    components = schema.get("components", {}).get("schemas", {})
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"post", "put", "patch"}:
                continue
            body = _body_schema(operation, components)
            yield path, method, operation, body


def describe_version_checks(result, generator, request, public):
    """drf-spectacular post-processing hook: the version's meaning and the 409 answer on every
    operation that takes one."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Errors", ERRORS_SCHEMA)
    for _path, _method, operation, body in updating_operations(result):
        if not body or "version" not in body.get("properties", {}):
            continue
        body["properties"]["version"]["description"] = VERSION_HELP
        operation.setdefault("responses", {})["409"] = CONFLICT
    return result
