"""Accounts and departments (系统管理员): create, edit, disable, reset password; never delete.

Accounts stay for ever because the audit log refers to them; a disabled account cannot sign in.
Every change is audited with the values before and after (portal.services.staff.accounts).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from admin.access import require_roles
from admin.blueprint import bp
from admin.scope import me
from portal.errors import page_number
from portal.models import Role, StaffUser
from portal.rules.passwords import POLICY
from portal.services.core.paging import paginate
from portal.services.staff import accounts as account_service
from portal.services.staff import desk_lists, office_lists

ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _department_choices(current_id: int | None = None) -> list[SelectChoice]:
    depts = account_service.departments()
    return [SelectChoice(0, "（未分配部门）")] + [
        SelectChoice(d.id, d.name + ("" if d.active else "（已停用）")) for d in depts if d.active or d.id == current_id
    ]


class AccountEditForm(FlaskForm):
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名"), Length(max=64)])
    department_id = SelectField("所属部门", coerce=int)
    roles = MultiCheckboxField("角色", choices=ROLE_CHOICES, validators=[DataRequired("请至少选择一个角色")])


class AccountCreateForm(AccountEditForm):
    username = StringField(
        "用户名",
        validators=[
            DataRequired("请输入用户名"),
            Length(min=2, max=64, message="用户名长度为2至64个字符"),
            Regexp(r"^[A-Za-z0-9_.\-]+$", message="用户名只能包含字母、数字、下划线、点和连字符"),
        ],
    )
    password = PasswordField(
        "初始密码",
        validators=[DataRequired("请输入初始密码"), Length(max=128)],
        description=POLICY + "；首次登录时须修改",
    )
    confirm = PasswordField(
        "确认初始密码", validators=[DataRequired("请再次输入初始密码"), EqualTo("password", "两次输入的密码不一致")]
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "临时密码",
        validators=[DataRequired("请输入临时密码"), Length(max=128)],
        description=POLICY + "；该用户下次登录时须修改",
    )
    confirm = PasswordField(
        "确认临时密码", validators=[DataRequired("请再次输入临时密码"), EqualTo("password", "两次输入的密码不一致")]
    )


class ActionForm(FlaskForm):
    """A button that only carries the CSRF token."""


class DepartmentForm(FlaskForm):
    name = StringField("部门名称", validators=[DataRequired("请输入部门名称"), Length(max=200)])
    uscc = StringField(
        "统一社会信用代码",
        validators=[
            Optional(),
            Length(max=64),
            Regexp(r"^[0-9A-Za-z]{18}$", message="统一社会信用代码应为18位数字或字母"),
        ],
    )
    region_code = StringField(
        "行政区划代码",
        validators=[
            Optional(),
            Regexp(r"^\d{6}$", message="行政区划代码应为6位数字"),
        ],
        description="6位数字（GB/T 2260 行政区划代码）",
    )
    active = BooleanField("启用", default=True)


def _user_or_404(user_id: int) -> StaffUser:
    user = account_service.user(user_id)
    if user is None:
        abort(404)
    return user


def _roles(values: list[str]) -> list[Role]:
    return [Role(v) for v in values]


@bp.get("/accounts")
@require_roles(Role.ADMIN)
def accounts():
    listing = desk_lists.Listing.from_args("account", request.args)
    page = paginate(office_lists.accounts(me(), listing), request.args.get("page", 1, type=page_number), list)
    inactive = {u.id for u in account_service.inactive_accounts()}
    return render_template(
        "admin/accounts.html",
        page=page,
        inactive=inactive,
        inactive_days=account_service.INACTIVE_DAYS,
        listing=listing,
        sorts=desk_lists.SORTS["account"],
        departments=[(d.id, d.name) for d in account_service.departments()],
        roles=[(r.value, r.label) for r in Role],
        states=[*desk_lists.ACCOUNT_STATES.items(), ("inactive", account_service.INACTIVE_LABEL)],
        state_labels=desk_lists.ACCOUNT_STATES,
        account_state=office_lists.account_state,
    )


@bp.get("/accounts/inactive")
@require_roles(Role.ADMIN)
def inactive_accounts():
    return render_template(
        "admin/inactive_accounts.html", users=account_service.inactive_accounts(), days=account_service.INACTIVE_DAYS
    )


@bp.route("/accounts/new", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def account_new():
    form = AccountCreateForm()
    form.department_id.choices = _department_choices()
    if form.validate_on_submit():
        try:
            user = account_service.create_user(
                form.username.data.strip(),
                form.display_name.data.strip(),
                form.password.data,
                _roles(form.roles.data),
                form.department_id.data or None,
                by=current_user._get_current_object(),
                force_change=True,
            )
        except account_service.PasswordRejected as e:
            form.password.errors = list(form.password.errors) + e.problems
        except ValueError as e:
            form.username.errors = list(form.username.errors) + [str(e)]
        else:
            flash(f"账号“{user.username}”已创建，首次登录时须修改密码", "info")
            return redirect(url_for("admin.account_edit", user_id=user.id))
    return render_template("admin/account_new.html", form=form), 200 if request.method == "GET" else 400


def _edit_page(
    user: StaffUser, form: AccountEditForm | None = None, reset: ResetPasswordForm | None = None, status: int = 200
):
    if form is None:
        form = AccountEditForm(obj=user, formdata=None)
        form.department_id.data = user.department_id or 0
        form.roles.data = [r.role.value for r in user.roles]
    form.department_id.choices = _department_choices(user.department_id)
    return render_template(
        "admin/account_edit.html",
        user=user,
        form=form,
        reset=reset or ResetPasswordForm(formdata=None),
        action=ActionForm(formdata=None),
        inactive=user in account_service.inactive_accounts(),
    ), status


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def account_edit(user_id: int):
    user = _user_or_404(user_id)
    if request.method == "GET":
        return _edit_page(user)
    form = AccountEditForm()
    form.department_id.choices = _department_choices(user.department_id)
    if form.validate_on_submit():
        try:
            changed = account_service.update_user(
                user,
                display_name=form.display_name.data,
                roles=_roles(form.roles.data),
                department_id=form.department_id.data or None,
                by=current_user._get_current_object(),
            )
        except ValueError as e:
            form.roles.errors = list(form.roles.errors) + [str(e)]
        else:
            flash("账号信息已保存" if changed else "没有修改", "info")
            return redirect(url_for("admin.account_edit", user_id=user.id))
    return _edit_page(user, form=form, status=400)


@bp.post("/accounts/<int:user_id>/password")
@require_roles(Role.ADMIN)
def account_reset_password(user_id: int):
    user = _user_or_404(user_id)
    reset = ResetPasswordForm()
    if reset.validate_on_submit():
        try:
            account_service.reset_password(user, reset.password.data, by=current_user._get_current_object())
        except account_service.PasswordRejected as e:
            reset.password.errors = list(reset.password.errors) + e.problems
        else:
            flash(f"已重置“{user.username}”的密码，该用户下次登录时须修改密码", "info")
            return redirect(url_for("admin.account_edit", user_id=user.id))
    return _edit_page(user, reset=reset, status=400)


def _set_active(user_id: int, active: bool):
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        changed = account_service.set_active(user, active, by=current_user._get_current_object())
    except ValueError as e:
        flash(str(e), "error")
        return redirect(url_for("admin.account_edit", user_id=user.id))
    if changed:
        flash(f"账号“{user.username}”已{'启用' if active else '停用'}", "info")
    return redirect(url_for("admin.account_edit", user_id=user.id))


@bp.post("/accounts/<int:user_id>/disable")
@require_roles(Role.ADMIN)
def account_disable(user_id: int):
    return _set_active(user_id, False)


@bp.post("/accounts/<int:user_id>/enable")
@require_roles(Role.ADMIN)
def account_enable(user_id: int):
    return _set_active(user_id, True)


# Departments ------------------------------------------------------------------------------------


@bp.get("/departments")
@require_roles(Role.ADMIN)
def departments():
    depts = account_service.departments()
    return render_template("admin/departments.html", departments=depts)


@bp.route("/departments/new", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def department_new():
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            dept = account_service.create_department(
                form.name.data, form.uscc.data, form.region_code.data, by=current_user._get_current_object()
            )
        except ValueError as e:
            form.name.errors = list(form.name.errors) + [str(e)]
        else:
            flash(f"部门“{dept.name}”已创建", "info")
            return redirect(url_for("admin.departments"))
    return render_template("admin/department_form.html", form=form, dept=None), 200 if request.method == "GET" else 400


@bp.route("/departments/<int:dept_id>", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def department_edit(dept_id: int):
    dept = account_service.department(dept_id)
    if dept is None:
        abort(404)
    form = DepartmentForm(obj=dept)
    if form.validate_on_submit():
        try:
            changed = account_service.update_department(
                dept,
                form.name.data,
                form.uscc.data,
                form.region_code.data,
                form.active.data,
                by=current_user._get_current_object(),
            )
        except ValueError as e:
            form.name.errors = list(form.name.errors) + [str(e)]
        else:
            flash("部门信息已保存" if changed else "没有修改", "info")
            return redirect(url_for("admin.departments"))
    members = account_service.members(dept)
    return render_template(
        "admin/department_form.html", form=form, dept=dept, members=members
    ), 200 if request.method == "GET" else 400
