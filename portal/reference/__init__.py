"""Reference lists the portal counts by: industries (行业/专业), the eight data categories, the
grading model (A–E) of each industry, and the kinds of projects and facilities (项目/设施).

Both are data files (TOML) beside this module; a city points PORTAL_INDUSTRIES_FILE and
PORTAL_CATEGORIES_FILE at its own copies. Code asks `industries()` / `categories()`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, has_app_context

from portal.rules import grading

INDUSTRIES_FILE = Path(__file__).with_name("industries.toml")
CATEGORIES_FILE = Path(__file__).with_name("categories.toml")
GRADING_FILE = Path(__file__).with_name("grading.toml")
PROJECT_KINDS_FILE = Path(__file__).with_name("project_kinds.toml")


class ReferenceFileError(ValueError):
    """A reference file is missing a field or holds an invalid value."""


@dataclass(frozen=True)
class Industry:
    name: str
    authorities: tuple[str, ...]


@dataclass(frozen=True)
class Industries:
    items: tuple[Industry, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.items)

    def known(self, name: str | None) -> bool:
        return name in self.names

    def for_authority(self, authority: str | None) -> str | None:
        """The default industry of a deciding authority, from the parts of its name."""
        for industry in self.items:
            if any(part and part in (authority or "") for part in industry.authorities):
                return industry.name
        return None


@dataclass(frozen=True)
class Categories:
    names: tuple[str, ...]
    kinds: dict[str, str]
    license_categories: dict[str, str]
    list_types: dict[str, str]

    def of_record(self, kind: str, license_category: str | None = None) -> str:
        if kind == "license" and license_category in self.license_categories:
            return self.license_categories[license_category]
        return self.kinds[kind]

    def of_list_type(self, list_type: str) -> str:
        return self.list_types.get(list_type) or self.list_types["其他"]


@dataclass(frozen=True)
class ProjectKinds:
    kinds: tuple[tuple[str, str], ...]  # (name, group: 项目 or 设施)
    project_industries: tuple[str, ...]  # licensed enterprises there need an approved project

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.kinds)

    def known(self, name: str | None) -> bool:
        return name in self.names

    def group(self, name: str) -> str:
        return dict(self.kinds).get(name, "项目")


PROJECT_GROUPS = ("项目", "设施")


def load_project_kinds(path: str | Path, industries: Industries) -> ProjectKinds:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    try:
        kinds = tuple((str(k["name"]).strip(), str(k["group"]).strip()) for k in data["kinds"])
        needed = tuple(str(n) for n in data.get("project_industries", ()))
    except (KeyError, TypeError) as exc:
        raise ReferenceFileError(f"{path}: missing or invalid field {exc}") from exc
    names = [n for n, _ in kinds]
    if not names or any(not n for n in names) or len(set(names)) != len(names):
        raise ReferenceFileError(f"{path}: kind names must be present, non-empty and distinct")
    if any(g not in PROJECT_GROUPS for _, g in kinds):
        raise ReferenceFileError(f"{path}: a kind's group must be one of {PROJECT_GROUPS}")
    unknown = [n for n in needed if not industries.known(n)]
    if unknown:
        raise ReferenceFileError(f"{path}: project_industries not in the industry list: {unknown}")
    return ProjectKinds(kinds, needed)


def load_industries(path: str | Path) -> Industries:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    try:
        items = tuple(
            Industry(str(i["name"]).strip(), tuple(str(a) for a in i.get("authorities", ())))
            for i in data["industries"]
        )
    except (KeyError, TypeError) as exc:
        raise ReferenceFileError(f"{path}: missing or invalid field {exc}") from exc
    names = [i.name for i in items]
    if not names or any(not n for n in names) or len(set(names)) != len(names):
        raise ReferenceFileError(f"{path}: industry names must be present, non-empty and distinct")
    return Industries(items)


def load_categories(path: str | Path) -> Categories:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    try:
        categories = Categories(
            names=tuple(data["categories"]),
            kinds=dict(data["kinds"]),
            license_categories=dict(data.get("license_categories", {})),
            list_types=dict(data["list_types"]),
        )
    except (KeyError, TypeError) as exc:
        raise ReferenceFileError(f"{path}: missing or invalid field {exc}") from exc
    used = set(categories.kinds.values()) | set(categories.license_categories.values())
    used |= set(categories.list_types.values())
    if used - set(categories.names):
        raise ReferenceFileError(f"{path}: unknown categories {sorted(used - set(categories.names))}")
    if not {"license", "penalty", "commitment"} <= set(categories.kinds) or "其他" not in categories.list_types:
        raise ReferenceFileError(f"{path}: kinds need license, penalty and commitment; list_types needs 其他")
    return categories


def init_app(app: Flask) -> None:
    app.extensions["industries"] = load_industries(app.config.get("PORTAL_INDUSTRIES_FILE") or INDUSTRIES_FILE)
    app.extensions["categories"] = load_categories(app.config.get("PORTAL_CATEGORIES_FILE") or CATEGORIES_FILE)
    app.extensions["grading"] = grading.load(app.config.get("PORTAL_GRADING_FILE") or GRADING_FILE)
    app.extensions["project_kinds"] = load_project_kinds(
        app.config.get("PORTAL_PROJECT_KINDS_FILE") or PROJECT_KINDS_FILE, app.extensions["industries"]
    )


def industries() -> Industries:
    if has_app_context() and "industries" in current_app.extensions:
        return current_app.extensions["industries"]
    return load_industries(INDUSTRIES_FILE)


def categories() -> Categories:
    if has_app_context() and "categories" in current_app.extensions:
        return current_app.extensions["categories"]
    return load_categories(CATEGORIES_FILE)


def grading_model() -> grading.GradingModel:
    if has_app_context() and "grading" in current_app.extensions:
        return current_app.extensions["grading"]
    return grading.load(GRADING_FILE)


def project_kinds() -> ProjectKinds:
    if has_app_context() and "project_kinds" in current_app.extensions:
        return current_app.extensions["project_kinds"]
    return load_project_kinds(PROJECT_KINDS_FILE, industries())
