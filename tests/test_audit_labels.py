"""Every action the code writes to the audit log, and every object type, has a Chinese label:
staff never read a raw code such as `import_start` in the log or its filter."""

from __future__ import annotations

import ast
from pathlib import Path

from portal.services.staff.audit_query import _KIND_LABELS, ACTION_LABELS, ENTITY_LABELS

ROOT = Path(__file__).resolve().parents[1]


def _calls():
    for path in [*ROOT.joinpath("portal").rglob("*.py"), *ROOT.joinpath("admin").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                yield path, node


def _strings(node) -> list[str]:
    """The action codes an argument can hold: literals, both arms of a conditional, '{kind}_step' f-strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[-1], ast.Constant):
        return [f"{kind}{node.values[-1].value}" for kind in _KIND_LABELS]
    return []


def test_every_recorded_action_and_entity_type_has_a_chinese_label():
    actions, entities = set(), set()
    for _path, call in _calls():
        func = call.func
        is_record = (
            isinstance(func, ast.Attribute) and func.attr == "record" and getattr(func.value, "id", "") == "audit"
        )
        if is_record and call.args:
            actions.update(_strings(call.args[0]))
        for keyword in call.keywords:
            if keyword.arg == "action":
                actions.update(_strings(keyword.value))
            if keyword.arg == "entity_type":
                entities.update(_strings(keyword.value))
    assert {"import_start", "login", "objection_route", "removal_request"} <= actions  # the scan sees them
    assert sorted(actions - set(ACTION_LABELS)) == []
    assert sorted(entities - set(ENTITY_LABELS)) == []
