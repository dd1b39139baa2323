"""The OpenAPI document as the sections of the Chinese reference page (/api/docs), rendered on the
server: the page needs no script and nothing from another site."""

from __future__ import annotations

STATUS_LABELS = {
    "200": "成功",
    "304": "未修改（客户端缓存仍有效）",
    "400": "参数有误",
    "404": "未找到或未公示",
    "429": "请求过于频繁",
    "503": "服务暂时不可用",
}
LOCATIONS = {"query": "查询参数", "path": "路径参数"}


def type_label(schema: dict) -> str:
    """A schema in a few words: 'string', 'array of Penalty', 'date | null'."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(type_label(s) for s in schema[key])
    if "enum" in schema:
        return " / ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    if schema.get("type") == "array":
        return f"array of {type_label(schema.get('items', {}))}"
    kind = schema.get("type", "any")
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def _schema_name(content: dict | None) -> str | None:
    if not content:
        return None
    schema = next(iter(content.values())).get("schema", {})
    return type_label(schema)


def operations(doc: dict) -> list[dict]:
    found = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            found.append(
                {
                    "anchor": op["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": op["summary"],
                    "description": op.get("description", ""),
                    "tags": op.get("tags", []),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": LOCATIONS.get(p["in"], p["in"]),
                            "required": p.get("required", False),
                            "type": type_label(p.get("schema", {})),
                            "description": p.get("description") or p.get("schema", {}).get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "responses": [
                        {
                            "status": status,
                            "label": STATUS_LABELS.get(status, ""),
                            "schema": _schema_name(answer.get("content")),
                        }
                        for status, answer in sorted(op.get("responses", {}).items())
                    ],
                }
            )
    return found


def schemas(doc: dict) -> list[dict]:
    found = []
    for name, schema in sorted(doc.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", ()))
        fields = [
            {
                "name": key,
                "type": type_label(prop),
                "required": key in required,
                "description": prop.get("description", ""),
            }
            for key, prop in schema.get("properties", {}).items()
        ]
        found.append({"name": name, "type": type_label(schema) if not fields else "object", "fields": fields})
    return found
