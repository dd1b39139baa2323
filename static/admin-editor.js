// The article editor: Quill (static/vendor) over the body's textarea, which stays the field that is
// submitted. Without this script the textarea is edited as HTML. The server cleans every body
// (portal.sanitize.clean_html) whatever this editor sends.
(function () {
  "use strict";

  var FORMATS = ["header", "bold", "italic", "underline", "strike", "list", "blockquote", "link", "image"];
  // What Quill cannot hold (it would drop it): such bodies are edited as HTML.
  var UNSUPPORTED = /<(table|dl|figure|pre|sub|sup)\b/i;
  var NAMES = {
    bold: "加粗", italic: "斜体", underline: "下划线", strike: "删除线", blockquote: "引用",
    link: "链接", image: "插入图片", clean: "清除格式", "list-ordered": "编号列表", "list-bullet": "项目符号列表",
  };
  var MEDIA = "/media/";

  function start(textarea) {
    var form = textarea.form;
    var uploadUrl = textarea.dataset.imageUpload;
    var previewPrefix = textarea.dataset.imagePreview;
    var field = textarea.closest(".field");
    var holder = document.createElement("div");
    holder.className = "rich-editor";
    var status = document.createElement("p");
    var toggle = document.createElement("button");
    status.className = "error";
    status.setAttribute("role", "alert");
    toggle.type = "button";
    toggle.className = "secondary";
    field.insertBefore(holder, textarea);
    field.insertBefore(status, textarea.nextSibling);
    field.insertBefore(toggle, holder);

    // Draft images are not public yet: the editor shows them through the back office's own route.
    function forEditor(html) {
      return previewPrefix ? html.split('src="' + MEDIA).join('src="' + previewPrefix) : html;
    }
    function forStorage(html) {
      html = html.replace(/&nbsp;/g, " ");
      return previewPrefix ? html.split('src="' + previewPrefix).join('src="' + MEDIA) : html;
    }

    var toolbar = [[{ header: [2, 3, 4, false] }], ["bold", "italic", "underline", "strike"],
      [{ list: "ordered" }, { list: "bullet" }], ["blockquote", "link"]];
    if (uploadUrl) {
      toolbar.push(["image"]);
    }
    toolbar.push(["clean"]);
    var quill = new window.Quill(holder, {
      theme: "snow",
      formats: FORMATS,
      modules: { toolbar: { container: toolbar, handlers: { image: chooseImage } } },
    });
    // Pasted scripts and styles (Word sends both) are dropped, not kept as visible text.
    var Delta = window.Quill.import("delta");
    ["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].forEach(function (tag) {
      quill.clipboard.addMatcher(tag, function () {
        return new Delta();
      });
    });
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    quill.root.setAttribute("aria-label", "正文");
    nameToolbar(holder.previousElementSibling);
    quill.clipboard.dangerouslyPasteHTML(forEditor(textarea.value));

    var source = false;
    function showSource(on) {
      if (on) {
        textarea.value = serialise();
      } else {
        quill.setContents([]);
        quill.clipboard.dangerouslyPasteHTML(forEditor(textarea.value));
      }
      source = on;
      textarea.hidden = !on;
      holder.hidden = on;
      holder.previousElementSibling.hidden = on;
      if (on && panel) {
        panel.box.hidden = true;
      }
      toggle.textContent = on ? "返回可视化编辑" : "编辑HTML源码";
    }
    function serialise() {
      return quill.getLength() > 1 ? forStorage(quill.getSemanticHTML()) : "";
    }
    toggle.addEventListener("click", function () {
      showSource(!source);
    });
    showSource(false);
    form.addEventListener("submit", function () {
      if (!source) {
        textarea.value = serialise();
      }
    });

    // Inserting an image asks for its description first (图片说明, the alt text a screen reader
    // reads): a file name says nothing of what the picture shows. The server refuses it empty too.
    var panel = imagePanel();
    field.insertBefore(panel.box, holder.nextSibling);

    function chooseImage() {
      panel.box.hidden = false;
      panel.alt.focus();
    }

    function imagePanel() {
      var box = document.createElement("fieldset");
      box.className = "image-insert";
      box.hidden = true;
      var legend = document.createElement("legend");
      legend.textContent = "插入图片";
      box.appendChild(legend);
      var alt = labelled(box, "input", "image-alt", "图片说明（必填）");
      alt.type = "text";
      alt.maxLength = 200;
      alt.required = true;
      var hint = document.createElement("p");
      hint.className = "hint";
      hint.id = "image-alt-hint";
      hint.textContent = "用一句话说明图片内容，如“市民中心信用服务窗口”，供视障读者和图片无法显示时阅读；不要只写文件名。";
      box.appendChild(hint);
      alt.setAttribute("aria-describedby", hint.id);
      var file = labelled(box, "input", "image-file", "图片文件（PNG或JPEG）");
      file.type = "file";
      file.accept = "image/png,image/jpeg";
      var insert = document.createElement("button");
      insert.type = "button";
      insert.textContent = "上传并插入";
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "secondary";
      cancel.textContent = "取消";
      box.appendChild(insert);
      box.appendChild(cancel);
      function close() {
        box.hidden = true;
        alt.value = "";
        file.value = "";
        status.textContent = "";
        alt.removeAttribute("aria-invalid");
        quill.focus();
      }
      insert.addEventListener("click", function () {
        var description = alt.value.trim();
        status.textContent = "";
        alt.removeAttribute("aria-invalid");
        if (!description) {
          alt.setAttribute("aria-invalid", "true");
          status.textContent = "请填写图片说明";
          alt.focus();
          return;
        }
        if (!file.files.length) {
          status.textContent = "请选择PNG或JPEG图片";
          file.focus();
          return;
        }
        upload(file.files[0], description, close);
      });
      cancel.addEventListener("click", close);
      return { box: box, alt: alt };
    }

    function labelled(box, tag, id, text) {
      var wrapper = document.createElement("div");
      wrapper.className = "field";
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = text;
      var input = document.createElement(tag);
      input.id = id;
      wrapper.appendChild(label);
      wrapper.appendChild(input);
      box.appendChild(wrapper);
      return input;
    }

    function upload(file, description, done) {
      var data = new FormData();
      data.append("image", file);
      data.append("alt", description);
      data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
      status.textContent = "";
      fetch(uploadUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) {
              throw new Error(body.error || "上传失败");
            }
            return body;
          });
        })
        .then(function (body) {
          var at = (quill.getSelection(true) || { index: quill.getLength() }).index;
          quill.insertEmbed(at, "image", body.preview, "user");
          quill.formatText(at, 1, "alt", body.alt, "user");
          quill.setSelection(at + 1, 0);
          done();
        })
        .catch(function (error) {
          status.textContent = "图片未能插入：" + error.message;
        });
    }
  }

  // Quill's toolbar buttons are icons only: give each its name for screen readers.
  function nameToolbar(toolbar) {
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "正文格式");
    toolbar.querySelectorAll("button").forEach(function (button) {
      var format = button.className.replace("ql-", "");
      var key = button.value ? format + "-" + button.value : format;
      button.setAttribute("aria-label", NAMES[key] || NAMES[format] || format);
    });
    toolbar.querySelectorAll(".ql-picker-label").forEach(function (label) {
      label.setAttribute("aria-label", "段落样式");
    });
    // Levels by name only: "标题" would make every level answer to the title field's label.
    var LEVELS = { 2: "二级", 3: "三级", 4: "四级" };
    toolbar.querySelectorAll(".ql-picker-item").forEach(function (item) {
      item.setAttribute("aria-label", LEVELS[item.dataset.value] || "普通段落");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var textarea = document.querySelector("textarea[data-rich-text]");
    if (!textarea || !window.Quill) {
      return;
    }
    if (UNSUPPORTED.test(textarea.value)) {
      var note = document.createElement("p");
      note.className = "hint";
      note.textContent = "正文含表格等可视化编辑器不支持的内容，请直接编辑HTML。";
      textarea.parentNode.insertBefore(note, textarea);
      return;
    }
    start(textarea);
  });
})();
