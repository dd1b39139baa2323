"""The city a portal serves: its name, region code and districts, from one TOML file.

Nothing city-specific is written elsewhere; code asks `current()` (inside an app context) or
`load(path)` (outside one).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

DEFAULT_FILE = Path(__file__).with_name("ningbo.toml")


class CityFileError(ValueError):
    """The city file is missing a field or holds an invalid value."""


@dataclass(frozen=True)
class District:
    code: str
    name: str


@dataclass(frozen=True)
class City:
    name: str
    platform: str
    province: str
    city: str
    region_code: str
    districts: tuple[District, ...]

    def district_name(self, code: str | None) -> str | None:
        """The district's name for a known code; an unknown code is shown as it is."""
        return next((d.name for d in self.districts if d.code == code), code)

    def district_code(self, name_or_code: str) -> str | None:
        value = (name_or_code or "").strip()
        return next((d.code for d in self.districts if value in (d.code, d.name)), None)


def load(path: str | Path) -> City:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    try:
        districts = tuple(District(str(d["code"]), str(d["name"])) for d in data["districts"])
        city = City(
            name=str(data["name"]),
            platform=str(data["platform"]),
            province=str(data["province"]),
            city=str(data["city"]),
            region_code=str(data["region_code"]),
            districts=districts,
        )
    except (KeyError, TypeError) as exc:
        raise CityFileError(f"{path}: missing or invalid field {exc}") from exc
    if not (len(city.region_code) == 6 and city.region_code.isdigit()):
        raise CityFileError(f"{path}: region_code must be six digits")
    if any(not (len(d.code) == 6 and d.code.isdigit()) for d in districts):
        raise CityFileError(f"{path}: every district code must be six digits")
    return city


def init_app(app: Flask) -> None:
    app.extensions["city"] = load(app.config["PORTAL_CITY_FILE"])


def current() -> City:
    return current_app.extensions["city"]
