"""Indonesian everywhere: every text a resident or a staff member can see goes through the catalogue.

- The messages Django's `makemessages` extracts from the code and templates all have an Indonesian
  translation (ours in locale/, or Django's own for the admin's words), none empty, none fuzzy.
- The committed catalogue is what scripts/compile_messages.sh makes of the fragments (po and mo in step).
- No user-facing string is left unmarked where a scan can find it: template text outside
  {% translate %}/{% blocktranslate %}, and plain literals in messages, ValidationError, verbose_name,
  help_text, label, description and short_description.
- No doubled word in the Indonesian ("paket Paket Harian"), in the catalogue or in the WhatsApp texts as
  they are sent.

The extraction needs GNU gettext (xgettext, msgcat, msgfmt); without it those tests skip and say so.
"""

import datetime
import inspect
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "billing", "core", "lpsaring", "portal", "quota", "routers", "sites")
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
GETTEXT = all(shutil.which(tool) for tool in ("xgettext", "msgcat", "msgfmt", "msguniq"))
needs_gettext = pytest.mark.skipif(
    not GETTEXT, reason="GNU gettext tools are not installed (apt-get install gettext in the test set-up)"
)

# Words that are the same in Indonesian, names and units: allowed as plain template text.
PLAIN_TEXT_ALLOWED = {
    "colM",
    "lpsaring",
    "Rp",
    "MAC",
    "Android",
    "iPhone (iOS)",
    "iPhone (iOS",
    "&rsaquo;",
    "GB",
    "MB",
    "WhatsApp",
}


def po_entries(text: str) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), flags. Enough for our files."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        fields, flags, current = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = _unquote(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += _unquote(line.strip()[1:-1])
        if "msgid" not in fields:
            continue
        msgstr = [value for key, value in sorted(fields.items()) if key.startswith("msgstr")]
        entries.append(
            {
                "msgctxt": fields.get("msgctxt"),
                "msgid": fields["msgid"],
                "msgid_plural": fields.get("msgid_plural"),
                "msgstr": msgstr,
                "fuzzy": "fuzzy" in flags,
            }
        )
    return entries


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), value)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A fresh extraction of every message in the code, made with Django's makemessages in a scratch
    directory (symlinks to the apps and templates, so nothing in the project is written)."""
    if not GETTEXT:
        pytest.skip("GNU gettext tools are not installed (apt-get install gettext in the test set-up)")
    scratch = tmp_path_factory.mktemp("messages")
    for name in (*APPS, "templates"):
        (scratch / name).symlink_to(ROOT / name)
    locale = scratch / "locale"
    locale.mkdir()
    previous = Path.cwd()
    try:
        import os

        os.chdir(scratch)
        with translation.override(None):
            settings_locale = settings.LOCALE_PATHS
            settings.LOCALE_PATHS = [str(locale)]
            try:
                call_command("makemessages", locale=["id"], symlinks=True, verbosity=0, no_obsolete=True)
            finally:
                settings.LOCALE_PATHS = settings_locale
    finally:
        os.chdir(previous)
    return po_entries((locale / "id" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))


@needs_gettext
def test_every_message_in_the_code_has_an_indonesian_translation(extracted):
    catalog = trans_real.translation("id")._catalog  # ours merged with Django's own (the admin's words)
    missing = []
    for entry in extracted:
        if not entry["msgid"]:
            continue
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"]:
            key = (key, 0)
        if key not in catalog or not catalog[key]:
            missing.append(entry["msgid"])
    assert missing == [], f"add these {missing} to locale/fragments/*.po and run scripts/compile_messages.sh"


def test_the_catalogue_has_no_untranslated_or_fuzzy_entry():
    problems = []
    for path in sorted((ROOT / "locale").rglob("*.po")):
        for entry in po_entries(path.read_text(encoding="utf-8")):
            if not entry["msgid"]:
                continue  # the header
            if entry["fuzzy"] or not all(entry["msgstr"]):
                problems.append(f"{path.relative_to(ROOT)}: {entry['msgid'][:60]}")
    assert problems == []


@needs_gettext
def test_the_committed_catalogue_is_compiled_from_the_fragments(tmp_path):
    """scripts/compile_messages.sh's output for the fragments equals the committed django.po and .mo."""
    merged, compiled = tmp_path / "django.po", tmp_path / "django.mo"
    fragments = sorted(str(p) for p in (ROOT / "locale" / "fragments").glob("*.po"))
    subprocess.run(["msgcat", "--use-first", "--sort-output", "-o", str(merged), *fragments], check=True)
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(merged)], check=True)
    assert merged.read_text(encoding="utf-8") == CATALOGUE.read_text(encoding="utf-8"), (
        "run scripts/compile_messages.sh"
    )
    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes(), (
        "run scripts/compile_messages.sh"
    )


# -- unmarked strings ---------------------------------------------------------------------------------
PY_UNMARKED = [
    re.compile(r"messages\.(?:success|error|warning|info)\(\s*request,\s*f?[\"'][A-Za-z]"),
    re.compile(r"message_user\(\s*request,\s*f?[\"'][A-Za-z]"),
    re.compile(r"ValidationError\(\s*f?[\"'][A-Za-z]"),
    re.compile(
        r"\b(?:verbose_name(?:_plural)?|help_text|label|short_description|description|empty_value_display"
        r"|site_header|site_title|index_title)\s*=\s*f?[\"'][A-Za-z]"
    ),
    re.compile(r"\b(?:title|message)\s*:\s*f?[\"'][A-Z][a-z]+ [a-z]"),  # "title": "Some words" in a context
]
# Python names that are not text for people (a client's label is a log prefix).
PY_ALLOWED = {("routers/client.py", 'label = "router"')}


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts)
            if parts & {"tests", "migrations", "testing"}:
                continue
            yield path


def test_no_unmarked_user_facing_string_in_python():
    found = []
    for path in _python_files():
        relative = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            marked = "gettext" in line or any(relative == at and text in line for at, text in PY_ALLOWED)
            if not marked and any(pattern.search(line) for pattern in PY_UNMARKED):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
TRANSLATED_BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
STYLE_BLOCK = re.compile(r"{%\s*block style\s*%}.*?{%\s*endblock\s*%}", re.S)
READ_ATTRIBUTE = re.compile(r"\b(?:title|alt|placeholder|aria-label)=\"([^\"{]*)\"")


def template_plain_text(source: str) -> list[str]:
    """Text a browser would show that is not inside a translation tag or a variable."""
    text = TRANSLATED_BLOCK.sub(" ", source)
    text = STYLE_BLOCK.sub(" ", text)
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", text, flags=re.S)
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    found = [value for value in READ_ATTRIBUTE.findall(text) if re.search(r"[A-Za-z]{2}", value)]
    text = TEMPLATE_TAG.sub("  ", text).replace("&nbsp;", " ")
    text = re.sub(r"<[^>]*>", "  ", text)
    for piece in re.split(r"\s{2,}|\n", text):
        piece = piece.strip(" ()·:-/,.")
        if re.search(r"[A-Za-z]{2}", piece) and piece not in PLAIN_TEXT_ALLOWED:
            found.append(piece)
    return found


def test_no_plain_text_in_templates():
    found = []
    templates = [*(ROOT / "templates").rglob("*.html")]
    for app in APPS:
        templates += (ROOT / app).rglob("templates/**/*.html")
    for path in sorted(templates):
        found += [f"{path.relative_to(ROOT)}: {text!r}" for text in template_plain_text(path.read_text())]
    assert found == []


def test_the_template_scan_sees_plain_text():
    assert template_plain_text("<p>Hello there</p>{% translate 'Fine' %}") == ["Hello there"]
    assert template_plain_text('<a aria-label="Open it">{% translate "x" %}</a>') == ["Open it"]
    assert template_plain_text("{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}") == []


# -- doubled words -------------------------------------------------------------------------------------
DOUBLED = re.compile(r"\b(\w{2,})\s+\1\b", re.I | re.U)


def doubled_words(text: str) -> list[str]:
    text = re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}|%[sd]", " ", text)
    return [match.group(0) for match in DOUBLED.finditer(text)]


def test_doubled_words_are_found():
    assert doubled_words("diterima: paket Paket Harian") == ["paket Paket"]
    assert doubled_words("sisa 2 GB dari 3 GB") == []


def test_no_doubled_word_in_the_indonesian_catalogue():
    found = []
    for entry in po_entries(CATALOGUE.read_text(encoding="utf-8")):
        for text in entry["msgstr"]:
            found += doubled_words(text)
    assert found == []


SAMPLE_ARGUMENTS = {
    "code": "123456",
    "minutes": 5,
    "name": "Budi Santoso",
    "remaining_bytes": 3 * 1024**3,
    "amount_bytes": 2 * 1024**3,
    "quota_bytes": 10 * 1024**3,
    "reason": "Kuota awal",
    "status_label": "Aktif",
    "order_id": "BD-LPSR-ABC123",
    "package": "Paket Harian",
    "amount": 25000,
    "price": 20000,
    "due": datetime.date(2026, 3, 31),
    "overdue": True,
    "hours": 72,
    "debt_bytes": 800 * 1024**2,
    "limit_bytes": 1000 * 1024**2,
    "number": "INV/UTAMA/2026/000001",
    "url": "https://wifi.example/billing/receipt/x/",
    "user": "Budi Santoso (+6281234567890)",
    "status": "settlement",
    "note": "dibayar setelah masa tenggang",
    "what": "5,00 GB selama 7 hari",
    "days": 3,
    "unlimited_ended": True,
}


def test_the_whatsapp_texts_read_well_in_indonesian():
    """Every text in core/whatsapp/texts.py, built as it is sent, is Indonesian without doubled words."""
    from core.whatsapp import texts

    expires = timezone.make_aware(datetime.datetime(2026, 12, 2, 14, 5))
    built = {}
    with translation.override("id"):
        for name, function in inspect.getmembers(texts, inspect.isfunction):
            if function.__module__ != texts.__name__ or name.startswith("_"):
                continue
            parameters = inspect.signature(function).parameters
            arguments = {p: expires if p == "expires_at" else SAMPLE_ARGUMENTS[p] for p in parameters}
            built[name] = function(**arguments)
    assert built, "no WhatsApp texts found"
    assert {name: doubled_words(text) for name, text in built.items() if doubled_words(text)} == {}
    english = re.compile(r"\b(?:the|your|has|been|you|with|please|package|quota|payment)\b", re.I)
    assert {name: text for name, text in built.items() if english.search(text)} == {}
