"""The message catalogue (core/messages.py): every Dutch text of the screens comes from ``NL``
through ``t("key")``, so that English can follow by adding a second dict.

Read from the source files, not from rendered pages: every key the screens ask for exists, no key
is left that nothing asks for, and the templates hold no words of their own outside ``t()``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.messages import NL, t
from tests.conftest import ROOT

#: What the screens are made of: every template of the web app and the core modules, and the
#: Python of the editor and of the media screen.
TEMPLATES = sorted([*(ROOT / "web").rglob("*.html"), *(ROOT / "core").rglob("*.html"), *(ROOT / "plugins").rglob("*.html")])
PYTHON = sorted([*(ROOT / "web" / "editor").rglob("*.py"), *(ROOT / "core" / "media").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")])
SOURCES = TEMPLATES + PYTHON

#: Keys put together while the page is made: the literal start of the key, and what completes it.
DYNAMIC_PREFIXES = {
    "field.": "a plugin's field label by its API name: t('field.' + key) in web/editor/forms.py",
    "content.status.": "an item's status (draft, published, unpublished, withdrawn): t('content.status.' + item.status)",
}

#: Keys that are in the catalogue although no screen shows them (yet); kept, not removed.
RESERVED = {
    "nav.content": "menu heading for the content types; the menu lists the types themselves",
    "field.yes": "the word for a ticked checkbox",
}

#: Templates that are not screens of the editor and keep their own words: the API reference is
#: generated from the OpenAPI document by web/apidocs.py and has its own wording.
OWN_WORDS = {"web/templates/apidocs.html"}

#: ``t("key")`` or ``t('key')`` with the key as the whole argument, or followed by its values.
LITERAL_CALL = re.compile(r"""\bt\(\s*(["'])([^"'\s]+)\1\s*[,)]""")
#: ``t("start." + rest)`` (Python, Jinja) or ``t("start." ~ rest)`` (Jinja).
PREFIX_CALL = re.compile(r"""\bt\(\s*(["'])([^"'\s]+)\1\s*[+~]""")
ANY_CALL = re.compile(r"\bt\(")


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _used_keys() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for path in SOURCES:
        for match in LITERAL_CALL.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(match.group(2), []).append(_relative(path))
    return used


def test_the_sources_are_found():
    names = {_relative(path) for path in SOURCES}
    assert {"web/editor/templates/editor/base.html", "core/media/templates/media/library.html", "web/templates/afmelden.html"} <= names
    assert {"web/editor/helpdesk.py", "web/editor/people.py", "core/media/editor.py", "core/media/files.py"} <= names
    assert len(_used_keys()) > 300


def test_every_key_asked_for_is_in_the_catalogue():
    missing = {key: files for key, files in _used_keys().items() if key not in NL}
    assert not missing, f"t() asks for keys that core/messages.py does not have: {missing}"


def test_every_call_names_its_key():
    """So that the check for unused keys below sees every key: a key is written out in full, or
    starts with one of the documented prefixes."""
    problems = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for match in ANY_CALL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            literal = LITERAL_CALL.match(text, match.start())
            prefix = PREFIX_CALL.match(text, match.start())
            if literal:
                continue
            if prefix and prefix.group(2) in DYNAMIC_PREFIXES:
                continue
            problems.append(f"{_relative(path)}:{line}: {text[match.start():match.start() + 60]!r}")
    assert not problems, "t() with a key that is not written out (add the prefix to DYNAMIC_PREFIXES if it must be):\n" + "\n".join(problems)


def test_no_key_is_unused():
    used = set(_used_keys())
    unused = sorted(
        key for key in NL if key not in used and key not in RESERVED and not any(key.startswith(prefix) for prefix in DYNAMIC_PREFIXES)
    )
    assert not unused, f"keys in core/messages.py that no screen uses: {unused}"
    assert not set(RESERVED) - set(NL), "RESERVED names keys that are gone"
    for prefix in DYNAMIC_PREFIXES:
        assert any(key.startswith(prefix) for key in NL), prefix


def test_placeholders_are_named():
    """A value's placeholders are ``{name}``: filled with t("key", name=…), in any order in another language."""
    for key, text in NL.items():
        for field in re.findall(r"{([^{}]*)}", text):
            assert re.fullmatch(r"[a-z_]+", field), f"{key}: {{{field}}}"


def test_t_fills_in_the_values():
    assert t("content.page", page=2, pages=5) == "Pagina 2 van 5"
    assert t("no.such.key") == "no.such.key"
    # Texts without values are returned as they are, so that a template can find its {placeholder}.
    assert "{link}" in t("question.faq_draft")


# The templates hold no words of their own


JINJA = re.compile(r"{#.*?#}|{{.*?}}|{%.*?%}", re.DOTALL)
VERBATIM = re.compile(r"<(code|pre|script|style)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
#: An attribute, in a tag or (in a macro or {% set %} that builds attributes) outside one.
ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
#: The attributes whose values people read or hear: checked like text.
SPOKEN = {"aria-label", "title", "alt", "placeholder"}
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|\w+);", re.IGNORECASE)
LETTER = re.compile(r"[^\W\d_]+")


def words_outside_t(source: str) -> list[str]:
    """The words a template shows that do not come from ``{{ … }}`` (so not from the catalogue):
    its text and its spoken attributes, without Jinja, tags, entities, and code or script."""
    text = JINJA.sub("", source)
    text = VERBATIM.sub("", text)
    spoken: list[str] = []

    def attributes(fragment: str) -> str:
        for name, value in ATTRIBUTE.findall(fragment):
            if name.lower() in SPOKEN:
                spoken.append(value.strip("\"'"))
        return " "

    text = TAG.sub(lambda match: attributes(match.group(0)), text)
    text = ATTRIBUTE.sub(lambda match: attributes(match.group(0)), text)
    return LETTER.findall(ENTITY.sub(" ", " ".join([text, *spoken])))


@pytest.mark.parametrize("path", [p for p in TEMPLATES if _relative(p) not in OWN_WORDS], ids=_relative)
def test_a_template_has_no_words_outside_t(path):
    assert words_outside_t(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_words():
    assert words_outside_t('<p>Hallo {{ name }}</p>') == ["Hallo"]
    assert words_outside_t('<nav aria-label="Hoofdmenu"><a href="/x" class="menu">{{ t("nav.main") }}</a></nav>') == ["Hoofdmenu"]
    assert words_outside_t('<button aria-label="{{ t(\'a.b\') }}">{{ t("a.b") }}</button>') == []
    assert words_outside_t('<img src="x.png" alt="Een klas">') == ["Een", "klas"]
    assert words_outside_t('{% set x = {"a": "Nieuw"} %}<p>{{ x.a }} &amp; <code>Authorization: Bearer</code> · –</p>') == []
    assert words_outside_t('{%- macro aria() -%} aria-invalid="true"{%- endmacro -%}<p>{# Een opmerking #}UTC</p>') == ["UTC"]
