"""BibTeX field values as Unicode text: LaTeX decoded by pylatexenc, with a few additions of our own.

Only the fields a reference prints are decoded (`medsite.bibliography.csl_json` asks for them), so a
`\\href{...%...}` in a note, or a Zotero abstract, costs nothing and cannot fail. URL-like fields are never
decoded (a `%` in a URL is not a LaTeX comment). The additions to pylatexenc:
- most values hold no LaTeX beyond braces and dashes, so they skip pylatexenc (half a millisecond a value);
- super- and subscripted digits (`mg/m$^2$`, `$^{177}$Lu`, `\\textsuperscript{2}`) become Unicode
  ("mg/m²"), the project's choice; other scripts (`HbA$_{1c}$`) and `\\emph`/`\\textit`/`\\textbf` become
  markup, carried through citeproc as private-use characters (`MARKUP`) and turned into tags after it;
- `\\enquote{...}` and LaTeX's single quotes (`` `x' ``) become curly quotes; `\\textless`/`\\textgreater`
  become < and >, which pylatexenc drops.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

# Private-use characters standing for markup inside field values, until the formatted HTML is made.
MARKUP = {"i": ("\ue000", "\ue001"), "b": ("\ue002", "\ue003"), "sub": ("\ue004", "\ue005"),
          "sup": ("\ue006", "\ue007")}
_TO_TAG = {mark: f"<{'/' if index else ''}{tag}>" for tag, marks in MARKUP.items()
           for index, mark in enumerate(marks)}
_MARK = re.compile("[\ue000-\ue007]")

# Without these, pylatexenc only drops braces and turns -- and --- into dashes, which str methods do faster.
_NEEDS_PYLATEXENC = re.compile(r"[\\$%~&`]|''")
_COMMAND = re.compile(r"\\(?P<name>emph|textit|textsl|mkbibemph|mkbibitalic|textbf|mkbibbold|textsubscript"
                      r"|textsuperscript|enquote|mkbibquote)\s*\{(?P<argument>[^{}]*)\}")
_COMMAND_MARKUP = {"emph": "i", "textit": "i", "textsl": "i", "mkbibemph": "i", "mkbibitalic": "i",
                   "textbf": "b", "mkbibbold": "b", "textsubscript": "sub", "textsuperscript": "sup"}
_MATH = re.compile(r"(?<!\\)\$(?P<math>[^$]+)\$")
_MATH_SCRIPT = re.compile(r"(?P<mark>[\^_])(?:\{(?P<braced>[^{}]*)\}|(?P<single>\\[A-Za-z]+|[^\s{}\\]))")
_SINGLE_QUOTES = re.compile(r"`(?!`)(?P<quoted>[^`']*)'(?!')")
_SYMBOLS = {"\\textless": "<", "\\textgreater": ">"}
_SYMBOL = re.compile(r"\\(?:textless|textgreater)(?![A-Za-z])(?:\{\})?\s*")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")  # O'Neil → O’Neil, as pandoc prints it
_BARE_AMPERSAND = re.compile(r"(?<!\\)&")  # LaTeX's column separator; in a title it means "and"
_UNICODE_SCRIPT = "0123456789+-=()"
_SUPERSCRIPT = str.maketrans(_UNICODE_SCRIPT, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SUBSCRIPT = str.maketrans(_UNICODE_SCRIPT, "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_DECODER = LatexNodes2Text(math_mode="text")


class LatexError(ValueError):
    """A value pylatexenc cannot read (an unbalanced brace, a `%` cutting a command short, ...)."""


def _script(superscript: bool, content: str) -> str:
    if content and all(character in _UNICODE_SCRIPT for character in content):
        return content.translate(_SUPERSCRIPT if superscript else _SUBSCRIPT)
    opening, closing = MARKUP["sup" if superscript else "sub"]
    return f"{opening}{content}{closing}"


def _math(match: re.Match[str]) -> str:
    """Scripts inside `$...$` as Unicode digits or markup; the rest stays math for pylatexenc."""
    def script(inner: re.Match[str]) -> str:
        content = inner.group("braced") if inner.group("braced") is not None else inner.group("single")
        return "$" + _script(inner.group("mark") == "^", content) + "$"

    return "$" + _MATH_SCRIPT.sub(script, match.group("math")) + "$"


def _command(match: re.Match[str]) -> str:
    name, argument = match.group("name"), match.group("argument")
    if name in ("enquote", "mkbibquote"):
        return f"\u201c{argument}\u201d"
    if name in ("textsubscript", "textsuperscript"):
        return _script(name == "textsuperscript", argument)
    opening, closing = MARKUP[_COMMAND_MARKUP[name]]
    return f"{opening}{argument}{closing}"


def plain(value: str) -> str:
    """Whitespace collapsed to single spaces, as a field value is printed."""
    return " ".join(value.split())


def _fast(value: str) -> str:
    return value.replace("---", "\u2014").replace("--", "\u2013").replace("{", "").replace("}", "")


@lru_cache(maxsize=65536)  # journal names, publishers and author names repeat across a bibliography
def decode(value: str) -> str:
    """A field value (LaTeX) as Unicode text with `MARKUP` characters; raises LatexError."""
    value = _COMMAND.sub(_command, value)
    value = _MATH.sub(_math, value).replace("$$", "")
    if not _NEEDS_PYLATEXENC.search(value):
        return _APOSTROPHE.sub("\u2019", plain(_fast(value)))
    value = _SYMBOL.sub(lambda match: _SYMBOLS[match.group(0).split("{")[0].strip()], value)
    value = _SINGLE_QUOTES.sub("\u2018\\g<quoted>\u2019", value)
    try:
        text = _DECODER.latex_to_text(_BARE_AMPERSAND.sub(r"\\&", value))
    except Exception as error:  # pylatexenc's tolerant parser fails in many ways on odd input
        raise LatexError(str(error) or type(error).__name__) from error
    return _APOSTROPHE.sub("\u2019", plain(text))


def markup_to_html(escaped: str) -> str:
    """HTML from text holding `MARKUP` characters (the rest already escaped); unpaired marks are dropped."""
    if not _MARK.search(escaped):
        return escaped
    for opening, closing in MARKUP.values():
        if escaped.count(opening) != escaped.count(closing):
            escaped = escaped.replace(opening, "").replace(closing, "")
    return _MARK.sub(lambda match: _TO_TAG[match.group(0)], escaped)


def without_markup(text: str) -> str:
    """`text` without the markup marks the decoder left in it."""
    return _MARK.sub("", text)
