"""Security headers on every response; values built with `secure` (maintained, framework-neutral).

- Content-Security-Policy: scripts, styles, images and form targets from this site only; no inline
  script or event handler (templates use static/portal.js), no framing by any site.
- nosniff, X-Frame-Options: DENY, Referrer-Policy: same-origin (a search for a company's name never
  reaches another site in a Referer), HSTS on https.
- Cache-Control: no-store on the back office and on every page that shows what an applicant filed
  (forms sent back with their values, receipts, /track), so neither a shared computer's cache nor a
  proxy keeps them.

A route that sets its own CSP (uploaded images: `sandbox`) keeps it.
"""

from __future__ import annotations

import secure
from flask import Flask, request
from werkzeug.wrappers import Response

CSP = (
    secure.ContentSecurityPolicy()
    .default_src("'self'")
    .script_src("'self'")
    .style_src("'self'")
    .img_src("'self'")
    .object_src("'none'")
    .base_uri("'none'")
    .form_action("'self'")
    .frame_ancestors("'none'")
)
HEADERS = secure.Secure(
    csp=CSP,
    xcto=secure.XContentTypeOptions(),
    xfo=secure.XFrameOptions().deny(),
    referrer=secure.ReferrerPolicy().same_origin(),
    coop=secure.CrossOriginOpenerPolicy().same_origin(),
).headers
HSTS = secure.StrictTransportSecurity().max_age(31_536_000).include_subdomains().header_value
NO_STORE = secure.CacheControl().no_store().header_value

# Public pages that show an applicant's own data.
APPLICANT_ENDPOINTS = {
    "public.commitment_new",
    "public.objection_new",
    "public.repair_apply",
    "public.receipt",
    "public.track",
    "public.track_supplement",
}


def private(endpoint: str | None, blueprint: str | None) -> bool:
    """Whether a response must never be stored by a browser or proxy."""
    return blueprint == "admin" or endpoint in APPLICANT_ENDPOINTS


def _apply(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if private(request.endpoint, request.blueprint):
        response.headers["Cache-Control"] = NO_STORE
        response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_apply)
