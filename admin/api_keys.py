"""API keys (系统管理员): issue a key to a registered user of the open-data API, or revoke one.
The key is shown once, when issued; only its digest is kept."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField

from admin.access import require_roles
from admin.blueprint import bp
from admin.scope import me
from portal.errors import page_number
from portal.models import Role
from portal.services.core.paging import paginate
from portal.services.opendata import api_keys
from portal.services.publication.publishing import Rejected
from portal.services.staff import desk_lists, office_lists


class ApiKeyForm(FlaskForm):
    holder = StringField("使用单位或个人名称", description="如：某某银行股份有限公司宁波分行")


class RevokeForm(FlaskForm):
    pass


def _page(form: ApiKeyForm, issued: str | None = None, status: int = 200):
    listing = desk_lists.Listing.from_args("api_key", request.args)
    page = paginate(office_lists.api_keys(me(), listing), request.args.get("page", 1, type=page_number), list)
    return render_template(
        "admin/api_keys.html",
        form=form,
        revoke=RevokeForm(),
        page=page,
        listing=listing,
        sorts=desk_lists.SORTS["api_key"],
        states=list(desk_lists.KEY_STATES.items()),
        issued=issued,
    ), status


@bp.get("/api-keys")
@require_roles(Role.ADMIN)
def api_keys_page():
    return _page(ApiKeyForm())


@bp.post("/api-keys")
@require_roles(Role.ADMIN)
def api_key_issue():
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        _, key = api_keys.issue(form.holder.data, me())
    except Rejected as e:
        form.holder.errors = e.errors["holder"]
        return _page(form, status=400)
    return _page(ApiKeyForm(formdata=None), issued=key)


@bp.post("/api-keys/<int:key_id>/revoke")
@require_roles(Role.ADMIN)
def api_key_revoke(key_id: int):
    if not RevokeForm().validate_on_submit():
        abort(400)
    record = api_keys.revoke(key_id, me())
    if record is None:
        abort(404)
    flash(f"已停用 {record.holder} 的接口密钥（{record.prefix}…）", "info")
    return redirect(url_for("admin.api_keys_page"))
