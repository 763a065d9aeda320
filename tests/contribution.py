"""A first-time contribution, made on a copy of the project exactly as CONTRIBUTING.md walks through it.

Every command, YAML entry and BibTeX entry used here is first looked up, character for character, in
CONTRIBUTING.md (`documented`), so the guide cannot drift from what works. The steps a test cannot take
(forking and pushing on GitHub) are replaced by what they amount to: a clone is a copy in a new git
repository, the pull request's checks are the CI workflow's own `run:` steps, run here under CI=true.

The contribution, by a new author: an entry in data/people.yml, a new .bib file, and two articles made with
`medsite new`, one citing the new source and one citing a source already in references/; on the way, the
mistakes the guide warns about, with the messages it quotes; then a board member approves one article.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.review_samples import TEST_BOARD, TEST_REVIEWER
from tests.sitebuild import PROJECT
from tests.sites import BuiltSite, build_site
from tests.workflows import CI_CHECK, checkout, git, run_step, step, workflow

GUIDE = PROJECT / "CONTRIBUTING.md"
AUTHOR = "jane-doe"
BIB = "references/kidney.bib"
METFORMIN = "should-metformin-be-stopped-when-egfr-falls-to-30-44"
TROPIC = "tropic-trial-design"
REVIEWER = "board-member-id"  # the id CONTRIBUTING's approval step uses
# The slugs the contribution adds, and the review status each ends with: browser tests visit these pages.
ADDED = {METFORMIN: "submitted", TROPIC: "approved"}

# Bodies in the template's shape. This copy of the site is never published: the text says so, and makes no
# clinical claim beyond what the cited titles say.
METFORMIN_BODY = """\
**Sample answer written by the contribution test.** The KDIGO 2020 guideline on diabetes management in
chronic kidney disease (CKD) covers metformin by level of kidney function [@{key}].

## What the guideline covers

Glucose-lowering treatment in type 2 diabetes with CKD, in its chapter on antihyperglycemic therapies
[@{key}].

{heading} Where to look

The recommendations and practice points of that chapter.

## Evidence

The guideline grades its own recommendations; this sample repeats none of them.

!!! safety "Critical safety considerations"

    Sample text: a real answer lists adverse events, contraindications and monitoring here.

!!! pitfall "Common pitfall to avoid"

    Sample text: a real answer names the most common mistake here.

## Alternatives

Sample text: a real answer says what to do instead, with citations.

/// audience | patient
This is a sample written by a test. It gives no advice.
///

*[CKD]: chronic kidney disease
"""
TROPIC_BODY = """\
**Sample answer written by the contribution test.** TROPIC compared cabazitaxel with mitoxantrone, each
with prednisone, in metastatic castration-resistant prostate cancer that progressed after docetaxel
[@debono2010tropic].

## What was compared

Cabazitaxel plus prednisone against mitoxantrone plus prednisone [@debono2010tropic].

## Evidence

Sample text: a real answer gives the trial's results here, each with its citation.

!!! safety "Critical safety considerations"

    Sample text: a real answer lists adverse events and monitoring here.

!!! pitfall "Common pitfall to avoid"

    Sample text: a real answer names the most common mistake here.
"""


def documented(text: str) -> str:
    """`text` as CONTRIBUTING.md writes it; fails if the guide does not hold it character for character."""
    guide = GUIDE.read_text(encoding="utf-8")
    assert text in guide, f"CONTRIBUTING.md does not say:\n{text}"
    return text


WALKTHROUGH = "## Your first pull request, step by step"


def walkthrough() -> str:
    """The guide's step-by-step section, up to the next section."""
    guide = GUIDE.read_text(encoding="utf-8")
    assert WALKTHROUGH in guide, f"CONTRIBUTING.md has no section {WALKTHROUGH!r}"
    return guide[guide.index(WALKTHROUGH):].split("\n## ", 1)[0]


def block(language: str, first_line: str) -> str:
    """The fenced block of the step-by-step section in `language` whose first line starts `first_line`."""
    guide = walkthrough()
    found = [body for body in re.findall(rf"^```{language}\n(.*?)^```$", guide, re.MULTILINE | re.DOTALL)
             if body.startswith(first_line)]
    assert len(found) == 1, f"CONTRIBUTING.md has {len(found)} ```{language} blocks starting {first_line!r}"
    return found[0]


@dataclass
class Contribution:
    """The copy, what each step printed (by step name), and the site CI built from the result."""

    root: Path
    steps: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)
    site: BuiltSite | None = None

    def sh(self, name: str, script: str, **env: str) -> subprocess.CompletedProcess:
        """Run a documented shell command in the copy, as the contributor types it."""
        result = subprocess.run(["bash", "-e", "-c", documented(script)], cwd=self.root, capture_output=True,
                                text=True, check=False, env={**_environment(), **env})
        self.steps[name] = result
        return result

    def write(self, relative: str, text: str) -> None:
        (self.root / relative).write_text(text, encoding="utf-8")

    def article(self, slug: str) -> Path:
        return self.root / "docs" / "articles" / f"{slug}.md"

    def with_body(self, slug: str, body: str, description: str) -> None:
        """The article `medsite new` wrote, with its answer filled in and the template's body replaced."""
        text = self.article(slug).read_text(encoding="utf-8")
        front, _, _ = text[4:].partition("\n---\n")
        front = front.replace("description: Replace with the one-line answer.", f"description: {description}")
        self.write(f"docs/articles/{slug}.md", f"---\n{front}\n---\n\n{body}")

    def pre_commit(self) -> list[subprocess.CompletedProcess]:
        """The local hooks of .pre-commit-config.yaml on the staged files, as `pre-commit` runs them: a hook
        runs when its `files` pattern matches a staged path, given the matching paths unless
        `pass_filenames: false`."""
        config = yaml.safe_load((self.root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
        staged = git(self.root, "diff", "--cached", "--name-only").stdout.split()
        results = []
        for hook in (hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]):
            matched = [path for path in staged if re.search(hook["files"], path)]
            if matched:
                names = matched if hook.get("pass_filenames", True) else []
                result = subprocess.run(["bash", "-c", f'{hook["entry"]} "$@"', hook["id"], *names],
                                        cwd=self.root, capture_output=True, text=True, check=False,
                                        env=_environment())
                self.steps[f"pre-commit:{hook['id']}"] = result
                results.append(result)
        return results


def _environment() -> dict[str, str]:
    """A contributor's own machine: whatever runs this test (CI sets CI=true), not CI's environment."""
    local = {key: value for key, value in os.environ.items() if key not in CI_VARIABLES}
    return {**local, "NO_MKDOCS_2_WARNING": "1"}


# What a runner sets and medsite reads.
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE")


def contribute(root: Path) -> Contribution:
    """Walk CONTRIBUTING.md from the clone to the approved pull request, recording every step's output.

    Raises AssertionError with the step's output as soon as a step does not do what the guide says, since
    the steps after it would mean nothing.
    """
    done = Contribution(checkout(root))
    # Earlier, in a pull request of their own, the maintainers appointed a real board member (the project's
    # seats are placeholders, which may not approve): the base branch CI compares the registry with.
    registry = done.root / "data" / "people.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + TEST_BOARD.replace(TEST_REVIEWER, REVIEWER),
                        encoding="utf-8")
    git(done.root, "commit", "-q", "-am", "Appoint a board member")
    git(done.root, "update-ref", "refs/remotes/origin/main", "HEAD")  # the base branch in CI's checkout

    def expect(name: str, returncode: int) -> subprocess.CompletedProcess:
        result = done.steps[name]
        assert result.returncode == returncode, f"step {name}:\n{result.stdout}\n{result.stderr}"
        return result

    done.sh("branch", "git switch -c metformin-egfr")
    expect("branch", 0)
    new = block("sh", ".venv/bin/medsite new ")
    # Forgetting to add yourself to the registry first: `medsite new` refuses and says how to fix it.
    done.sh("new-unregistered", new)
    expect("new-unregistered", 1)
    people = (done.root / "data" / "people.yml").read_text(encoding="utf-8")
    done.write("data/people.yml", people.rstrip("\n") + "\n\n" + block("yaml", f"{AUTHOR}:"))
    done.write(BIB, block("bibtex", "@article{kdigo2020diabetesckd,"))
    done.sh("new", new)
    expect("new", 0)

    # The first draft: a mistyped key and a skipped heading level, which `medsite check` names.
    done.with_body(METFORMIN, METFORMIN_BODY.format(key="kdigo2020diabetes", heading="####"),
                   "Sample answer of the contribution test; see the KDIGO 2020 guideline.")
    done.with_body(TROPIC, TROPIC_BODY, "Sample answer of the contribution test. Cabazitaxel against "
                                        "mitoxantrone, each with prednisone.")
    check = block("sh", ".venv/bin/medsite check docs/articles/")
    done.sh("check-draft", check)
    expect("check-draft", 1)
    done.with_body(METFORMIN, METFORMIN_BODY.format(key="kdigo2020diabetesckd", heading="###"),
                   "Sample answer of the contribution test; see the KDIGO 2020 guideline.")
    done.sh("check", check)
    expect("check", 0)

    done.sh("stage", "git add -A")
    expect("stage", 0)
    hooks = done.pre_commit()
    assert hooks and all(result.returncode == 0 for result in hooks), [result.stdout for result in hooks]
    done.sh("commit", 'git commit -m "Add: should metformin be stopped when eGFR falls to 30-44?"')
    expect("commit", 0)

    # The pull request's checks: CI's own steps, under CI=true (last-updated dates from git).
    ci = workflow("ci.yml")["jobs"]["test"]
    ci_check = step(ci, CI_CHECK)
    done.steps["ci-check"] = run_step(ci_check, ci, done.root, base_ref="main")
    expect("ci-check", 0)

    # Review: a board member approves one article; editing it afterwards fails the check until re-approved.
    done.sh("approve", block("sh", ".venv/bin/medsite approve "))  # approves, then commits
    expect("approve", 0)
    approved = done.article(TROPIC).read_text(encoding="utf-8")
    edited = approved.replace("contribution test.**", "contribution test, edited after approval.**")
    assert edited != approved
    done.write(f"docs/articles/{TROPIC}.md", edited)
    done.sh("check-changed", check)
    expect("check-changed", 1)
    done.write(f"docs/articles/{TROPIC}.md", approved)
    assert git(done.root, "status", "--porcelain").stdout == "", "the approval was not committed"
    done.steps["ci-check-approved"] = run_step(ci_check, ci, done.root, base_ref="main")
    expect("ci-check-approved", 0)
    done.site = build_site(done.root, root.parent / "contributed-site", env={"CI": "true"})
    return done
