"""The article editor (Quill, vendored): formatting, images through the one upload path, a preview
cleaned as the public page will be, and Word's pasted markup cleaned away."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import png
from tests.browser.test_staff_journey import LOADED_WIDTH, nav

ALT = "市民中心信用服务窗口"
WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";}</style>'
    "</head><body>"
    '<p class="MsoNormal" style="mso-margin-top-alt:auto;font-family:宋体">'
    '<b><span style="color:red;mso-bidi-font-size:10.5pt">信用承诺</span></b>'
    '<span lang="EN-US">制度全面推行<o:p></o:p></span></p>'
    '<p class="MsoListParagraph" style="mso-list:l0 level1 lfo1"><span style="font-size:14pt">第二段</span></p>'
    '<script>alert(1)</script><img src="file:///C:/Users/a/AppData/image001.png" onerror="alert(2)">'
    "</body></html>"
)


def _new_article(editor, title: str) -> None:
    nav(editor).get_by_role("link", name="栏目文章").click()
    editor.get_by_role("link", name="新建文章").click()
    # As a person would: type once the editor has finished loading (its toolbar is up).
    expect(editor.get_by_role("toolbar", name="正文格式")).to_be_visible()
    editor.get_by_label("标题", exact=True).fill(title)
    editor.get_by_label("栏目").select_option(label="信用动态")


def _source(editor) -> str:
    """The stored body, as the editor's HTML view shows it."""
    editor.get_by_role("button", name="编辑HTML源码").click()
    text = editor.get_by_label("正文（HTML）").input_value()
    editor.get_by_role("button", name="返回可视化编辑").click()
    return text


def test_an_editor_formats_inserts_an_image_previews_and_publishes(staff, new_page):
    title = "信用修复办事指南更新"
    editor = staff("bianji")
    _new_article(editor, title)
    body = editor.get_by_role("textbox", name="正文")
    body.click()
    editor.get_by_role("button", name="加粗").click()
    editor.keyboard.type("办理要点")
    editor.get_by_role("button", name="加粗").click()
    editor.keyboard.press("Enter")
    editor.keyboard.type("申请人可在网上提交材料。")
    editor.get_by_role("button", name="保存草稿").click()
    expect(editor.get_by_role("status")).to_contain_text("草稿已保存")
    assert "<strong>办理要点</strong>" in _source(editor)

    # An image from the toolbar asks for its description (图片说明) first, goes through the upload
    # path and shows in the draft at once with that description, not the file's name.
    editor.get_by_role("textbox", name="正文").click()
    editor.keyboard.press("Control+End")
    editor.get_by_role("button", name="插入图片").click()
    insert = editor.get_by_role("group", name="插入图片")
    expect(insert.get_by_label("图片说明（必填）")).to_be_focused()
    insert.get_by_label("图片文件（PNG或JPEG）").set_input_files([png("IMG_0412.png")])
    insert.get_by_role("button", name="上传并插入").click()
    expect(editor.get_by_role("alert")).to_have_text("请填写图片说明")
    expect(insert.get_by_label("图片说明（必填）")).to_have_attribute("aria-invalid", "true")
    expect(editor.get_by_role("textbox", name="正文").get_by_role("img")).to_have_count(0)
    insert.get_by_label("图片说明（必填）").fill(ALT)
    insert.get_by_role("button", name="上传并插入").click()
    picture = editor.get_by_role("textbox", name="正文").get_by_role("img", name=ALT)
    expect(picture).to_be_visible()
    assert picture.evaluate(LOADED_WIDTH) == 1
    expect(insert).to_be_hidden()
    # A file that is not an image is refused with a message, and nothing is inserted.
    editor.get_by_role("button", name="插入图片").click()
    insert.get_by_label("图片说明（必填）").fill("假图片")
    insert.get_by_label("图片文件（PNG或JPEG）").set_input_files(
        [{"name": "假图片.png", "mimeType": "image/png", "buffer": b"not an image at all"}]
    )
    insert.get_by_role("button", name="上传并插入").click()
    expect(editor.get_by_role("alert")).to_contain_text("图片未能插入")
    expect(editor.get_by_role("textbox", name="正文").get_by_role("img")).to_have_count(1)
    insert.get_by_role("button", name="取消").click()
    editor.get_by_role("button", name="保存", exact=True).click()
    expect(editor.get_by_role("status")).to_have_text("已保存")
    assert re.search(r'<img src="/media/[0-9a-f]{32}\.png" alt="' + ALT + '"', _source(editor))

    with editor.expect_popup() as popup:
        editor.get_by_role("button", name="预览（新窗口）").click()
    preview = popup.value
    expect(preview.get_by_role("heading", level=1)).to_have_text(title)
    expect(preview.locator(".article-body strong")).to_have_text("办理要点")
    assert preview.get_by_role("img", name=ALT).evaluate(LOADED_WIDTH) == 1

    editor.get_by_role("button", name="发布", exact=True).click()
    expect(editor.get_by_role("status")).to_have_text("已发布")
    reader = new_page()
    reader.goto("/articles")
    reader.get_by_role("link", name=title).click()
    expect(reader.locator(".article-body strong")).to_have_text("办理要点")
    assert reader.get_by_role("img", name=ALT).evaluate(LOADED_WIDTH) == 1


def test_text_pasted_from_word_keeps_its_words_and_loses_word_s_markup(staff):
    editor = staff("bianji")
    _new_article(editor, "从Word粘贴的通知")
    body = editor.get_by_role("textbox", name="正文")
    body.click()
    body.evaluate(
        """(el, html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', '信用承诺制度全面推行 第二段');
            el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD_HTML,
    )
    expect(body).to_contain_text("信用承诺制度全面推行")
    editor.get_by_role("button", name="保存草稿").click()
    expect(editor.get_by_role("status")).to_contain_text("草稿已保存")
    stored = _source(editor)
    assert "<strong>信用承诺</strong>制度全面推行" in stored and "第二段" in stored
    for left_over in ("mso", "Mso", "style", "class", "<span", "o:p", "script", "alert", "file:", "<img"):
        assert left_over not in stored, (left_over, stored)
