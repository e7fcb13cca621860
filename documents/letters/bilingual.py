"""Bilingual letters: the Chinese text, which is the operative one, with its English translation.

A merchant who reads English still files in Chinese: every body the ladder writes
to reads Chinese. A bilingual letter (``Document.Language.BILINGUAL``) is the
letter rendered twice from the same records and template, once in Chinese and
once in English, then composed paragraph by paragraph: each English paragraph
(``lang="en"``, class ``en``: smaller, muted) right under the Chinese paragraph
it translates; a heading, a list item or a table cell holds its English under
its Chinese. The document itself is Chinese (``<html lang="zh-CN">``), and its
first line says, in both languages, that the Chinese text is the operative one.

Both renders come from one template and one set of records, so their elements
match one for one; ``compose`` checks that they do (same tag, same class, same
number of children, all the way down) before it pairs them. Should they ever
not match, no paragraph is paired with a stranger's translation: the whole
English text follows the Chinese one as a separate translation instead.
"""

import copy
import logging

from django.utils import translation
from lxml import html as lxml_html

from cases.models import china_today
from documents.letters.context import letter_context
from documents.letters.render import render_html
from documents.models import Document

logger = logging.getLogger(__name__)

ZH_HANS = Document.Language.ZH_HANS
EN = Document.Language.EN
BILINGUAL = Document.Language.BILINGUAL
# The languages a merchant may ask for, as the wizard and the preview offer them: each language by its own
# name, as the language menu names them, short enough for the three to share one line on a phone. English
# alone is a reference translation (the letter says so): the Chinese text is the one filed.
CHOICES = [
    (ZH_HANS, "中文"),
    (BILINGUAL, "中文 + English"),
    (EN, "English"),
]

# Stated in each language whatever the reader's: the Chinese line is what the recipient reads.
OPERATIVE_NOTE = {
    ZH_HANS: "本文书以中文文本为准，英文译文仅供参考。",
    EN: "The Chinese text is the operative text; the English translation is for reference only.",
}

# Elements whose own text is translated as one piece: a paragraph, a heading, a list item, a table cell.
PIECES = {"p", "h1", "h2", "h3", "h4", "li", "td", "th", "caption", "dt", "dd"}
# Elements that only hold other elements: they are walked, not translated.
HOLDERS = {"div", "section", "ol", "ul", "dl", "table", "thead", "tbody", "tfoot", "tr"}
HEADINGS = {"h1", "h2", "h3", "h4"}
# A paragraph's translation is a paragraph after it; any other piece holds its translation inside, under its text.
BESIDE = {"p"}


class Unpaired(ValueError):
    """The Chinese and the English renders do not match element for element."""


def is_bilingual(language):
    return language == BILINGUAL


def text_language(language):
    """The language the letter's records are built in: a bilingual letter's operative text is Chinese."""
    return ZH_HANS if is_bilingual(language) else language


def default_language(case):
    """The letter language a case's owner gets unless they choose: bilingual for a merchant who reads English.

    The profile belongs to accounts, above documents: it is reached through the owner, not imported.
    """
    profile = getattr(case.owner, "profile", None)
    return BILINGUAL if profile is not None and profile.language == EN else ZH_HANS


def letter_html(case, letter, language, *, for_pdf=False, request=None, extra=None, today=None):
    """The letter's HTML in ``language``: Chinese, English, or both (``BILINGUAL``), from the case as it is now."""
    template = letter.template_for(case)
    extra = extra or {}
    if not is_bilingual(language):
        context = {**letter_context(case, letter, language, today=today), **extra}
        return render_html(template, context, language, for_pdf=for_pdf, request=request)
    today = today or china_today()
    renders = {}
    for part in (ZH_HANS, EN):
        context = {
            **letter_context(case, letter, part, today=today),
            **extra,
            "bilingual": True,
            "operative_note": OPERATIVE_NOTE[part],
            "issue_language": BILINGUAL,
        }
        renders[part] = render_html(template, context, part, for_pdf=for_pdf, request=request)
    # The merchant previewing reads the bar in their own language. Without a request (a review's copy, its
    # content hash) the letter never depends on who is reading: the bar stays the Chinese render's.
    reader = EN if request is not None and (translation.get_language() or "").startswith("en") else ZH_HANS
    return compose(renders[ZH_HANS], renders[EN], preview_bar_from=reader)


def compose(chinese, english, preview_bar_from=ZH_HANS):
    """One document from a letter's Chinese and English renders: the Chinese, each piece with its translation.

    The preview bar (on screen only) is taken from the render in the reader's language.
    """
    document = parse(chinese)
    translated = parse(english)
    try:
        pair(sheet_of(document), sheet_of(translated))
    except Unpaired as reason:
        logger.warning("Bilingual letter not paired piece by piece (%s): the translation follows the text.", reason)
        document = parse(chinese)
        append_translation(sheet_of(document), sheet_of(translated))
    if preview_bar_from == EN:
        swap_preview_bar(document, translated)
    return lxml_html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")


def parse(html):
    return lxml_html.document_fromstring(html)


def sheet_of(document):
    sheets = document.find_class("sheet")
    if len(sheets) != 1:
        raise ValueError("a letter has one sheet")
    return sheets[0]


def elements(parent):
    """The element children of ``parent`` (comments and processing instructions left out)."""
    return [child for child in parent if isinstance(child.tag, str)]


def words(element):
    return " ".join(element.text_content().split())


def own_text(element):
    """Text directly inside ``element`` or after its children, not in them."""
    return "".join([element.text or "", *(child.tail or "" for child in element)]).strip()


def pair(chinese, english):
    """Put each English piece with the Chinese piece it translates, walking both trees in step."""
    if chinese.tag != english.tag or chinese.get("class") != english.get("class"):
        raise Unpaired(f"<{chinese.tag} {chinese.get('class')!r}> beside <{english.tag} {english.get('class')!r}>")
    if chinese.tag in PIECES:
        for element in (chinese, english):
            inner = [child.tag for child in element.iterdescendants() if child.tag in PIECES | HOLDERS]
            if inner:
                raise Unpaired(f"<{element.tag}> holds <{inner[0]}>")
        translate(chinese, english)
        return
    children, counterparts = elements(chinese), elements(english)
    if len(children) != len(counterparts):
        raise Unpaired(f"<{chinese.tag}> holds {len(children)} elements, its translation {len(counterparts)}")
    if chinese.tag not in HOLDERS:
        if words(chinese) or words(english):
            raise Unpaired(f"<{chinese.tag}> is neither a piece of text nor a holder of pieces")
        return  # an empty element (a rule, a break): nothing to translate
    if own_text(chinese) or own_text(english):
        raise Unpaired(f"<{chinese.tag}> holds text outside its pieces")
    for child, counterpart in zip(children, counterparts, strict=True):
        pair(child, counterpart)


def translate(chinese, english):
    """Add ``english``, the translation of the piece ``chinese``, to the document: after it, or inside under its text.

    A piece that reads the same in both (an amount, a name) is not repeated.
    """
    if words(chinese) == words(english):
        return
    translation_of = copy.deepcopy(english)
    for blank in translation_of.find_class("blank") + translation_of.find_class("blank-short"):
        blank.drop_tree()  # the line to write on is the Chinese one's
    translation_of.tail = None
    if chinese.tag in BESIDE:
        translation_of.set("class", " ".join(filter(None, [english.get("class"), "en"])))
        translation_of.set("lang", "en")
        translation_of.tail = chinese.tail
        chinese.tail = None
        chinese.addnext(translation_of)
        return
    if chinese.tag in HEADINGS:  # the PDF's bookmark: both, apart (base.html)
        chinese.set("data-bookmark", f"{words(chinese)} / {words(english)}")
    inside = lxml_html.Element("span", {"class": "en", "lang": "en"})
    inside.text = translation_of.text
    for child in list(translation_of):
        inside.append(child)
    chinese.append(inside)


def append_translation(chinese, english):
    """The whole English text after the Chinese one, on a page of its own (when pieces cannot be paired)."""
    section = lxml_html.Element("section", {"class": "page-break translation", "lang": "en"})
    for child in elements(english):
        if "operative-note" not in (child.get("class") or ""):
            section.append(copy.deepcopy(child))
    chinese.append(section)


def swap_preview_bar(document, translated):
    """Show the on-screen preview bar in English (the Chinese render's bar says the same in Chinese)."""
    bars = document.find_class("preview-bar")
    english = translated.find_class("preview-bar")
    if bars and english:
        bar = copy.deepcopy(english[0])
        bar.set("lang", "en")
        bar.tail = bars[0].tail
        bars[0].getparent().replace(bars[0], bar)
