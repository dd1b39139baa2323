"""The back office in Chromium: every demo role signs in to its own desk, an editor publishes an article
the public then reads, and an administrator creates and disables an account, as the audit log shows."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import ROLES, png, sign_in

# What each demo role finds in the back office's navigation, and a page of another role it may not open.
DESKS = {
    "admin": (("账号管理", "部门管理", "审计日志"), "/admin/articles"),
    "luru": (("双公示录入", "批量导入", "红黑名单"), "/admin/review"),
    "shenhe": (("双公示录入", "待审核", "红黑名单"), "/admin/imports"),
    "bianji": (("栏目文章",), "/admin/queues"),
    "shouli": (("受理事项",), "/admin/accounts"),
    "chuangkou": (("信用窗口",), "/admin/queues"),
}
EVERY_DESK = {label for labels, _ in DESKS.values() for label in labels}
# The width of an image once it has loaded (0 when it failed).
LOADED_WIDTH = (
    "i => i.complete ? i.naturalWidth : new Promise(done => { i.onload = i.onerror = () => done(i.naturalWidth) })"
)
NEW_USER, INITIAL, OWN = "wangwu", "Initial-Passw0rd!", "Own-Strong-Passw0rd9"


def nav(page):
    return page.get_by_role("navigation", name="后台导航")


def test_each_demo_role_signs_in_to_its_own_desk(page):
    assert set(DESKS) == set(ROLES)
    for username, (labels, forbidden) in DESKS.items():
        sign_in(page, username)
        expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
        expect(page.get_by_role("main")).to_contain_text(f"欢迎，演示{ROLES[username]}")
        for label in EVERY_DESK:
            link = nav(page).get_by_role("link", name=label, exact=True)
            expect(link).to_have_count(1 if label in labels else 0)
        page.goto(forbidden)
        expect(page.get_by_role("heading", level=1)).to_have_text("无权访问")
        page.get_by_role("button", name="退出").click()
        expect(page.get_by_role("status")).to_have_text("已安全退出")


def test_published_article_appears_under_credit_news(staff, new_page):
    title = "我市开展诚信建设万里行主题宣传活动"
    editor = staff("bianji")
    nav(editor).get_by_role("link", name="栏目文章").click()
    editor.get_by_role("link", name="新建文章").click()
    editor.get_by_label("标题").fill(title)
    editor.get_by_label("栏目").select_option(label="信用动态")
    editor.get_by_label("摘要").fill("诚信建设万里行活动在全市启动")
    editor.get_by_role("button", name="编辑HTML源码").click()  # the rich-text editor's source view
    editor.get_by_label("正文（HTML）").fill("<p>活动为期一个月，覆盖全市各区县（市）。</p>")
    with editor.expect_navigation():  # a loaded machine can take longer than expect's 5 s to save
        editor.get_by_role("button", name="保存草稿").click()
    expect(editor.get_by_role("status")).to_contain_text("草稿已保存")
    editor.get_by_label("上传图片").set_input_files([png("活动现场.png")])
    editor.get_by_label("图片说明", exact=True).fill("活动现场")
    editor.get_by_role("button", name="上传", exact=True).click()
    expect(editor.get_by_role("img", name="活动现场.png")).to_be_visible()
    # The editor puts the image in the text with the snippet the page offers.
    snippet = editor.get_by_role("row", name=re.compile("活动现场.png")).locator("code").inner_text()
    editor.get_by_role("button", name="编辑HTML源码").click()
    body = editor.get_by_label("正文（HTML）")
    body.fill(body.input_value() + snippet.replace("图片说明", "活动现场"))
    with editor.expect_navigation():
        editor.get_by_role("button", name="保存", exact=True).click()
    expect(editor.get_by_role("status")).to_have_text("已保存")

    reader = new_page()
    reader.goto("/articles")
    expect(reader.get_by_role("main")).not_to_contain_text(title)

    editor.get_by_role("button", name="发布", exact=True).click()
    expect(editor.get_by_role("status")).to_have_text("已发布")
    expect(editor.get_by_role("main")).to_contain_text("状态：已发布")

    reader.goto("/")
    reader.get_by_role("navigation", name="主导航").get_by_role("link", name="信用动态").click()
    reader.get_by_role("link", name=title).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(title)
    expect(reader.get_by_role("main")).to_contain_text("活动为期一个月")
    picture = reader.get_by_role("img", name="活动现场")
    expect(picture).to_be_visible()
    assert picture.evaluate(LOADED_WIDTH) == 1, "the published image should load for the public"


def test_account_created_must_change_password_then_disabled_as_the_audit_log_shows(staff, new_page):
    admin = staff("admin")
    nav(admin).get_by_role("link", name="账号管理").click()
    admin.get_by_role("link", name="新建账号").click()
    admin.get_by_label("用户名").fill(NEW_USER)
    admin.get_by_label("姓名").fill("王五")
    department = admin.get_by_label("所属部门")
    department.select_option(index=1)
    admin.get_by_label("审核员").check()
    admin.get_by_label("初始密码", exact=True).fill(INITIAL)
    admin.get_by_label("确认初始密码").fill(INITIAL)
    admin.get_by_role("button", name="创建").click()
    expect(admin.get_by_role("status")).to_contain_text(f"账号“{NEW_USER}”已创建")
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"账号 {NEW_USER}")

    newcomer = sign_in(new_page(), NEW_USER, INITIAL)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("修改密码")
    expect(newcomer.get_by_role("status")).to_contain_text("请先修改密码")
    newcomer.get_by_label("当前密码").fill(INITIAL)
    newcomer.get_by_label("新密码", exact=True).fill(OWN)
    newcomer.get_by_label("确认新密码").fill(OWN)
    newcomer.get_by_role("button", name="保存").click()
    expect(newcomer.get_by_role("status")).to_have_text("密码已修改")
    expect(nav(newcomer).get_by_role("link", name="待审核")).to_be_visible()

    admin.get_by_role("button", name="停用").click()
    expect(admin.get_by_role("status")).to_contain_text(f"账号“{NEW_USER}”已停用")
    nav(newcomer).get_by_role("link", name="待审核").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("工作人员登录")  # the session ended
    newcomer.get_by_label("用户名").fill(NEW_USER)
    newcomer.get_by_label("密码", exact=True).fill(OWN)
    newcomer.get_by_role("button", name="登录").click()
    expect(newcomer.get_by_role("status")).to_be_visible()  # refused, with a message
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("工作人员登录")
    expect(nav(newcomer)).to_have_count(0)

    nav(admin).get_by_role("link", name="审计日志").click()
    admin.get_by_label("用户").fill("admin")
    admin.get_by_role("button", name="筛选").click()
    log = admin.get_by_role("table")
    expect(log.get_by_role("row").filter(has_text="新建账号")).to_contain_text(NEW_USER)
    expect(log.get_by_role("row").filter(has_text="停用账号")).to_have_count(1)
    admin.get_by_label("用户").fill(NEW_USER)
    admin.get_by_role("button", name="筛选").click()
    for action in ("登录", "修改密码", "登录失败"):
        expect(log.get_by_role("cell", name=action, exact=True).first).to_be_visible()
