"""Hypothesis strategies for hostile form and query-string input.

Forms are read from the rendered page (every input, select and textarea of the form), so a
field added to a form is fuzzed without touching these tests. Each field gets, at random: a
plausible value (one of its options, a date, a number, a short text), a hostile one (huge,
empty, NUL, lone combining marks, RTL overrides, emoji, impossible dates, wrong types), several
values at once (a duplicated field), or nothing (a missing field); unknown fields are added.
"""

import os
import string
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# -- profiles -------------------------------------------------------------------------------
# Default: a few examples per target so the whole suite stays fast. The dedicated run:
#     HYPOTHESIS_PROFILE=thorough .venv/bin/pytest tests/fuzz
PROFILES = {"default": 5, "thorough": 1000}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
if PROFILE not in PROFILES:
    raise RuntimeError(f"HYPOTHESIS_PROFILE must be one of {sorted(PROFILES)}; got {PROFILE!r}")
EXAMPLES = PROFILES[PROFILE]

fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=PROFILE == "default",  # the everyday suite is reproducible
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls back its own writes
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# -- values ---------------------------------------------------------------------------------

ODD_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "\u202eevil\u202c",  # right-to-left override
    "مدينة السلام",  # Arabic (RTL)
    "עיר",  # Hebrew
    "👩🏽‍🚀🇺🇾",  # emoji with modifiers, ZWJ and a flag
    "\ufeffBOM",
    "\u0301",  # a lone combining mark
    "\u200b",  # zero-width space
    "\uffff",
    "\U0010fffd",
    "𝕸𝖔𝖓𝖙𝖊𝖛𝖎𝖉𝖊𝖔",
    "İstanbul ß ﬁ",  # case-mapping surprises
    "' OR 1=1 --",
    '"; DROP TABLE partners_partner; --',
    "<script>alert(1)</script>",
    "{{ 7*7 }} {% debug %}",
    "%(name)s %s {0}",
    "../../etc/passwd",
    "%00%2e%2e%2f",
    "\\",
    "%",
    "_",
    "NaN",
    "-inf",
    "1e309",
    "-1",
    "0",
    "99999999999999999999999999",
    "1.5",
    "0x1F",
    "true",
    "null",
    "[]",
    "{}",
    "2023-02-30",
    "2023-02-29",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2024-13-01",
    "31/12/2024",
    "2024-01-01T25:61:61",
    "24:00",
]

odd_text = st.sampled_from(ODD_STRINGS)
any_text = st.text(max_size=40)  # any code point but surrogates
huge_text = st.builds(
    lambda char, n: char * n,
    st.sampled_from(["x", "é", "👍", "\u0301", "9"]),
    st.integers(300, 20_000),
)
plausible_text = st.text(
    alphabet=string.ascii_letters + string.digits + " áéíóúñ-", min_size=1, max_size=30
)
numbers = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.floats().map(str),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(0, 10_000),
        st.integers(0, 13),
        st.integers(0, 32),
    ),
)
hostile = st.one_of(odd_text, any_text, huge_text, numbers, dates)


def uploads():
    from tests.allas.test_uploads import HTML, PDF, PE, SVG, docx_bytes, png_bytes

    contents = st.sampled_from([png_bytes(), PDF, HTML, SVG, PE, docx_bytes(), b"", b"a,b\n1,2\n"])
    names = st.sampled_from(
        [
            "logo.png",
            "doc.pdf",
            "page.html",
            "x.svg",
            "run.exe",
            "../../etc/passwd.pdf",
            "sheet.csv",
            "a.docx",
            "noext",
            "<script>.pdf",
            "evil.php.png",
            ".htaccess",
        ]
    )
    return st.builds(lambda n, c: SimpleUploadedFile(n, c), names, contents)


# -- reading a form from the page -----------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> Field (first of each name)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name") or "__prefix__" in a.get("name", ""):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "image"}:
                self._add_submit(name, a.get("value", ""))
                return
            if kind in {"button", "reset"}:
                return
            existing = self._form.fields.get(name)
            if existing and kind in {"radio", "checkbox"}:
                existing.options.append(a.get("value", "on"))
                return
            self._form.fields.setdefault(
                name, Field(name, kind, a.get("value", ""), [a.get("value", "on")])
            )
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._add_submit(name, a.get("value", ""))
        elif tag == "select":
            self._select = Field(name, "select", multiple="multiple" in a)
            self._form.fields.setdefault(name, self._select)
        elif tag == "textarea":
            self._textarea = Field(name, "textarea")
            self._form.fields.setdefault(name, self._textarea)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def _add_submit(self, name, value):
        """A named submit button: sent with its value, as when it is the one clicked."""
        existing = self._form.fields.setdefault(name, Field(name, "submit", value, []))
        existing.options.append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def read_form(html, method="post"):
    """The page's main form of that method: the one with the most fields."""
    parser = _FormParser()
    parser.feed(html)
    forms = [f for f in parser.forms if f.method == method]
    assert forms, f"no {method} form on the page"
    return max(forms, key=lambda f: len(f.fields))


def _plausible(f: Field):
    name = f.name.lower()
    if f.kind == "select":
        options = [o for o in f.options if o != ""] or [""]
        if f.multiple:
            return st.lists(st.sampled_from(options), max_size=3, unique=True)
        return st.sampled_from(options)
    if f.kind in {"checkbox", "radio", "submit"}:
        return st.sampled_from(f.options)
    if f.kind == "hidden":
        return st.just(f.value)
    if f.kind == "file":
        return uploads()
    if f.kind == "number" or name.endswith(("hours", "attendees", "latitude", "longitude")):
        return st.one_of(st.integers(-5, 2000).map(str), st.decimals(-200, 200, places=2).map(str))
    if f.kind == "date" or "date" in name or name.endswith(("_on", "_0", "after", "before")):
        return st.dates().map(lambda d: d.isoformat())
    if name.endswith("_1"):  # the time half of a split date/time
        return st.times().map(lambda t: t.isoformat(timespec="seconds"))
    if "slug" in name:
        return st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,30}\Z")
    if f.kind == "email" or "email" in name:
        return st.emails()
    if f.kind == "url" or name.endswith(("url", "website")):
        return st.sampled_from(["https://example.org/", "http://a.b/c?d=e", "javascript:alert(1)"])
    if f.kind == "password" or "password" in name:
        return st.sampled_from(["a-Long-passw0rd!", "x", ""])
    return plausible_text


def field_value(f: Field):
    """A value for one field: plausible (most often), hostile, duplicated, or missing (None)."""
    plausible = _plausible(f)
    bad = uploads() if f.kind == "file" else hostile
    return st.one_of(
        plausible,
        plausible,
        plausible,
        bad,
        st.lists(st.one_of(plausible, bad), min_size=2, max_size=3),
        st.none(),
    )


def form_data(form: Form, *, keep=()):
    """A dict of field name -> value (or list of values) for ``form``; names in ``keep`` keep
    their rendered value (a hidden field that must stay, like the login's ``next``)."""
    values = {}
    for name, f in form.fields.items():
        values[name] = st.just(f.value) if name in keep else field_value(f)
    extra = st.dictionaries(
        st.sampled_from(["x", "id", "pk", "_save", "csrfmiddlewaretoken", "é\x00"])
        | st.text(max_size=8),
        hostile,
        max_size=2,
    )
    return st.builds(
        lambda fixed, more: {**more, **{k: v for k, v in fixed.items() if v is not None}},
        st.fixed_dictionaries(values),
        extra,
    )


def query_data(form: Form):
    """Query-string parameters for a GET filter form: its fields plus page and sort."""
    fields = dict(form.fields)
    for name in ("page", "sort", "q"):
        fields.setdefault(name, Field(name, "text"))
    return form_data(Form("get", form.action, fields))


def flatten(data):
    """Files rewound, so a value drawn once can be posted again when Hypothesis shrinks."""
    for value in data.values():
        for item in value if isinstance(value, list) else [value]:
            if hasattr(item, "seek"):
                item.seek(0)
    return data
