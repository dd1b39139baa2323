"""Forms as the page renders them: tests fill these, never a hand-built dict of field names.

`page_form(client, path, ...)` reads the page, finds one form (by its action, its submit button's
text, or its position) and returns a `Form` holding the fields with their rendered values, hidden
ones (CSRF, one-off tokens) included. `fill` refuses a field the form does not have, so a test can
only post what a browser could; `submit` posts it the way the browser would.

Tests of refused requests tamper with a rendered form openly (`without`, `aimed_at`,
`with_csrf_of`), never by inventing field names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin


@dataclass
class Field:
    name: str
    tag: str  # input, select, textarea
    type: str = "text"
    value: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # select: (value, text)
    checked: bool = False
    id: str = ""
    label: str = ""
    required: bool = False


@dataclass
class _RawForm:
    attrs: dict
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (text, name, value)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[_RawForm] = []
        self.labels: dict[str, str] = {}  # for= id -> text
        self._form: _RawForm | None = None
        self._select: Field | None = None
        self._option: list | None = None
        self._textarea: Field | None = None
        self._button: list | None = None
        self._label: list | None = None  # [for, text, wrapped fields]

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = _RawForm(a)
            self.forms.append(self._form)
        elif tag == "label":
            self._label = [a.get("for", ""), "", []]
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if kind == "submit":
                    self._form.buttons.append((a.get("value", ""), a.get("name", ""), a.get("value", "")))
                return
            f = Field(
                a.get("name", ""),
                "input",
                kind,
                a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                checked="checked" in a,
                id=a.get("id", ""),
                required="required" in a,
            )
            self._add(f)
        elif tag == "select":
            self._select = Field(a.get("name", ""), "select", id=a.get("id", ""), required="required" in a)
            self._add(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "", "selected" in a]
        elif tag == "textarea":
            self._textarea = Field(a.get("name", ""), "textarea", id=a.get("id", ""), required="required" in a)
            self._add(self._textarea)
        elif tag == "button":
            self._button = ["", a.get("name", ""), a.get("value", ""), a.get("type", "submit")]

    def _add(self, f: Field) -> None:
        self._form.fields.append(f)
        if self._label is not None:
            self._label[2].append(f)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "label" and self._label is not None:
            target, text, wrapped = self._label
            text = " ".join(text.split())
            if target:
                self.labels[target] = text
            for f in wrapped:
                f.label = f.label or text
            self._label = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, text, selected = self._option
            text = " ".join(text.split())
            self._select.options.append((text if value is None else value, text))
            if selected or len(self._select.options) == 1:
                self._select.value = self._select.options[-1][0]
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that may follow <textarea>.
            if self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "button" and self._button is not None and self._form is not None:
            text, name, value, kind = self._button
            if kind == "submit":
                self._form.buttons.append((" ".join(text.split()), name, value))
            self._button = None

    def handle_data(self, data):
        if self._label is not None:
            self._label[1] += data
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea.value += data
        if self._button is not None:
            self._button[0] += data


def _same_but_note(label: str, text: str) -> bool:
    return label.endswith("）") and label.rsplit("（", 1)[0] == text


class Form:
    def __init__(self, raw: _RawForm, page_path: str):
        self.action = urljoin(page_path, raw.attrs.get("action") or page_path)
        self.method = (raw.attrs.get("method") or "get").upper()
        self.multipart = raw.attrs.get("enctype", "") == "multipart/form-data"
        self.fields = [f for f in raw.fields if f.name]
        self.buttons = raw.buttons
        self._values: dict[str, object] = {}
        self._files: dict[str, list] = {}
        for f in self.fields:
            if f.type == "checkbox" and self._is_group(f.name):
                self._values.setdefault(f.name, [])
                if f.checked:
                    self._values[f.name].append(f.value)
            elif f.type in ("checkbox", "radio"):
                if f.checked:
                    self._values[f.name] = f.value
            elif f.type != "file":
                self._values.setdefault(f.name, f.value)

    def _is_group(self, name: str) -> bool:
        """Several checkboxes of one name: the browser posts the value of each one ticked."""
        return sum(1 for f in self.fields if f.name == name and f.type == "checkbox") > 1

    @property
    def names(self) -> set[str]:
        return {f.name for f in self.fields}

    def field(self, name: str) -> Field:
        found = [f for f in self.fields if f.name == name]
        assert found, f"the form posting to {self.action} has no field {name!r}; it has {sorted(self.names)}"
        return found[0]

    def by_label(self, text: str) -> Field:
        """The field labelled `text` (with or without a trailing note such as “（必填）”), else the one
        label starting with it, else the one containing it."""
        for matches in (str.__eq__, _same_but_note, str.startswith, str.__contains__):
            found = [f for f in self.fields if f.label and matches(f.label, text)]
            if found:
                assert len(found) == 1, f"label {text!r} is ambiguous in the form posting to {self.action}: {found}"
                return found[0]
        raise AssertionError(
            f"no field labelled {text!r} in the form posting to {self.action}: "
            + ", ".join(f"{f.name}={f.label!r}" for f in self.fields)
        )

    def fill(self, **values) -> Form:
        """Set fields by name; a checkbox takes True/False, a group of checkboxes a list of values or
        label texts, a select a value or an option's text."""
        for name, value in values.items():
            self._set(self.field(name), value)
        return self

    def fill_labels(self, values: dict[str, object]) -> Form:
        """Set fields by (part of) their label text, as a person reading the page would.

        A radio button or a checkbox labelled so takes True to choose it."""
        for label, value in values.items():
            self._set(self.by_label(label), value)
        return self

    def _set(self, f: Field, value) -> None:
        if f.type == "file":
            self._files[f.name] = value if isinstance(value, list) else [value]
        elif f.type == "checkbox" and self._is_group(f.name):
            self._set_group(f, value)
        elif f.type == "checkbox":
            if value:
                self._values[f.name] = f.value
            else:
                self._values.pop(f.name, None)
        elif f.type == "radio":
            choices = [x.value for x in self.fields if x.name == f.name]
            value = f.value if value is True else value
            assert str(value) in choices, f"{f.name}: {value!r} is not one of {choices}"
            self._values[f.name] = str(value)
        elif f.tag == "select":
            by_text = {text: v for v, text in f.options}
            values = [v for v, _ in f.options]
            chosen = str(value) if str(value) in values else by_text.get(str(value))
            assert chosen is not None, f"{f.name}: {value!r} is not among the options {f.options}"
            self._values[f.name] = chosen
        else:
            self._values[f.name] = "" if value is None else str(value)

    def _set_group(self, f: Field, value) -> None:
        boxes = [x for x in self.fields if x.name == f.name and x.type == "checkbox"]
        if isinstance(value, bool):  # one box of the group, chosen by its label
            chosen = [v for v in self._values[f.name] if v != f.value] + ([f.value] if value else [])
        else:
            by_label = {x.label: x.value for x in boxes}
            values = [x.value for x in boxes]
            chosen = []
            for item in [value] if isinstance(value, str) else value:
                picked = str(item) if str(item) in values else by_label.get(str(item))
                assert picked is not None, f"{f.name}: {item!r} is not among {values} / {sorted(by_label)}"
                chosen.append(picked)
        self._values[f.name] = chosen

    def without(self, name: str) -> Form:
        """Leave out a field the form renders, as a tampered request would (e.g. its CSRF token)."""
        self.field(name)
        self._values.pop(name, None)
        self._files.pop(name, None)
        return self

    def aimed_at(self, path: str) -> Form:
        """Post these rendered fields to another address, as a crafted request would."""
        self.action = path
        return self

    def with_csrf_of(self, client, path: str) -> Form:
        """The CSRF token `client` itself was given on `path`: another visitor replaying this form."""
        response = client.get(path)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        tokens = [
            f.field("csrf_token").value
            for f in forms_in(response.get_data(as_text=True), path)
            if "csrf_token" in f.names
        ]
        assert tokens, f"no form with a CSRF token on {path}"
        self.field("csrf_token")
        self._values["csrf_token"] = tokens[0]
        return self

    def data(self) -> dict:
        return dict(self._values)

    def submit(self, client, button: str | None = None, **kwargs):
        """Post (or get) the form as the browser would, with the named submit button's value if any."""
        payload: dict = dict(self._values)
        if button is not None:
            found = [b for b in self.buttons if button in b[0]]
            assert found, f"no button {button!r} in the form posting to {self.action}: {self.buttons}"
            if found[0][1]:
                payload[found[0][1]] = found[0][2]
        if self.method == "GET":
            return client.get(self.action, query_string=payload, **kwargs)
        for name, files in self._files.items():
            payload[name] = files if len(files) > 1 else files[0]
        if self.multipart:
            kwargs.setdefault("content_type", "multipart/form-data")
        return client.post(self.action, data=payload, **kwargs)


def forms_in(html: str, page_path: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    for raw in parser.forms:
        for f in raw.fields:
            if not f.label and f.id in parser.labels:
                f.label = parser.labels[f.id]
    return [Form(raw, page_path) for raw in parser.forms]


def page_form(
    client,
    path: str,
    action: str | None = None,
    button: str | None = None,
    index: int | None = None,
    html: str | None = None,
) -> Form:
    """The one form on `path` that posts to `action` (a path suffix), has `button`, or sits at `index`."""
    if html is None:
        response = client.get(path)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        html = response.get_data(as_text=True)
    forms = forms_in(html, path)
    if action is not None:
        forms = [f for f in forms if f.action.split("?")[0].endswith(action)]
    if button is not None:
        forms = [f for f in forms if any(button in b[0] for b in f.buttons)]
    if index is not None:
        forms = forms[index : index + 1]
    assert len(forms) == 1, f"{len(forms)} forms on {path} match action={action!r} button={button!r}"
    return forms[0]
