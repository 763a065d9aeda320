"""The Medical Advisory Board and the authors, read from one data file (data/people.yml).

Articles name people by id; only `board` members may approve an article. The board page is rendered from
the same entries, so a reviewer's name on an article always links to their credentials and conflicts of
interest statement.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from medsite.core.input_limits import MAX_DATA_FILE_CHARS
from medsite.core.problems import Problem, ProblemsError
from medsite.markdown.frontmatter import read_mapping
from medsite.model.published import link_problems

Role = Literal["board", "author"]
ROLES: tuple[Role, ...] = ("board", "author")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # also the HTML anchor on the board page
FIELDS = {
    "role": "board or author",
    "name": "the person's name",
    "credentials": "degrees and certifications, e.g. MD, PhD",
    "specialty": "the clinical specialty",
    "conflicts": "the conflicts of interest statement, e.g. None declared",
    "sample": "true for a placeholder seat that no real person holds yet",
    "github": "the person's GitHub login: on a pull request, CI counts a board member's approval only with "
              "their approving review (medsite approvals)",
}
GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")  # GitHub's own rule
REQUIRED = ("role", "name", "credentials", "specialty", "conflicts")


@dataclass(frozen=True)
class Person:
    """One person of the registry: a board member or an author."""

    id: str
    role: Role
    name: str
    credentials: str
    specialty: str
    conflicts: str
    sample: bool = False
    github: str = ""  # GitHub login, compared ignoring case as GitHub does


@dataclass(frozen=True)
class Registry:
    """The people registry, by id, with the file problems name it by."""

    path: str  # as shown in problems, relative to the project root
    people: dict[str, Person]

    def board(self) -> list[Person]:
        """Board members in file order."""
        return [person for person in self.people.values() if person.role == "board"]

    def suggest(self, wrong: str, role: Role | None = None) -> str:
        """` (did you mean `x`?)` when `wrong` looks like a typo of an id (or a part of exactly one), or an
        empty string: a new person's id must not be answered with someone else's (`board-cardiology` is not
        a typo of `board-urology`)."""
        ids = [p.id for p in self.people.values() if role is None or p.role == role]
        containing = [known for known in ids if len(wrong) >= 4 and wrong in known]
        if len(containing) == 1:
            return f" (did you mean `{containing[0]}`?)"
        return did_you_mean(wrong, ids, cutoff=0.85)

    def unknown(self, kind: str, wrong: str, role: Role) -> str:
        """The message for an id that is not in the registry: the id it may be a typo of, and how to add a
        new person (an article may name a board member or author who is not listed yet)."""
        if role == "board":
            members = ", ".join(f"`{p.id}`" for p in self.board()) or "none yet"
            expected = (f"a board member's id ({members}), or for a new board member an entry with "
                        f"`role: board` in {self.path}")
        else:
            expected = f"an id from {self.path}, or for a new author an entry with `role: author` there"
        return f"{kind} `{wrong}` is not in {self.path}{self.suggest(wrong, role)}; expected {expected}"


def did_you_mean(wrong: object, choices: list[str] | tuple[str, ...], *, cutoff: float = 0.6) -> str:
    """A close-match hint for a typo, ` (did you mean `approved`?)`, or an empty string."""
    match = difflib.get_close_matches(str(wrong), choices, n=1, cutoff=cutoff)
    return f" (did you mean `{match[0]}`?)" if match else ""


def load_registry(path: Path, display: str) -> tuple[Registry, list[Problem]]:
    """Read the registry; a missing or unreadable file is a problem, and yields an empty registry."""
    if linked := link_problems(path, display):
        return Registry(display, {}), linked
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return Registry(display, {}), [Problem(display, None, f"cannot read the people registry: {error}")]
    return registry_from_text(text, display)


def registry_at(revision: str, path: Path, root: Path, display: str) -> tuple[Registry, list[Problem]]:
    """The registry as it is on a git revision (e.g. `origin/main`), read with `git show`, nothing checked
    out. A registry the revision does not have is empty; a revision git does not know is a problem."""
    if revision.startswith("-") or not revision.strip():  # git would read `--output=...` as an option
        return Registry(display, {}), [Problem(display, None, f"`{revision}` is not a revision name; "
                                               "expected the base branch, e.g. origin/main")]
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    command = ["git", "-C", str(root), "show", f"{revision}:./{relative}"]
    try:
        shown = subprocess.run(command, capture_output=True, check=False)
        known = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet",
                                f"{revision}^{{commit}}"], capture_output=True, check=False)
    except OSError as error:
        return Registry(display, {}), [Problem(display, None, f"cannot run git to read the registry on "
                                                              f"{revision}: {error.strerror}")]
    if known.returncode != 0:
        return Registry(display, {}), [Problem(display, None, f"`{revision}` is not a revision of this git "
                                               "repository; expected the base branch, e.g. origin/main "
                                               "(fetched, with its history)")]
    if shown.returncode != 0:
        return Registry(display, {}), []
    return registry_from_text(shown.stdout.decode("utf-8", "replace").removeprefix("\ufeff"),
                              f"{display} on {revision}")


def registry_from_text(text: str, display: str) -> tuple[Registry, list[Problem]]:
    """The registry held by `text` (a file's content), with every problem found."""
    try:
        data, lines, problems = read_mapping(text, display, first_line=1, what="the people registry",
                                             max_chars=MAX_DATA_FILE_CHARS)
    except ProblemsError as error:
        return Registry(display, {}), list(error.problems)
    people: dict[str, Person] = {}
    for key, entry in data.items():
        person = _person(key, entry, display, lines[key], problems)
        if person is not None:
            people[person.id] = person
    return Registry(display, people), problems


def _person(key: object, entry: object, path: str, line: int, problems: list[Problem]) -> Person | None:
    before = len(problems)
    if not isinstance(key, str) or not ID_RE.match(key):
        problems.append(
            Problem(
                path,
                line,
                f"id `{key}` is not valid; expected lower-case letters, digits "
                "and hyphens, e.g. `board-urology`",
            )
        )
    if not isinstance(entry, dict):
        problems.append(
            Problem(
                path,
                line,
                f"`{key}` holds {type(entry).__name__}; expected a mapping with {', '.join(REQUIRED)}",
            )
        )
        return None
    for name in entry:
        if name not in FIELDS:
            problems.append(
                Problem(
                    path,
                    line,
                    f"`{key}` has unknown field `{name}`"
                    f"{did_you_mean(name, list(FIELDS))}; expected {', '.join(FIELDS)}",
                )
            )
    for name in REQUIRED:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(
                Problem(path, line, f"`{key}` needs `{name}` as text ({FIELDS[name]}); found {value!r}")
            )
    if entry.get("role") not in (*ROLES, None) and isinstance(entry.get("role"), str):
        problems.append(
            Problem(
                path,
                line,
                f"`{key}` has role `{entry['role']}`"
                f"{did_you_mean(entry['role'], ROLES)}; expected board or author",
            )
        )
    if not isinstance(entry.get("sample", False), bool):
        problems.append(
            Problem(path, line, f"`{key}` has sample {entry['sample']!r}; expected true or false")
        )
    github = entry.get("github", "")
    if not isinstance(github, str) or (github and not GITHUB_LOGIN.match(github)):
        problems.append(Problem(path, line, f"`{key}` has github {github!r}; expected a GitHub login such as "
                                            "`octocat` (letters, digits and single hyphens, at most 39)"))
    if len(problems) > before:
        return None
    return Person(
        id=key,
        role=entry["role"],
        name=entry["name"].strip(),  # type: ignore[arg-type]
        credentials=entry["credentials"].strip(),
        specialty=entry["specialty"].strip(),
        conflicts=entry["conflicts"].strip(),
        sample=entry.get("sample", False),
        github=github,
    )
