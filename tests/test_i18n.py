"""Chinese first, English complete: every message translated, every template string marked, choice remembered."""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
CATALOGUES = [ROOT / "locale" / language / "LC_MESSAGES" / "django.po" for language in ("zh_Hans", "en")]


def po_entries(path):
    """(msgctxt, msgid, msgstr values, flags) for every entry of a .po file (a small parser for our files)."""
    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and (current["msgid"] or current["msgctxt"]):
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"msgctxt": "", "msgid": "", "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line):
            key, text = match.groups()
            if key.startswith("msgstr"):
                current["msgstr"][key] = text
            else:
                current[key] = current.get(key, "") + text
        elif line.startswith('"') and key:
            text = line[1:-1]
            if key.startswith("msgstr"):
                current["msgstr"][key] += text
            else:
                current[key] += text
    return entries


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=["zh_Hans", "en"])
def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    entries = po_entries(catalogue)
    assert len(entries) > 500
    untranslated = [entry["msgid"] for entry in entries if not all(entry["msgstr"].values())]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_catalogues_hold_every_string_in_the_code(tmp_path):
    """Run makemessages on a copy of the project: it must find nothing the catalogues lack."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__", "artifacts", "*.mo")
    shutil.copytree(ROOT, copy, ignore=ignore)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--add-location",
            "file",
            "--ignore",
            ".venv",
            "--ignore",
            "var",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "DEBUG": "1"},
    )
    fresh = {(entry["msgctxt"], entry["msgid"]) for entry in po_entries(copy / "locale/zh_Hans/LC_MESSAGES/django.po")}
    committed = {(entry["msgctxt"], entry["msgid"]) for entry in po_entries(CATALOGUES[0])}
    assert sorted(fresh - committed) == []


LETTERS = re.compile(r"[A-Za-z\u4e00-\u9fff]")


class VisibleText(HTMLParser):
    """Collect text outside tags, script and style (template tags already stripped)."""

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.chunks = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skip += 1
        for name, value in attrs:
            if name in {"title", "aria-label", "placeholder", "alt"} and value and LETTERS.search(value):
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)


TRANSLATED_BLOCK = re.compile(r"{%\s*blocktranslate.*?%}.*?{%\s*endblocktranslate\s*%}", re.S)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
# Autonyms in the language menu and the site's Chinese name in the page footer of letters are deliberate.
ALLOWED = {"简体中文", "English"}


def unmarked_text(source):
    source = COMMENT_BLOCK.sub(" ", source)
    source = TRANSLATED_BLOCK.sub(" ", source)
    source = TAG.sub(" ", source)
    parser = VisibleText()
    parser.feed(source)
    found = []
    for chunk in parser.chunks:
        for piece in re.split(r"\s{2,}|\n", chunk):
            piece = piece.strip()
            if LETTERS.search(piece) and piece not in ALLOWED:
                found.append(piece)
    return found


def template_files():
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            yield path


@pytest.mark.parametrize("path", list(template_files()), ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_every_template_string_is_marked_for_translation(path):
    assert unmarked_text(path.read_text(encoding="utf-8")) == []


def test_the_unmarked_text_check_catches_a_forgotten_string():
    assert unmarked_text("<p>{% translate 'Fine' %}</p><p>Forgotten</p><span>{{ value }}</span>") == ["Forgotten"]
    assert unmarked_text("<p>{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}</p>") == []
    assert unmarked_text('<button aria-label="忘了翻译">x</button>') == ["忘了翻译", "x"]


@pytest.mark.django_db
def test_the_language_choice_is_remembered_per_user(client, ladder):
    from django.test import Client

    from tests.factories import merchant

    user = merchant("owner@example.com")
    client.force_login(user)
    assert "我的案件" in client.get("/cases/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    user.profile.refresh_from_db()
    assert user.profile.language == "en"
    # Another device, a Chinese browser: the profile's English wins after login.
    other = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    other.post("/accounts/login/", {"username": "owner@example.com", "password": "correct horse battery staple"})
    assert "My cases" in other.get("/cases/").content.decode()


@pytest.mark.django_db
def test_the_switcher_is_on_every_page(client, ladder):
    for url in ["/", "/ladder/", "/accounts/login/", "/accounts/signup/", "/accounts/password-reset/"]:
        assert 'action="/i18n/setlang/"' in client.get(url).content.decode(), url


def test_compiled_catalogues_exist():
    call_command("compilemessages", "--ignore", ".venv", verbosity=0)
    for catalogue in CATALOGUES:
        assert catalogue.with_suffix(".mo").exists()


def test_password_rules_speak_chinese():
    """Django's own catalogue lags its code (5.2's length message): every rule a merchant meets reads in Chinese."""
    from django.contrib.auth.password_validation import get_default_password_validators
    from django.utils import translation

    han = re.compile("[\u4e00-\u9fff]")
    with translation.override("zh-hans"):
        for validator in get_default_password_validators():
            texts = [validator.get_help_text()]
            if hasattr(validator, "get_error_message"):
                texts.append(validator.get_error_message())
            for text in texts:
                assert han.search(str(text)), f"{type(validator).__name__}: {text}"
