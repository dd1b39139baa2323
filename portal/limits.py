"""Rate limits (Flask-Limiter). Storage from RATELIMIT_STORAGE_URI: memory:// counts per process,
so production uses Redis, where every gunicorn worker on every machine shares one count.

When Redis is away the limits fail closed where abuse costs something (filings, sign-in, receipt
lookups: a Chinese 503 until it is back) and open for reading (search keeps answering, uncounted).

The client address is request.remote_addr, which ProxyFix (PORTAL_TRUSTED_PROXIES hops) sets
from X-Forwarded-For only as far as the configured proxies vouch for it.
"""

import logging
from functools import wraps

from flask import Flask, current_app, g, render_template, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from portal.errors import OUTAGES, api_error
from portal.rules import limit_text

log = logging.getLogger(__name__)

# Endpoints that share the per-client search budget (pages and JSON alike).
SEARCH_ENDPOINTS = ("public.search", "public.api_search")
# Receipt lookups share one budget, so that sequential numbers cannot be walked with guessed codes.
TRACK_ENDPOINTS = ("public.track", "public.track_supplement")
FILING_ENDPOINTS = ("public.commitment_new", "public.objection_new", "public.repair_apply")
REPORT_ENDPOINTS = ("public.subject_report",)
VERIFY_ENDPOINTS = ("public.report_verify",)
# The open-data API (portal.views.api): one budget per client for every read endpoint.
API_ENDPOINTS = (
    "public.api_licenses",
    "public.api_license",
    "public.api_penalties",
    "public.api_penalty",
    "public.api_list_entries",
    "public.api_commitments",
    "public.api_articles",
    "public.api_article",
    "public.api_subject",
    "public.api_removals",
    "public.extract",
    "public.api_match",
)


def _too_many(error: RateLimitExceeded):
    message = "查询过于频繁，请稍后再试。为防止批量抓取，每个访问者的查询次数有限制。"
    if request.endpoint in FILING_ENDPOINTS:
        message = "提交过于频繁，请稍后再试。"
    elif request.endpoint in REPORT_ENDPOINTS:
        message = "出具信用报告过于频繁，请稍后再试。每个访问者每分钟、每天可出具的报告份数有限制。"
    item = error.limit.limit
    limit = limit_text.describe(item.amount, item.multiples, item.GRANULARITY.name)
    if request.path.startswith("/api/"):
        response, status = api_error(429, f"{message}（限额：{limit}）")
        response.headers["Retry-After"] = "60"
        return response, status
    return render_template("429.html", message=message, limit=limit), 429


def _api_key():
    from portal.services.opendata import api_keys

    if "api_key" not in g:
        g.api_key = api_keys.active(request.headers.get(api_keys.HEADER))
    return g.api_key


def _api_client() -> str:
    """A registered user's key counts for itself; anyone else by address."""
    key = _api_key()
    return f"key:{key.id}" if key is not None else get_remote_address()


def _api_limit() -> str:
    key = "PORTAL_API_KEY_RATE_LIMIT" if _api_key() is not None else "PORTAL_API_RATE_LIMIT"
    return current_app.config[key]


def _fail_open(limited, unlimited):
    """`limited` (the view behind its limit check), or the bare view while the storage is away."""

    @wraps(unlimited)
    def view(*args, **kwargs):
        try:
            return limited(*args, **kwargs)
        except OUTAGES as e:
            log.warning("rate limit storage away, %s served unlimited: %s", request.endpoint, e)
            return unlimited(*args, **kwargs)

    return view


def _headers_best_effort(inject):
    """The limiter's X-RateLimit headers read the storage after the view has answered: when Redis
    goes away just then, the answer goes out without them instead of turning into a 500."""

    @wraps(inject)
    def after(response):
        try:
            return inject(response)
        except OUTAGES as e:
            log.warning("rate limit headers left out, storage away: %s", e)
            return response

    return after


def init_app(app: Flask) -> None:
    """One Limiter per app (its settings live on the instance); call after the blueprints."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # Storage errors reach the portal (which decides per endpoint) instead of letting everything through.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", False)
    # A Redis that does not answer must not hold a web worker: one second, then the outage rules apply.
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter = Limiter(key_func=get_remote_address, app=app)
    after = app.after_request_funcs.setdefault(None, [])
    after[:] = [_headers_best_effort(f) if limiter in getattr(f, "args", ()) else f for f in after]
    app.extensions["portal_limiter"] = limiter  # Flask-Limiter itself keeps only a weak reference
    search_limit = limiter.shared_limit(lambda: current_app.config["PORTAL_SEARCH_RATE_LIMIT"], scope="search")
    for endpoint in SEARCH_ENDPOINTS:
        bare = app.view_functions[endpoint]
        app.view_functions[endpoint] = _fail_open(search_limit(bare), bare)
    # Sign-in attempts per client address, on top of the per-account lockout.
    login_limit = limiter.limit(lambda: current_app.config["PORTAL_LOGIN_RATE_LIMIT"], methods=["POST"])
    app.view_functions["admin.login"] = login_limit(app.view_functions["admin.login"])
    track_limit = limiter.shared_limit(
        lambda: current_app.config["PORTAL_TRACK_RATE_LIMIT"], scope="track", methods=["POST"]
    )
    for endpoint in TRACK_ENDPOINTS:
        app.view_functions[endpoint] = track_limit(app.view_functions[endpoint])
    filing_limit = limiter.shared_limit(
        lambda: current_app.config["PORTAL_FILING_RATE_LIMIT"], scope="filing", methods=["POST"]
    )
    for endpoint in FILING_ENDPOINTS:
        app.view_functions[endpoint] = filing_limit(app.view_functions[endpoint])
    for endpoints, setting, scope in (
        (REPORT_ENDPOINTS, "PORTAL_REPORT_RATE_LIMIT", "report"),
        (VERIFY_ENDPOINTS, "PORTAL_VERIFY_RATE_LIMIT", "verify"),
    ):
        shared = limiter.shared_limit(lambda setting=setting: current_app.config[setting], scope=scope)
        for endpoint in endpoints:
            app.view_functions[endpoint] = shared(app.view_functions[endpoint])
    api_limit = limiter.shared_limit(_api_limit, scope="api", key_func=_api_client)
    for endpoint in API_ENDPOINTS:
        bare = app.view_functions[endpoint]
        app.view_functions[endpoint] = _fail_open(api_limit(bare), bare)
    app.register_error_handler(429, _too_many)
