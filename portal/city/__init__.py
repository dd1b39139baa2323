"""The city a portal serves: its name, region code, districts, departments, footer lines and colours,
from one TOML file.

Nothing city-specific is written elsewhere; code asks `current()` (inside an app context) or
`load(path)` (outside one). Templates see it as `city`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from portal.rules import uscc

DEFAULT_FILE = Path(__file__).with_name("ningbo.toml")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class CityFileError(ValueError):
    """The city file is missing a field or holds an invalid value."""


@dataclass(frozen=True)
class District:
    code: str
    name: str


@dataclass(frozen=True)
class Authority:
    """A city-level department (行政机关): created by `init-db`, the deciding authority of records."""

    code: str  # a short key of the department's field (sc, env...), shared with the demo data
    name: str
    short: str  # the abbreviation in its documents' numbers (市监, 环...)
    uscc: str


@dataclass(frozen=True)
class Footer:
    host: str  # 主办单位
    operator: str  # 承办单位
    address: str
    phone: str
    email: str
    site_code: str  # 网站标识码
    icp: str  # ICP备案号
    police: str  # 公安机关备案号


@dataclass(frozen=True)
class Colours:
    primary: str
    primary_dark: str
    accent: str


@dataclass(frozen=True)
class City:
    name: str
    platform: str
    province: str
    city: str
    region_code: str
    emblem: str
    districts: tuple[District, ...]
    departments: tuple[Authority, ...]
    footer: Footer
    colours: Colours

    @property
    def issuer(self) -> str:
        """The issuer printed on credit reports."""
        return f"{self.name}（{self.platform}）"

    def district_name(self, code: str | None) -> str | None:
        """The district's name for a known code; an unknown code is shown as it is."""
        return next((d.name for d in self.districts if d.code == code), code)

    def department(self, code: str) -> Authority | None:
        return next((d for d in self.departments if d.code == code), None)

    @property
    def region_names(self) -> tuple[str, ...]:
        """Province, city and districts: the region names a local company name may begin with."""
        return tuple(n for n in (self.province, self.city, *(d.name for d in self.districts)) if n)

    def district_code(self, name_or_code: str) -> str | None:
        value = (name_or_code or "").strip()
        return next((d.code for d in self.districts if value in (d.code, d.name)), None)


def load(path: str | Path) -> City:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    try:
        districts = tuple(District(str(d["code"]), str(d["name"])) for d in data["districts"])
        departments = tuple(
            Authority(str(d["code"]), str(d["name"]), str(d["short"]), str(d["uscc"]))
            for d in data.get("departments", ())
        )
        footer = Footer(**{k: str(data["footer"][k]) for k in Footer.__dataclass_fields__})
        colours = Colours(**{k: str(data["colours"][k]) for k in Colours.__dataclass_fields__})
        city = City(
            name=str(data["name"]),
            platform=str(data["platform"]),
            province=str(data["province"]),
            city=str(data["city"]),
            region_code=str(data["region_code"]),
            emblem=str(data["emblem"]),
            districts=districts,
            departments=departments,
            footer=footer,
            colours=colours,
        )
    except (KeyError, TypeError) as exc:
        raise CityFileError(f"{path}: missing or invalid field {exc}") from exc
    if not (len(city.region_code) == 6 and city.region_code.isdigit()):
        raise CityFileError(f"{path}: region_code must be six digits")
    if any(not (len(d.code) == 6 and d.code.isdigit()) for d in districts):
        raise CityFileError(f"{path}: every district code must be six digits")
    if any(not uscc.is_valid(d.uscc) for d in departments):
        raise CityFileError(f"{path}: every department needs a valid 统一社会信用代码")
    if len({d.code for d in departments}) != len(departments) or len({d.name for d in departments}) != len(departments):
        raise CityFileError(f"{path}: department codes and names must be unique")
    if not 1 <= len(city.emblem) <= 2:
        raise CityFileError(f"{path}: emblem must be one or two characters")
    # Colours are written into a <style> element: only plain hex values may pass.
    if any(not COLOUR.match(getattr(colours, k)) for k in Colours.__dataclass_fields__):
        raise CityFileError(f"{path}: colours must be #rrggbb")
    return city


def init_app(app: Flask) -> None:
    city = app.extensions["city"] = load(app.config["PORTAL_CITY_FILE"])
    # The self-signed certificate of reports names the portal unless another signer is configured.
    app.config.setdefault("PORTAL_REPORT_SIGNER_NAME", city.name)

    @app.context_processor
    def _city() -> dict:
        return {"city": current()}


def current() -> City:
    return current_app.extensions["city"]
