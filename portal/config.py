"""Configuration from environment variables, with defaults that run on a fresh machine."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from portal.rules.time_limits import TimeLimits
from portal.rules.workdays import PUBLICATION_LIMIT_WORKDAYS

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
# An installed wheel carries templates/, static/ and migrations/ inside the package (setup.py); a
# source checkout keeps them at the repository root.
INSTALLED = (PACKAGE_DIR / "templates").is_dir()
RESOURCES = PACKAGE_DIR if INSTALLED else PROJECT_ROOT


def instance_path() -> str | None:
    """PORTAL_INSTANCE_PATH, else Flask's convention: instance/ in a checkout, <prefix>/var/portal-instance
    for an installed package."""
    return os.environ.get("PORTAL_INSTANCE_PATH") or None


def _search_index(instance: Path) -> str:
    default = instance / "search_index" if INSTALLED else PROJECT_ROOT / "search_index"
    return os.environ.get("PORTAL_SEARCH_INDEX", str(default))


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/ (never committed)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Operators write postgresql://...; SQLAlchemy needs the psycopg 3 driver named."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        instance.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance / 'portal.db'}"
    return normalise_database_url(url)


# The rules' figures are the defaults; an environment variable overrides one.
LIMITS = TimeLimits()


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def from_environment(instance_path: str) -> dict:
    instance = Path(instance_path)
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        # A connection that died with a database restart is noticed and replaced, not handed out.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PORTAL_SEARCH_INDEX": _search_index(instance),
        # SQLite's page cache per connection (MB); the OS caches the file as well. An import raises
        # it for its own connection (portal.db_events.bulk_cache).
        "PORTAL_SQLITE_CACHE_MB": _int("PORTAL_SQLITE_CACHE_MB", 16),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Separates the counters of several portals (or test runs) sharing one Redis.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "portal"),
        "PORTAL_SEARCH_RATE_LIMIT": os.environ.get("PORTAL_SEARCH_RATE_LIMIT", "30 per minute;500 per day"),
        "PORTAL_API_RATE_LIMIT": os.environ.get("PORTAL_API_RATE_LIMIT", "60 per minute;5000 per day"),
        # Per API key (header X-API-Key; keys are issued in the back office).
        "PORTAL_API_KEY_RATE_LIMIT": os.environ.get("PORTAL_API_KEY_RATE_LIMIT", "600 per minute;100000 per day"),
        # Reverse-proxy hops whose X-Forwarded-* headers are trusted (0: none, use the socket address).
        "PORTAL_TRUSTED_PROXIES": int(os.environ.get("PORTAL_TRUSTED_PROXIES", "0")),
        # Method for every stored secret's hash (portal.services.core.secret_hashes); unset in production.
        "PORTAL_SECRET_HASH": os.environ.get("PORTAL_SECRET_HASH") or None,
        "PORTAL_SEARCH_BACKEND": os.environ.get("PORTAL_SEARCH_BACKEND", "sqlite"),
        # Each web process applies the search outbox in a background thread every few seconds.
        "PORTAL_SEARCH_AUTOSYNC": os.environ.get("PORTAL_SEARCH_AUTOSYNC", "1") == "1",
        # Processes building the documents of a large outbox backlog in `portal index-worker` and
        # `portal sync-index` (portal.search.builders); 1 builds them in the indexer's own process.
        "PORTAL_INDEX_PROCESSES": _int("PORTAL_INDEX_PROCESSES", min(4, os.cpu_count() or 1)),
        "PORTAL_UPLOAD_DIR": os.environ.get("PORTAL_UPLOAD_DIR", str(instance / "uploads")),
        # Daily full extracts (`portal extract`), downloaded from /extracts/daily/.
        "PORTAL_EXTRACT_DIR": os.environ.get("PORTAL_EXTRACT_DIR", str(instance / "extracts")),
        # Largest accepted upload (article images, evidence), checked while the file is read.
        "PORTAL_MAX_UPLOAD_MB": int(os.environ.get("PORTAL_MAX_UPLOAD_MB", "10")),
        "PORTAL_PUBLICATION_LIMIT_WORKDAYS": _int("PORTAL_PUBLICATION_LIMIT_WORKDAYS", PUBLICATION_LIMIT_WORKDAYS),
        # Statistics aggregates: refreshed when a page finds them older than this (0: on every page),
        # and whole-database snapshots (重错码) recounted by a page when older than the second figure
        # (`stats-refresh` recounts them hourly).
        "PORTAL_STATS_REFRESH_SECONDS": _int("PORTAL_STATS_REFRESH_SECONDS", 60),
        "PORTAL_STATS_SNAPSHOT_SECONDS": _int("PORTAL_STATS_SNAPSHOT_SECONDS", 24 * 3600),
        # Handling time limits of online submissions, in working days (portal/rules/time_limits.py).
        "PORTAL_OBJECTION_ACCEPT_WORKDAYS": _int("PORTAL_OBJECTION_ACCEPT_WORKDAYS", LIMITS.objection_accept),
        "PORTAL_OBJECTION_VERIFY_WORKDAYS": _int("PORTAL_OBJECTION_VERIFY_WORKDAYS", LIMITS.objection_verify),
        "PORTAL_REPAIR_ACCEPT_WORKDAYS": _int("PORTAL_REPAIR_ACCEPT_WORKDAYS", LIMITS.repair_accept),
        "PORTAL_REPAIR_DECIDE_WORKDAYS": _int("PORTAL_REPAIR_DECIDE_WORKDAYS", LIMITS.repair_decide),
        "PORTAL_COMMITMENT_ACCEPT_WORKDAYS": _int("PORTAL_COMMITMENT_ACCEPT_WORKDAYS", LIMITS.commitment_accept),
        # Receipt lookups per client: numbers are sequential, so guessing must stay slow.
        "PORTAL_TRACK_RATE_LIMIT": os.environ.get("PORTAL_TRACK_RATE_LIMIT", "10 per minute;60 per day"),
        "PORTAL_FILING_RATE_LIMIT": os.environ.get("PORTAL_FILING_RATE_LIMIT", "20 per hour;100 per day"),
        # The city served: name, region code, districts (portal/city/).
        "PORTAL_CITY_FILE": os.environ.get("PORTAL_CITY_FILE", str(PROJECT_ROOT / "portal" / "city" / "ningbo.toml")),
        # Industries and data categories records are counted by (portal/reference/).
        "PORTAL_INDUSTRIES_FILE": os.environ.get(
            "PORTAL_INDUSTRIES_FILE", str(PROJECT_ROOT / "portal" / "reference" / "industries.toml")
        ),
        "PORTAL_GRADING_FILE": os.environ.get(
            "PORTAL_GRADING_FILE", str(PROJECT_ROOT / "portal" / "reference" / "grading.toml")
        ),
        "PORTAL_CATEGORIES_FILE": os.environ.get(
            "PORTAL_CATEGORIES_FILE", str(PROJECT_ROOT / "portal" / "reference" / "categories.toml")
        ),
        "PORTAL_PROJECT_KINDS_FILE": os.environ.get(
            "PORTAL_PROJECT_KINDS_FILE", str(PROJECT_ROOT / "portal" / "reference" / "project_kinds.toml")
        ),
        # Form messages come from WTForms' own Chinese catalogue (no Flask-Babel in this app).
        "WTF_I18N_ENABLED": False,
        # Staff sessions: secure cookies (disable only for plain-http local demos), 30 minutes idle.
        "SESSION_COOKIE_SECURE": os.environ.get("PORTAL_SECURE_COOKIES", "1") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("PORTAL_SECURE_COOKIES", "1") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(minutes=int(os.environ.get("PORTAL_ADMIN_IDLE_MINUTES", "30"))),
        "PORTAL_ADMIN_IDLE_MINUTES": int(os.environ.get("PORTAL_ADMIN_IDLE_MINUTES", "30")),
        "PORTAL_LOGIN_RATE_LIMIT": os.environ.get("PORTAL_LOGIN_RATE_LIMIT", "10 per minute;100 per day"),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # Rows per transaction: an import killed halfway keeps every finished batch.
        "PORTAL_IMPORT_BATCH_SIZE": int(os.environ.get("PORTAL_IMPORT_BATCH_SIZE", "10000")),
        # Credit reports: PDFs per client (each costs a render and a signature), verifications per client.
        "PORTAL_REPORT_RATE_LIMIT": os.environ.get("PORTAL_REPORT_RATE_LIMIT", "10 per minute;100 per day"),
        "PORTAL_VERIFY_RATE_LIMIT": os.environ.get("PORTAL_VERIFY_RATE_LIMIT", "20 per minute;200 per day"),
        # PEM key and certificate that sign every report; empty: a self-signed pair generated into instance/.
        "PORTAL_REPORT_SIGNING_KEY": os.environ.get("PORTAL_REPORT_SIGNING_KEY", ""),
        "PORTAL_REPORT_SIGNING_CERT": os.environ.get("PORTAL_REPORT_SIGNING_CERT", ""),
        "PORTAL_REPORT_SIGNING_KEY_PASSWORD": os.environ.get("PORTAL_REPORT_SIGNING_KEY_PASSWORD", ""),
        "PORTAL_REPORT_SIGNING_DIR": str(instance / "report_signing"),
        # Fields of the special-purpose report (deciding authorities per field); see portal/reports/fields.toml.
        "PORTAL_REPORT_FIELDS": os.environ.get(
            "PORTAL_REPORT_FIELDS", str(PROJECT_ROOT / "portal" / "reports" / "fields.toml")
        ),
        # What one web import may cost, checked before parsing (portal/importer/cost.py).
        "PORTAL_IMPORT_MAX_ROWS": int(os.environ.get("PORTAL_IMPORT_MAX_ROWS", "200000")),
        "PORTAL_IMPORT_MAX_UNPACKED_MB": int(os.environ.get("PORTAL_IMPORT_MAX_UNPACKED_MB", "256")),
        # Long jobs (portal/jobs.py): an RQ queue on Redis in production, else one process per job.
        "PORTAL_QUEUE_URL": os.environ.get("PORTAL_QUEUE_URL", ""),
        "PORTAL_QUEUE_NAME": os.environ.get("PORTAL_QUEUE_NAME", "portal"),
        "PORTAL_JOB_TIMEOUT": int(os.environ.get("PORTAL_JOB_TIMEOUT", "3600")),
        # A running job writes a heartbeat after every batch; silent this long, it is taken for dead.
        "PORTAL_JOB_STALE_SECONDS": int(os.environ.get("PORTAL_JOB_STALE_SECONDS", "300")),
    }
