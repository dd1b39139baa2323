"""Every error answers in Chinese: the error page for pages, a JSON object for /api/...

While the database or Redis is away, requests that need them get a 503 with a Chinese page; the
portal reconnects by itself when they are back.

Bad input is stopped before any view runs (`check_input`): control characters other than tabs and
line breaks (a NUL byte breaks PostgreSQL text), over-long query values and ids beyond what the
database stores get a 400 or 404, never a 500. Integers in the URL are bounded by the `int` converter installed here.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from limits.errors import StorageError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError
from werkzeug.routing import IntegerConverter

from portal.extensions import db

log = logging.getLogger(__name__)

# A service the portal depends on is away: the database, or Redis (rate limits, job queue).
OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError, StorageError)
# Primary keys are 32-bit INTEGER columns on PostgreSQL.
MAX_ID = 2**31 - 1
MAX_QUERY_VALUE = 1000  # characters of one query-string value
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"} | {"\x7f"}

TITLES = {
    400: ("请求有误", "请求中含有无法处理的内容，请检查输入后重试。"),
    403: ("无权访问", "您没有访问此页面的权限。"),
    404: ("页面未找到", "您访问的页面或信息不存在，或已不在公示期内。"),
    405: ("请求方式不支持", "此页面不支持这种请求方式，请从页面上的链接或按钮进入。"),
    413: ("提交的内容过大", "提交的内容超过了大小限制，请压缩或拆分后重试。"),
    500: ("系统错误", "系统处理请求时出错，已记录在案，请稍后再试。"),
    503: ("服务暂时不可用", "系统暂时无法处理请求（正在维护或连接中断），请稍后再试，已提交的信息不会丢失。"),
}


class BoundedInt(IntegerConverter):
    """`<int:...>` that does not match numbers the database cannot hold (a 404, not a driver error)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def bounded_int(value: str) -> int:
    """`type=` for request.args.get: a non-negative integer the database can hold, else ValueError."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError("out of range")
    return number


def page_number(value: str) -> int:
    """`type=` for a page number: at least 1, at most MAX_ID (paging shows the last page past the end)."""
    return min(max(1, int(value)), MAX_ID)


def _has_control(text: str, allow_newlines: bool = False) -> bool:
    if allow_newlines:
        return any(c in _CONTROL for c in text)
    return any(ord(c) < 32 or c == "\x7f" for c in text)


def check_input() -> None:
    """Refuse control characters anywhere in the path, query or form, and over-long query values."""
    if _has_control(request.path):
        raise BadRequest("网址中含有无效字符")
    for key, value in request.args.items(multi=True):
        if _has_control(key) or _has_control(value, allow_newlines=True):
            raise BadRequest("查询参数中含有无效字符")
        if len(value) > MAX_QUERY_VALUE:
            raise BadRequest(f"查询参数过长（最多{MAX_QUERY_VALUE}个字符）")
    if request.method == "POST":
        for key, value in request.form.items(multi=True):
            if _has_control(key) or _has_control(value, allow_newlines=True):
                raise BadRequest("提交的内容中含有无效字符，请删除后重新提交")


# Machine-readable error codes of the JSON API, by status (ApiError names a more precise one).
API_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(HTTPException):
    """An API refusal with its own code and Chinese message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.code, self.api_code = status, code


def api_error(status: int, message: str, code: str | None = None):
    """The JSON body of an API error: {"error": {"code": ..., "message": <Chinese>}}."""
    return jsonify({"error": {"code": code or API_CODES.get(status, "error"), "message": message}}), status


def answer(status: int, message: str | None = None, code: str | None = None):
    """The Chinese answer for `status`: JSON under /api/, else the error page."""
    title, text = TITLES.get(status, TITLES[400] if status < 500 else TITLES[500])
    if request.path.startswith("/api/"):
        return api_error(status, message or text, code)
    return render_template("error.html", title=title, message=message or text, status=status), status


def _http_error(error: HTTPException):
    # Werkzeug's default descriptions are English; messages we raise ourselves are Chinese.
    own = error.description if error.description and error.description != type(error).description else None
    body, status = answer(error.code or 500, own, getattr(error, "api_code", None))
    response = make_response(body, status)
    allowed = dict(error.get_headers()).get("Allow")  # 405 names the methods that work
    if allowed:
        response.headers["Allow"] = allowed
    return response


def _unavailable(error: Exception):
    """The database or Redis is away (restarting, failing over): a Chinese 503, and the next request
    reconnects (pool_pre_ping for the database, redis-py by itself)."""
    log.warning("service unavailable on %s %s: %s", request.method, request.path, error)
    response = make_response(answer(503))
    response.headers["Retry-After"] = "5"
    return response


def _close_session(_error: BaseException | None) -> None:
    """End the request's database session; a connection that died meanwhile must not turn the
    answer already given into a 500 (the rollback on it fails, and the pool replaces it)."""
    try:
        db.session.remove()
    except DBAPIError as e:
        log.warning("database session closed on a dead connection: %s", e)
        db.session.registry.clear()


def _internal_error(error: InternalServerError):
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=error.original_exception)
    return answer(500)


def init_app(app: Flask) -> None:
    app.before_request(check_input)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _internal_error)
    for outage in OUTAGES:
        app.register_error_handler(outage, _unavailable)
    # Runs before Flask-SQLAlchemy's own teardown (teardowns run in reverse order of registration).
    app.teardown_appcontext(_close_session)
