"""The API's parameters and answers as pydantic models: the one source of the OpenAPI document
(spectree builds it from these) and of the check every answer passes before it leaves."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from portal.models import CommitmentType, ListKind
from portal.services.opendata.columns import MAX_LIMIT


def _iso_date(value):
    """Only YYYY-MM-DD: pydantic would otherwise read a number as a Unix time."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("日期须为 YYYY-MM-DD")
    if not isinstance(value, str | dt.date):
        raise ValueError("日期须为 YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Parameters ---------------------------------------------------------------------------------------


class Paging(Strict):
    cursor: str | None = Field(None, max_length=200, description="上一页返回的 next_cursor；不填则从最新一条开始")
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"每页条数，1 至 {MAX_LIMIT}")


class Dates(Paging):
    date_from: IsoDate | None = Field(None, description="起始日期（含），YYYY-MM-DD")
    date_to: IsoDate | None = Field(None, description="截止日期（含），YYYY-MM-DD")


class DecisionQuery(Dates):
    authority: str | None = Field(None, max_length=100, description="决定机关名称（包含匹配）")
    category: str | None = Field(None, max_length=32, description="许可类别或处罚类别")
    region: str | None = Field(None, max_length=12, description="所属区县行政区划代码")


class ListQuery(Dates):
    kind: ListKind | None = Field(
        None, description="名单种类：red 红名单，black 严重失信主体名单，abnormal 经营异常名录"
    )
    list_type: str | None = Field(None, max_length=64, description="名单类型，如“失信被执行人”")
    authority: str | None = Field(None, max_length=100, description="认定部门名称（包含匹配）")
    region: str | None = Field(None, max_length=12, description="所属区县行政区划代码")


class CommitmentQuery(Dates):
    type: CommitmentType | None = Field(None, description="承诺类型")
    authority: str | None = Field(None, max_length=100, description="承诺受理单位名称（包含匹配）")


class ArticleQuery(Dates):
    column: str | None = Field(None, max_length=32, description="栏目代码")


class RemovalQuery(Strict):
    since: str | None = Field(None, max_length=200, description="上次返回的 cursor；不填则从头开始")
    limit: int = Field(100, ge=1, le=1000, description="每次最多条数，1 至 1000")


class SearchQuery(BaseModel):
    q: str = Field("", max_length=100, description="查询词：企业名称、统一社会信用代码、文书号或内容")
    type: Literal["all", "subject", "license", "penalty"] = Field("all", description="查询范围")
    page: int = Field(1, ge=1, le=100, description="页码")


# Answers ------------------------------------------------------------------------------------------


class ErrorBody(Strict):
    code: str = Field(description="错误代码，如 invalid_parameter、not_found")
    message: str = Field(description="中文错误说明")


class Error(Strict):
    error: ErrorBody


class SubjectRef(Strict):
    ref: str = Field(description="主体标识：统一社会信用代码，或（自然人等无代码主体）不透明编号")
    name: str = Field(description="主体名称（自然人姓名已遮蔽）")
    kind: str
    uscc: str | None


class ProjectRef(Strict):
    code: str = Field(description="项目编号")
    name: str = Field(description="项目/设施名称")
    kind: str = Field(description="类型")
    group: str = Field(description="项目或设施")
    industry: str
    district: str | None = Field(description="所在区县")
    address: str | None
    start_on: dt.date
    end_on: dt.date | None


class Decision(Strict):
    id: int
    subject: SubjectRef
    subject_name: str
    doc_no: str = Field(description="决定文书号")
    decided_on: dt.date
    authority: str
    authority_uscc: str
    source_unit: str
    source_unit_uscc: str
    remarks: str | None
    state: str
    state_label: str
    markers: list[str] = Field(description="办理中的异议或信用修复")
    project: ProjectRef | None = Field(None, description="所属项目/设施（已审核的）")


class License(Decision):
    type: Literal["license"]
    doc_name: str | None
    category: str
    cert_name: str | None
    license_no: str | None
    content: str | None
    valid_from: dt.date | None
    valid_to: str | None = Field(description="有效期至：日期或“长期”")
    status: str
    status_label: str
    current_status: str | None


class Penalty(Decision):
    type: Literal["penalty"]
    violation_type: str
    facts: str
    basis: str
    categories: list[str]
    content: str
    fine_wan: str | None = Field(description="罚款金额（万元）")
    confiscated_wan: str | None = Field(description="没收违法所得、没收非法财物的金额（万元）")
    license_affected: str | None
    penalty_valid_to: str | None = Field(description="处罚有效期：日期或“长期”")
    severity: str
    repair_from: dt.date | None
    display_until: dt.date | None


class ListEntry(Strict):
    id: int
    type: Literal["list_entry"]
    subject: SubjectRef
    kind: ListKind
    kind_label: str
    list_type: str
    authority: str
    reason: str
    basis: str | None
    listed_on: dt.date
    planned_end: dt.date | None
    removed_on: dt.date | None
    removal_reason: str | None
    markers: list[str] = Field(default_factory=list)


class Commitment(Strict):
    id: int
    type: Literal["commitment"]
    code: str | None
    committer_name: str
    subject_ref: str | None
    uscc: str | None
    commitment_type: str
    matter: str
    content: str
    liability: str
    made_on: dt.date
    valid_until: dt.date | None
    acceptor: str
    disclosure: str
    fulfilment: str | None
    breach_action: str | None


class ArticleColumn(Strict):
    slug: str
    name: str


class Article(Strict):
    id: int
    type: Literal["article"]
    title: str
    summary: str | None
    source: str | None
    column: ArticleColumn
    publish_on: dt.date | None


class ArticleDetail(Article):
    body_html: str


class Page(Strict):
    next_cursor: str | None = Field(description="下一页的 cursor；为 null 表示已到最后一页")


class LicensePage(Page):
    items: list[License]


class PenaltyPage(Page):
    items: list[Penalty]


class ListEntryPage(Page):
    items: list[ListEntry]


class CommitmentPage(Page):
    items: list[Commitment]


class ArticlePage(Page):
    items: list[Article]


class SubjectDetail(Strict):
    ref: str
    name: str
    kind: str
    uscc: str | None
    region_code: str | None
    region_name: str | None
    business_reg_no: str | None
    org_code: str | None
    legal_rep: str | None
    legal_rep_id_type: str | None
    legal_rep_id_no: str | None
    id_type: str | None
    id_no: str | None
    former_names: list[str]


class Counts(Strict):
    licenses: int
    penalties: int
    list_entries: int
    commitments: int


class PublicGrade(Strict):
    grade: str = Field(description="行业信用等级（A–E）")
    industry: str | None = Field(description="评价所依据的行业")
    period: str = Field(description="评价期")


class CreditFile(Strict):
    subject: SubjectDetail
    as_of: dt.date
    tags: list[str]
    counts: Counts
    licenses: list[License]
    penalties: list[Penalty]
    list_entries: list[ListEntry]
    commitments: list[Commitment]
    projects: list[ProjectRef] = Field(default_factory=list, description="已审核的项目/设施")
    grade: PublicGrade | None = Field(description="最近一次行业信用评价的等级；仅在配置为公开时提供，否则为空")


class Removal(Strict):
    at: dt.datetime = Field(description="移出公示的时刻（北京时间）")
    kind: Literal["expired", "display_ended", "repaired", "objection_upheld", "withdrawn", "list_exit"]
    kind_label: str
    record_type: Literal["license", "penalty", "list_entry", "commitment"]
    doc_no: str | None = Field(description="决定文书号（行政许可、行政处罚）")
    authority_uscc: str | None = Field(description="决定机关统一社会信用代码（行政许可、行政处罚）")
    list_entry_id: int | None = Field(description="名单条目编号（信用名单）")
    commitment_code: str | None = Field(description="承诺编码（信用承诺）")


class RemovalPage(Strict):
    items: list[Removal]
    cursor: str = Field(description="下次从这里继续：作为 since 传回")


class SubjectView(Strict):
    ref: str
    name: str
    kind: str
    uscc: str | None
    region_code: str | None
    business_reg_no: str | None
    org_code: str | None
    legal_rep: str | None
    legal_rep_id_type: str | None
    legal_rep_id_no: str | None
    id_type: str | None
    id_no: str | None


class SearchAnswer(Strict):
    query: str
    type: str
    subjects: list[SubjectView]
    records: list[Annotated[License | Penalty, Field(discriminator="type")]]
    record_total: int
    record_total_capped: bool
    record_total_estimated: bool
    page: int
    pages: int
    complete: bool = Field(description="为 false 时检索索引正在重建或更新，结果可能不完整")
    notice: str | None
    code_prefix: str | None = Field(description="按统一社会信用代码（或其前6位以上）查询时的代码；否则为空")


class MatchQuery(Strict):
    name: str = Field(min_length=1, max_length=200, description="企业名称（可含地区、简称、繁体、全角）")
    uscc: str | None = Field(None, max_length=32, description="统一社会信用代码")
    district: str | None = Field(None, max_length=20, description="所在区县名称或行政区划代码")
    legal_rep: str | None = Field(None, max_length=50, description="法定代表人")


class MatchRequest(Strict):
    queries: list[MatchQuery] = Field(min_length=1, max_length=100, description="至多 100 条，按顺序返回结果")


class MatchFeatures(Strict):
    exact_code: bool = Field(description="统一社会信用代码一致")
    code_conflict: bool = Field(description="提供的统一社会信用代码与候选不一致")
    name_similarity: float = Field(ge=0, le=1, description="名称规范化（去地区、组织形式、繁简全半角）后的相似度")
    written_similarity: float = Field(
        ge=0, le=1, description="名称原样（仅统一繁简、全半角和括号）的相似度，用于区分核心名称相同的主体"
    )
    initials_match: bool = Field(description="查询为拼音首字母且与候选一致")
    same_region: bool | None = Field(description="地区一致；null 表示无从比较")
    same_legal_form: bool | None = Field(description="组织形式一致；null 表示无从比较")
    same_branch: bool = Field(description="同为总公司或同为同名分支机构")
    legal_rep_match: bool | None = Field(description="法定代表人一致；null 表示无从比较")


class MatchCandidate(Strict):
    name: str
    uscc: str | None
    ref: str = Field(description="信用主体标识，可用于 /api/v1/subjects/{ref}")
    score: float = Field(ge=0, le=1, description="匹配得分，1 为统一社会信用代码一致")
    features: MatchFeatures


class MatchResult(Strict):
    candidates: list[MatchCandidate]


class MatchAnswer(Strict):
    results: list[MatchResult]


# Statistics ---------------------------------------------------------------------------------------


class StatisticsQuery(Strict):
    period: str | None = Field(
        None,
        max_length=16,
        description="统计期：2026Q3（季度）、2026-07（月）、2026（年）或 12m（近12个月）；不填为上一个完整季度",
    )


class StatisticsFigure(Strict):
    indicator: str = Field(description="指标代码")
    label: str = Field(description="指标名称")
    part: str = Field(description="合计，或分项名称（按行业、区县、类别等）")
    value: int | float | None = Field(description="数值；不适用时为空")
    numerator: int | None
    denominator: int | None
    shown: str = Field(description="页面上显示的数值（含单位）")
    formula: str = Field(description="计算公式")


class Statistics(Strict):
    period: str
    period_label: str
    start: str = Field(description="统计期起始日期")
    end: str = Field(description="统计期截止日期")
    scope: dict[str, str] = Field(description="统计范围（公开统计为全市）")
    computed_at: str = Field(description="数据更新于：统计数据（按日汇总表）包含此时刻之前的全部变动")
    figures: list[StatisticsFigure]
