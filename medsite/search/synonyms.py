"""Drug and abbreviation synonyms for the site search (data/synonyms.yml).

Readers search for "Jevtana" or "mCRPC"; articles say "cabazitaxel" or spell the disease out. The site
search only finds words that are in its index, so every page gets the names it does not contain but
whose group it mentions (medsite.search.data): the names found in its title in a field weighted like the
title, the others in one weighted like the text. A search for a synonym then ranks pages as a search for
the name the page uses would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from medsite.core.input_limits import MAX_DATA_FILE_CHARS
from medsite.core.problems import Problem, ProblemsError
from medsite.markdown.frontmatter import read_mapping
from medsite.model.published import link_problems

_SEPARATOR = r"[\s\-\u2010\u2011]+"  # spaces and hyphens (also the Unicode ones) are interchangeable


@cache
def _normal(name: str) -> str:
    return " ".join(re.split(_SEPARATOR, name.strip().lower()))


@dataclass(frozen=True)
class Synonyms:
    """Groups of names for the same thing, and one pattern that finds any name of any group."""

    groups: tuple[tuple[str, ...], ...]

    @cached_property
    def _index(self) -> dict[str, int]:
        return {_normal(name): number for number, group in enumerate(self.groups) for name in group}

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        """Any name, in lower-case text: four times faster than re.IGNORECASE on a large search index."""
        names = sorted(self._index, key=len, reverse=True)  # longest first: "radium-223 dichloride"
        alternatives = "|".join(_SEPARATOR.join(map(re.escape, name.split(" "))) for name in names)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def missing_names(self, text: str) -> list[str]:
        """Names of every group that `text` mentions, except the names it already uses."""
        found = set(self._pattern.findall(text.lower()))
        if not found:
            return []
        index = self._index
        used = {_normal(name) for name in found}
        groups = sorted({index[name] for name in used})
        return [name for number in groups for name in self.groups[number] if _normal(name) not in used]


def load_synonyms(path: Path, display: str) -> tuple[Synonyms, list[Problem]]:
    """Read the synonym groups; every mistake is a problem with its line, and the good groups are kept."""
    if linked := link_problems(path, display):
        return Synonyms(()), linked
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return Synonyms(()), [Problem(display, None, f"cannot read the synonyms file: {error}")]
    try:
        data, lines, problems = read_mapping(text, display, first_line=1, what="the synonyms file",
                                             max_chars=MAX_DATA_FILE_CHARS)
    except ProblemsError as error:
        return Synonyms(()), list(error.problems)
    groups: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}  # normalised name -> line of the group that has it
    for key, names in data.items():
        line = lines[key]
        group = [key, *names] if isinstance(names, list) else None
        if group is None or len(group) < 2 or not all(isinstance(n, str) and n.strip() for n in group):
            problems.append(Problem(display, line, f"`{key}` holds {names!r}; expected a list of other names "
                                    "for it, e.g. `cabazitaxel: [Jevtana]`"))
            continue
        repeated = [name for name in group if _normal(name) in seen]
        for name in repeated:
            problems.append(Problem(display, line, f"`{name}` is already in the group on line "
                                    f"{seen[_normal(name)]}; expected each name in one group only"))
        if not repeated:
            seen.update({_normal(name): line for name in group})
            groups.append(tuple(name.strip() for name in group))
    return Synonyms(tuple(groups)), problems
