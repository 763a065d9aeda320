"""Reading grade of the text written for patients: `/// audience | patient` blocks on any page, and the
one-line answer and every section of an article whose `audience` is patient.

Health-literacy guidance asks for patient material at about the eighth-grade level or below, so a block
that reads above the project's grade (`extra.medsite.reading_grade`, default 8) is a warning in
`medsite check` with its line and score, and a row on the editorial dashboard. The score is textstat's
Flesch-Kincaid grade (sentence length and syllables per word) of the text a reader sees: Python-Markdown
renders the block, citations and evidence badges are dropped, code and tables are left out, and each
paragraph, list item and heading counts as a sentence. A drug's name is not the author's choice and a
defined abbreviation is explained on the page, so each drug name of data/synonyms.yml and each
abbreviation the page defines counts as a one-syllable word.

Scores are cached by content (in memory and under `.cache/medsite/`), so a build whose patient text did
not change neither renders it again nor loads textstat's pronouncing dictionary (about half a second).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from medsite.citations.syntax import CITATION_GROUP
from medsite.core import json_cache
from medsite.core.parallel import in_processes, workers_for
from medsite.core.problems import Problem
from medsite.extensions.grades import GRADE_PATTERN
from medsite.markdown.abbreviations import definitions
from medsite.markdown.prose import fenced_lines, source_lines
from medsite.model.project import Project
from medsite.model.settings import Settings
from medsite.model.sources import Source
from medsite.review.catalog import Catalog, load_catalog
from medsite.search.synonyms import load_synonyms

FORMULA = "Flesch-Kincaid"
SETTING = "reading_grade"
NEUTRAL_WORD = "name"  # what a drug name or defined abbreviation counts as: one word of one syllable
_CACHE_NAME = "readability.json"
_OPENER = re.compile(r"^[ \t]*(?P<fence>/{3,})[ \t]*audience[ \t]*(?:\|[ \t]*(?P<audience>[^\n]*?))?[ \t]*$",
                     re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_SKIPPED = frozenset({"pre", "code", "table", "script", "style", "kbd", "samp"})
_SENTENCES = frozenset({"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"})
_STASHED = re.compile("\x02[^\x03]*\x03")  # Python-Markdown's placeholders for raw HTML
_ENDS_SENTENCE = (".", "!", "?")
_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")  # the space a dropped citation left
_ANY_BLOCK = re.compile(r"/{3,}[ \t]*audience", re.IGNORECASE)
_CACHE_LIMIT = 20_000
_PARALLEL_CHUNK = 100  # files not yet scored, per process, from which scoring is spread over processes
_SEPARATOR = r"[\s\-\u2010\u2011]+"  # spaces and hyphens are interchangeable in names, as in the search


@dataclass(frozen=True)
class PatientText:
    """One piece of patient text: where it starts in its file, what it is, and the text a reader sees."""

    line: int  # 1-based, in the whole file (front matter included)
    kind: str  # "patient block" or "section"
    text: str


@dataclass(frozen=True)
class Score:
    """A piece of patient text with its reading grade."""

    path: str  # the file as problems name it
    src_uri: str | None  # docs-relative, for links from the dashboard
    line: int
    kind: str
    grade: float
    words: int


class _Dropped(InlineProcessor):
    """Citations and evidence badges are not words a reader reads as prose: they go."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        return "", m.start(0), m.end(0)


class _KeepTree(Treeprocessor):
    """Keeps the converted tree, so the text is read from elements rather than from HTML."""

    def run(self, root: etree.Element) -> None:
        self.md.medsite_tree = root  # type: ignore[attr-defined]


@cache
def _markdown() -> Markdown:
    md = Markdown(extensions=["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html",
                              "tables", "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"])
    md.inlinePatterns.register(_Dropped(CITATION_GROUP, md), "medsite_no_citations", 172)
    md.inlinePatterns.register(_Dropped(GRADE_PATTERN, md), "medsite_no_grades", 171)
    md.treeprocessors.register(_KeepTree(md), "medsite_keep_tree", 0)
    return md


def plain_text(markdown: str) -> str:
    """What a reader reads in `markdown`, one sentence at least per paragraph, item and heading."""
    md = _markdown()
    md.reset()
    md.convert(markdown)
    sentences: list[str] = []
    _collect(md.medsite_tree, sentences)  # type: ignore[attr-defined]
    return " ".join(sentences)


def _collect(element: etree.Element, sentences: list[str]) -> None:
    for child in element:
        if child.tag in _SKIPPED:
            continue
        if child.tag in _SENTENCES:
            text = _BEFORE_PUNCTUATION.sub(r"\1", " ".join(_STASHED.sub(" ", _inline_text(child)).split()))
            text = text.rstrip(":;,")
            if text:
                sentences.append(text if text.endswith(_ENDS_SENTENCE) else text + ".")
        _collect(child, sentences)


def _inline_text(element: etree.Element) -> str:
    """The element's own text, without the text of nested blocks (read as sentences of their own)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in _SKIPPED and child.tag not in _SENTENCES and not _is_container(child):
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_container(element: etree.Element) -> bool:
    return element.tag in ("ul", "ol", "dl", "div", "details", "blockquote", "table")


@dataclass(frozen=True)
class Answer:
    """An article's one-line answer (`description`) and the file line of its key."""

    line: int
    text: str


def patient_texts(source: str, *, patient_article: bool, answer: Answer | None = None) -> list[PatientText]:
    """The patient text of a Markdown file (front matter included, LF line endings): each
    `/// audience | patient` block, or, in an article for patients, its one-line answer (as the catalog read
    it: it heads the page, the lists and search, so a patient reads it first) and each section (a heading and
    the text up to the next heading) without the blocks written for other audiences. A block inside fenced
    code is code, not a block."""
    lines, expanded, front = source_lines(source)
    fenced = fenced_lines(expanded, front) if ("```" in source or "~~~" in source) else [False] * len(lines)
    blocks = _audience_blocks(lines, fenced, front)
    if not patient_article:
        return [PatientText(start + 1, "patient block", plain_text("\n".join(lines[start + 1:end])))
                for start, end, audience in blocks if audience == "patient"]
    texts = ([PatientText(answer.line, "one-line answer", text)]
             if answer is not None and (text := plain_text(answer.text)) else [])
    hidden = {index for start, end, audience in blocks
              for index in (range(start, end + 1) if audience != "patient" else (start, end))}
    sections: list[list[int]] = []
    for index in range(front, len(lines)):
        if index in hidden:
            continue
        if not sections or (not fenced[index] and _HEADING.match(lines[index])):
            sections.append([])
        sections[-1].append(index)
    for section in sections:
        text = plain_text("\n".join(lines[index] for index in section))
        first = next((index for index in section if lines[index].strip()), None)
        if text and first is not None:
            texts.append(PatientText(first + 1, "section", text))
    return texts


def _audience_blocks(lines: list[str], fenced: list[bool], front: int) -> list[tuple[int, int, str]]:
    """(opening line, closing line, audience) of each audience block, 0-based; an unclosed block runs to
    the end of the file, as pymdownx.blocks reads it."""
    blocks, open_blocks = [], []  # open: (start, fence, audience)
    for index in range(front, len(lines)):
        if fenced[index]:
            continue
        line = lines[index]
        if "/" not in line:
            continue
        if (match := _OPENER.match(line)) is not None:
            open_blocks.append((index, match.group("fence"), (match.group("audience") or "").strip().lower()))
        elif open_blocks and line.strip() == open_blocks[-1][1]:
            start, _, audience = open_blocks.pop()
            blocks.append((start, index, audience))
    blocks += [(start, len(lines) - 1, audience) for start, _, audience in open_blocks]
    return sorted(blocks)


@cache
def _terms_pattern(names: tuple[str, ...], abbreviations: tuple[str, ...]) -> re.Pattern[str] | None:
    """Drug names in any case (spaces and hyphens alike), defined abbreviations as written."""
    alternatives = [_SEPARATOR.join(map(re.escape, re.split(_SEPARATOR, name.strip()))) for name in names]
    parts = []
    if alternatives:
        parts.append(rf"(?i:{'|'.join(sorted(alternatives, key=len, reverse=True))})")
    if abbreviations:
        parts.append("|".join(map(re.escape, sorted(abbreviations, key=len, reverse=True))))
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)") if parts else None


def neutralised(text: str, names: Iterable[str], abbreviations: Iterable[str]) -> str:
    """`text` with each drug name and defined abbreviation replaced by one short word."""
    pattern = _terms_pattern(tuple(sorted(set(names))), tuple(sorted(set(abbreviations))))
    return pattern.sub(NEUTRAL_WORD, text) if pattern else text


def reading_grade(text: str) -> tuple[float, int]:
    """(Flesch-Kincaid grade, words) of plain text."""
    import textstat  # imported here: loading its pronouncing dictionary takes half a second

    words = textstat.lexicon_count(text)
    return (round(float(textstat.flesch_kincaid_grade(text)), 1) if words else 0.0), words


def _load_dictionaries() -> None:
    """Load textstat's pronouncing and hyphenation dictionaries (about a second) before the work is forked,
    so that the copies share them."""
    reading_grade("Load the dictionaries.")


@cache
def _code_version() -> str:
    source = Path(find_spec("medsite.pages.readability").origin).read_bytes()
    return json_cache.digest(source, version("textstat"), version("markdown"), version("pymdown-extensions"))


def _file_key(source: str, *, patient_article: bool, names: tuple[str, ...]) -> str | None:
    """The cache key of a file's scores; None for a file without patient text."""
    if not patient_article and _ANY_BLOCK.search(source) is None:
        return None
    return json_cache.digest(_code_version(), str(patient_article), "\n".join(names), source)


KeyMemo = dict[str, tuple[str, bool, tuple[str, ...], str | None]]  # path -> (text, patient, names, key)
ScoreMemo = dict[str, tuple[str, str | None, list["Score"]]]  # path -> (key, src_uri, its scores)
PageMemo = dict[str, tuple[str, object, "Page"]]  # path -> (text, article or None, page)


def _known_key(page: Page, names: tuple[str, ...], digests: KeyMemo) -> str | None:
    known = digests.get(page.path)
    if known is not None and known[0] is page.text and known[1] == page.patient_article and known[2] == names:
        return known[3]
    key = _file_key(page.text, patient_article=page.patient_article, names=names)
    digests[page.path] = (page.text, page.patient_article, names, key)
    return key


def _file_scores(source: str, patient_article: bool, answer: Answer | None,
                 names: tuple[str, ...]) -> list[list]:
    """[line, kind, grade, words] of each piece of patient text in one file."""
    abbreviations = tuple(definitions(source))
    return [[piece.line, piece.kind, *reading_grade(neutralised(piece.text, names, abbreviations))]
            for piece in patient_texts(source, patient_article=patient_article, answer=answer)]


def _scores_of(batch: list[tuple[str, bool, Answer | None]], names: tuple[str, ...]) -> list[list[list]]:
    return [_file_scores(*item, names) for item in batch]


@dataclass(frozen=True)
class Page:
    """A Markdown file to score: how problems name it, its docs-relative path, its text, whether it is an
    article for patients, and then its one-line answer."""

    path: str
    src_uri: str | None
    text: str
    patient_article: bool
    answer: Answer | None = None


def score_pages(pages: Iterable[Page], *, names: Iterable[str], cache_root: Path | None,
                memory: dict[str, list[list]] | None = None, digests: KeyMemo | None = None,
                scored: ScoreMemo | None = None) -> list[Score]:
    """Every piece of patient text of every page, scored; answers cached under `cache_root`, and in
    `memory` when the caller keeps one across builds (`mkdocs serve`), with each page's cache key in
    `digests` (by path, for the same text object: hashing every page's text again was most of a rebuild's
    reading grades at thousands of articles) and each page's scores in `scored` (by path, for the same
    key: the same Score objects, which the dashboard's rows are kept by). Files not scored before (a first
    build) are scored across the processors when there are many."""
    memory = memory if memory is not None else {}
    digests = digests if digests is not None else {}
    disk_file = json_cache.cache_file(cache_root, _CACHE_NAME) if cache_root is not None else None
    names = tuple(sorted(set(names)))
    pages = list(pages)
    keys = [_known_key(page, names, digests) for page in pages]
    # A `mkdocs serve` rebuild after an edit has every answer but the edited pages' in memory: it scores
    # those rather than read (and then rewrite) every answer on disk, thousands at a large site.
    absent = sum(1 for key in keys if key is not None and key not in memory)
    use_disk = not memory or absent * 100 >= len(keys)
    disk = json_cache.read_json(disk_file, version=_code_version()) if use_disk and absent else {}
    found = {key: memory[key] if key in memory else disk.get(key) for key in keys if key is not None}
    missing = {key: (page.text, page.patient_article, page.answer)
               for key, page in zip(keys, pages, strict=True) if key is not None and found[key] is None}
    workers = workers_for(len(missing), _PARALLEL_CHUNK)
    if workers < 2:
        found |= {key: _file_scores(*item, names) for key, item in missing.items()}
    else:
        items = list(missing.items())
        size = -(-len(items) // workers)
        batches = [items[start:start + size] for start in range(0, len(items), size)]
        parts = in_processes(_scores_of, [([item for _, item in batch], names) for batch in batches], workers,
                             prepare=_load_dictionaries)
        found |= {key: scores for batch, part in zip(batches, parts, strict=True)
                  for (key, _), scores in zip(batch, part, strict=True)}
    if len(memory) + len(found) >= _CACHE_LIMIT:
        memory.clear()
    memory.update(found)
    known = scored if scored is not None else {}
    kept: ScoreMemo = {}
    scores: list[Score] = []
    for key, page in zip(keys, pages, strict=True):
        if key is None:
            continue
        before = known.get(page.path)
        if before is None or before[0] != key or before[1] != page.src_uri:
            before = (key, page.src_uri, [Score(page.path, page.src_uri, *item) for item in found[key]])
        kept[page.path] = before
        scores += before[2]
    if scored is not None:
        scored.clear()
        scored.update(kept)
    if use_disk and absent and not found.keys() <= disk.keys():
        kept = disk if len(disk) < _CACHE_LIMIT else {}  # edits leave old answers behind: start afresh
        json_cache.write_json(disk_file, {**kept, **found}, version=_code_version())
    return scores


def above(scores: Iterable[Score], grade: float) -> list[Score]:
    """The scores above `grade`, hardest first."""
    return sorted((score for score in scores if score.grade > grade), key=hardest_first)


def hardest_first(score: Score) -> tuple[float, str, int]:
    """The order of the scores above the grade (`above`): hardest first, then by file and line."""
    return (-score.grade, score.path, score.line)


def problem(score: Score, grade: float) -> Problem:
    """The warning `medsite check` prints for a piece of patient text above the grade."""
    return Problem(score.path, score.line,
                   f"{score.kind} reads at grade {score.grade:g} ({FORMULA}, {score.words} words); expected "
                   f"grade {grade:g} or below for patients (shorter sentences and everyday words help; "
                   f"extra.medsite.{SETTING} sets the grade)", severity="warning")


def drug_names(root: Path, settings: Settings) -> tuple[str, ...]:
    """Every name in the synonyms file (its own problems are reported by the build and the search)."""
    synonyms, _ = load_synonyms(root / settings.synonyms, settings.synonyms)
    return tuple(name for group in synonyms.groups for name in group)


def check_readability(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """For `medsite check`: a warning for each piece of patient text above the project's grade."""
    grade = project.settings.reading_grade
    catalog = load_catalog(project.docs_dir, project.root, project.settings,
                           bibliography=project.bibliography_dir)
    pages = [page_of(source.display, source.docs_path, source.text, catalog)
             for source in sources if source.text is not None]
    scores = score_pages(pages, names=drug_names(project.root, project.settings), cache_root=project.root)
    return [problem(score, grade) for score in above(scores, grade)]


def page_of(path: str, src_uri: str | None, text: str, catalog: Catalog,
            memo: PageMemo | None = None) -> Page:
    """A Markdown file to score; an article is scored whole when its `audience` is patient. `memo` (kept by
    the caller across builds) gives the same Page for the same text and article objects."""
    article = catalog.article(src_uri) if src_uri else None
    if memo is not None:
        known = memo.get(path)
        if known is None or known[0] is not text or known[1] is not article or known[2].src_uri != src_uri:
            known = memo[path] = (text, article, page_of(path, src_uri, text, catalog))
        return known[2]
    patient_article = article is not None and article.audience == "patient"
    return Page(path, src_uri, text.replace("\r\n", "\n"), patient_article=patient_article,
                answer=Answer(article.line("description"), article.description) if patient_article else None)
