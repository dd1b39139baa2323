"""The open-data JSON API (/api/v1): read endpoints of every public column, the removal feed, and
the OpenAPI 3.1 document generated from the pydantic models every answer is checked against."""

from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from spectree import Response, SpecTree

from portal.errors import ApiError
from portal.extensions import csrf
from portal.search.query import QueryError
from portal.services.articles import content
from portal.services.opendata import columns, cursor, matching, reference, removals
from portal.services.opendata import schemas as s
from portal.services.public_search.search import search as run_search
from portal.services.publication import records, subjects
from portal.services.statistics import summary
from portal.views.blueprint import bp

log = logging.getLogger(__name__)


def _refuse_invalid(_req, _resp, error, _instance, _adapter) -> None:
    """A parameter the document does not allow: a 400 naming it, in Chinese."""
    if error is None:
        return
    problems = error.errors() if hasattr(error, "errors") else []
    names = sorted({".".join(str(p) for p in e.get("loc", ())) for e in problems} - {""})
    raise ApiError(400, "invalid_parameter", f"参数无效：{'、'.join(names) or '请求'}，请对照接口文档检查取值")


def _check_answer(_req, _resp, error, _instance, _adapter) -> None:
    """An answer that breaks the document is a bug: logged, and the client gets a 500, not bad data."""
    if error is not None:
        log.error("API answer of %s breaks the OpenAPI document: %s", request.path, error)
        raise ApiError(500, "internal_error", "系统处理请求时出错，已记录在案，请稍后再试。")


spec = SpecTree(
    "flask",
    mode="strict",  # only the endpoints below, never the HTML pages
    title="信用门户开放数据接口",
    version="1.0.0",
    description="行政许可、行政处罚、信用名单、信用承诺、新闻资讯、信用主体及移出公示记录的只读接口。"
    "返回内容与网站页面一致（同一公示规则、同一脱敏处理）。",
    path="api/v1/spectree",  # spectree's own routes are not registered: /api/v1/openapi.json serves the document
    page_templates={},
    validation_error_status=400,
    before=_refuse_invalid,
    after=_check_answer,
)

ERRORS = {"HTTP_400": s.Error, "HTTP_429": s.Error, "HTTP_503": s.Error}


def _listing(name: str, query) -> Response:
    q = columns.Query(**{k: v for k, v in query.model_dump().items() if k not in ("cursor", "limit") and v})
    try:
        found = columns.page(name, q, query.cursor, query.limit)
    except cursor.BadCursor:
        raise ApiError(400, "invalid_cursor", "cursor 无效：请使用上一页返回的 next_cursor 原样传回") from None
    return _conditional({"items": found.items, "next_cursor": found.next_cursor}, found.last_modified)


def _conditional(body: dict, last_modified=None):
    """The answer with its ETag and Last-Modified; 304 when the client's copy is current."""
    response = jsonify(body)
    response.add_etag()
    if last_modified is not None:
        response.last_modified = last_modified
    response.cache_control.no_cache = True  # clients may keep it, but revalidate
    return response.make_conditional(request)


def _found(body: dict | None, message: str):
    if body is None:
        raise ApiError(404, "not_found", message)
    return _conditional(body)


@bp.get("/api/v1/licenses")
@spec.validate(query=s.DecisionQuery, resp=Response(HTTP_200=s.LicensePage, HTTP_304=None, **ERRORS), tags=["行政许可"])
def api_licenses():
    """行政许可列表

    今日公示中的行政许可，按决定日期从新到旧；筛选条件与网站列表页相同。用 next_cursor 翻页。
    """
    return _listing("licenses", request.context.query)


@bp.get("/api/v1/licenses/<int:record_id>")
@spec.validate(resp=Response(HTTP_200=s.License, HTTP_304=None, HTTP_404=s.Error, **ERRORS), tags=["行政许可"])
def api_license(record_id: int):
    """行政许可详情"""
    return _found(records.public_record("license", record_id), "未找到该行政许可信息或其未公示")


@bp.get("/api/v1/penalties")
@spec.validate(query=s.DecisionQuery, resp=Response(HTTP_200=s.PenaltyPage, HTTP_304=None, **ERRORS), tags=["行政处罚"])
def api_penalties():
    """行政处罚列表

    今日在公示期内的行政处罚，按决定日期从新到旧；筛选条件与网站列表页相同。用 next_cursor 翻页。
    """
    return _listing("penalties", request.context.query)


@bp.get("/api/v1/penalties/<int:record_id>")
@spec.validate(resp=Response(HTTP_200=s.Penalty, HTTP_304=None, HTTP_404=s.Error, **ERRORS), tags=["行政处罚"])
def api_penalty(record_id: int):
    """行政处罚详情"""
    return _found(records.public_record("penalty", record_id), "未找到该行政处罚信息或其不在公示期内")


@bp.get("/api/v1/list-entries")
@spec.validate(query=s.ListQuery, resp=Response(HTTP_200=s.ListEntryPage, HTTP_304=None, **ERRORS), tags=["信用名单"])
def api_list_entries():
    """信用名单条目

    红名单、严重失信主体名单、经营异常名录中今日公示的条目，按列入日期从新到旧。
    """
    return _listing("list_entries", request.context.query)


@bp.get("/api/v1/commitments")
@spec.validate(
    query=s.CommitmentQuery, resp=Response(HTTP_200=s.CommitmentPage, HTTP_304=None, **ERRORS), tags=["信用承诺"]
)
def api_commitments():
    """信用承诺

    已受理且可向社会公开的信用承诺，按作出日期从新到旧。
    """
    return _listing("commitments", request.context.query)


@bp.get("/api/v1/articles")
@spec.validate(query=s.ArticleQuery, resp=Response(HTTP_200=s.ArticlePage, HTTP_304=None, **ERRORS), tags=["新闻资讯"])
def api_articles():
    """新闻资讯列表

    已发布的文章，按发布时间从新到旧。
    """
    return _listing("articles", request.context.query)


@bp.get("/api/v1/articles/<int:article_id>")
@spec.validate(resp=Response(HTTP_200=s.ArticleDetail, HTTP_304=None, HTTP_404=s.Error, **ERRORS), tags=["新闻资讯"])
def api_article(article_id: int):
    """新闻资讯详情"""
    return _found(content.article(article_id), "未找到该文章或其未发布")


@bp.get("/api/v1/subjects/<ref>")
@spec.validate(resp=Response(HTTP_200=s.CreditFile, HTTP_304=None, HTTP_404=s.Error, **ERRORS), tags=["信用主体"])
def api_subject(ref: str):
    """信用主体档案

    按统一社会信用代码（或主体编号）查询主体基本信息及其今日公示的全部信息。
    """
    return _found(subjects.credit_file(ref), "未找到该信用主体的公开信息")


@bp.get("/api/v1/removals")
@spec.validate(query=s.RemovalQuery, resp=Response(HTTP_200=s.RemovalPage, **ERRORS), tags=["移出公示"])
def api_removals():
    """移出公示记录

    离开公示的每一条记录或名单条目：时刻、原因类别及公开标识（文书号 + 决定机关统一社会信用代码，
    或名单条目编号、承诺编码），不含被移出的内容。按时间从旧到新；把返回的 cursor 作为 since 传回即可续取。
    因公示期满而移出的记录在届满当日自动出现。
    """
    query = request.context.query
    try:
        feed = removals.removals(query.since, query.limit)
    except cursor.BadCursor:
        raise ApiError(400, "invalid_cursor", "since 无效：请使用上次返回的 cursor 原样传回") from None
    return jsonify({"items": [r.as_json() for r in feed.items], "cursor": feed.cursor})


@bp.get("/api/v1/search")
@spec.validate(query=s.SearchQuery, resp=Response(HTTP_200=s.SearchAnswer, **ERRORS), tags=["查询"])
def api_search():
    """全文查询

    按企业名称、统一社会信用代码、文书号或内容查询信用主体和双公示记录（与网站查询相同）。
    """
    query = request.context.query
    try:
        return jsonify(run_search(query.q, query.type, query.page).as_json())
    except QueryError as e:
        raise ApiError(400, "invalid_query", str(e)) from None


@bp.get("/api/v1/statistics")
@spec.validate(query=s.StatisticsQuery, resp=Response(HTTP_200=s.Statistics, **ERRORS), tags=["信用统计"])
def api_statistics():
    """信用统计

    公开的信用统计指标（与 /statistics 页面相同的数值、公式和统计时间）：双公示数量、及时率、名单列入与移出、
    异议和信用修复办理情况、信用承诺等，统计范围为全市。
    """
    try:
        selected = summary.filters(request.args, public=True)
    except summary.FilterError as exc:
        raise ApiError(400, "invalid_period", str(exc)) from None
    return jsonify(summary.public_json(selected))


@bp.post("/api/v1/match")
@spec.validate(json=s.MatchRequest, resp=Response(HTTP_200=s.MatchAnswer, **ERRORS), tags=["匹配"])
def api_match():
    """名称匹配

    按名称（可附统一社会信用代码、区县、法定代表人）找出所指的信用主体，每条查询返回得分最高的候选及其依据，
    一次至多 100 条。
    """
    body = request.context.json
    if body is None:
        raise ApiError(400, "invalid_body", "请以 JSON（Content-Type: application/json）提交查询")
    found = matching.match([matching.Query(**q.model_dump()) for q in body.queries])
    return jsonify({"results": [{"candidates": candidates} for candidates in found]})


csrf.exempt(api_match)  # no cookies, no session: nothing for a forged request to use


@bp.get("/api/v1/openapi.json")
def api_document():
    return jsonify(spec.spec)


@bp.get("/api/docs")
def api_docs():
    doc = spec.spec
    return render_template(
        "api_docs.html", doc=doc, operations=reference.operations(doc), schemas=reference.schemas(doc)
    )
