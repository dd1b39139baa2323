"""Packaging (the rest is in pyproject.toml).

Packages are found automatically, so a new subpackage of portal/ or admin/ is never left out of the
wheel. The page templates, static files and migrations stay at the repository's root, where the
project keeps them; the wheel carries them inside the portal package (portal/templates, ...), which
is where an installed portal looks for them (portal/config.py).
"""

from pathlib import Path

from setuptools import find_packages, setup

ASSETS = {"portal.templates": "templates", "portal.static": "static", "portal.migrations": "migrations"}


def asset_packages() -> dict[str, str]:
    """Each asset folder and its subfolders as data-only packages mapped from the repository root."""
    found = {}
    for package, folder in ASSETS.items():
        root = Path(folder)
        for path in [root, *sorted(p for p in root.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
            found[".".join([package, *path.relative_to(root).parts])] = path.as_posix()
    return found


ASSET_PACKAGES = asset_packages()

setup(
    packages=find_packages(include=["portal", "portal.*", "admin", "admin.*"]) + list(ASSET_PACKAGES),
    package_dir=ASSET_PACKAGES,
    package_data={
        "portal.city": ["*.toml"],
        "portal.reference": ["*.toml"],
        "portal.rules": ["*.toml"],
        # The report font (SIL OFL) and the fields of special-purpose reports.
        "portal.reports": ["fonts/*", "*.toml"],
        **{name: ["*"] for name in ASSET_PACKAGES},
    },
    exclude_package_data={name: ["*.pyc"] for name in ASSET_PACKAGES},
)
