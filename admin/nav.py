"""The back-office navigation: links the signed-in user's roles allow, for routes that exist."""

from flask import current_app, url_for
from flask_login import current_user

from admin.blueprint import bp
from portal.models import Role

R = Role
# (endpoint, label, roles that see it; empty = everyone)
NAV = (
    ("admin.dashboard", "工作台", ()),
    ("admin.records", "双公示录入", (R.CLERK, R.REVIEWER)),
    ("admin.review_queue", "待审核", (R.REVIEWER,)),
    ("admin.imports", "批量导入", (R.CLERK,)),
    ("admin.list_entries", "红黑名单", (R.CLERK, R.REVIEWER)),
    ("admin.project_list", "项目/设施", (R.CLERK, R.REVIEWER)),
    ("admin.project_gaps_page", "应录未录", ()),
    ("admin.articles", "栏目文章", (R.EDITOR,)),
    ("admin.queues", "受理事项", (R.HANDLER,)),
    ("admin.unrouted", "未分派事项", (R.ADMIN,)),
    ("admin.data_quality_report", "重错码", (R.ADMIN, R.REVIEWER)),
    ("admin.statistics", "统计分析", ()),
    ("admin.grading_runs", "信用评价", (R.GRADER, R.ADMIN)),
    ("admin.counter", "信用窗口", (R.COUNTER,)),
    ("admin.accounts", "账号管理", (R.ADMIN,)),
    ("admin.departments", "部门管理", (R.ADMIN,)),
    ("admin.api_keys_page", "接口密钥", (R.ADMIN,)),
    ("admin.audit_log", "审计日志", (R.ADMIN,)),
    ("admin.change_password", "修改密码", ()),
)


@bp.app_context_processor
def _admin_nav():
    def items():
        if not current_user.is_authenticated:
            return []
        return [
            (url_for(endpoint), label)
            for endpoint, label, roles in NAV
            if endpoint in current_app.view_functions and (not roles or any(current_user.has_role(r) for r in roles))
        ]

    return {"admin_nav": items}
