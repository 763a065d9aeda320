"""Synthetic bibliographies and articles shared by the benchmarks (citations.py, scale.py), and the
timed `mkdocs build` process both measure with.

Deterministic for a given seed, so two builds of the same size compare the same pages. Nothing here is
medical content: titles, numbers and references are made up and say so ("Synthetic trial 12").
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from medsite.citations.syntax import scan
from medsite.model.article import content_hash
from medsite.review.rules import approval_hash

CITATIONS_PER_ARTICLE = 15
PROJECT = Path(__file__).resolve().parents[1]

ENTRY = """@article{{{key},
  author  = {{Author{n}, Ann B. and de Particle, Carl and Third, Dee and Fourth, Eve}},
  title   = {{Synthetic trial {n} of a drug at 20 mg/m$^2$ versus placebo}},
  journal = {{J Synth Med}},
  year    = {{{year}}},
  volume  = {{{volume}}},
  number  = {{{issue}}},
  pages   = {{{first}--{last}}},
  doi     = {{10.5555/synthetic.{n}}},
  pmid    = {{{pmid}}}
}}
"""

SENTENCE = ("Sentence {s} of synthetic answer {n} reports a finding in plain words, with a number such as "
            "{s}.{n} months and a comparison between two treatments. ")
SECTION = ("## Section {p}\n\n{sentences}{citation}\n\n"
           "- A list item with **emphasis**\n- Another with `code`\n\n")

# Words for article prose: common clinical vocabulary, and names data/synonyms.yml knows, so the search
# index and its synonym pass see text like the real articles'.
_PROSE = (
    "patients treatment therapy survival progression response disease trial randomised median months "
    "dose toxicity evidence guideline recommendation benefit risk outcome cohort analysis hazard ratio "
    "confidence interval placebo control arm baseline follow-up endpoint primary secondary safety "
    "adverse events neutropenia fatigue nausea infection bone metastases imaging scan biopsy marker "
    "clinician oncologist urologist radiotherapy chemotherapy hormone receptor pathway resistance "
    "sequence option quality life pain relief symptom management monitoring interval weeks cycles "
    "regimen schedule reduction delay discontinuation elderly frail performance status comorbidity "
    "renal hepatic function laboratory values threshold decision discussion preference shared care "
    "docetaxel cabazitaxel enzalutamide abiraterone olaparib radium-223 mCRPC IMRT Jevtana Xtandi"
)
WORDS = _PROSE.split()

# The varied corpus (`vocabulary="varied"`, benchmarks/scale.py --corpus varied): each article answers its
# own question, as the articles of a real site do. Its prose has the word frequencies of the project's
# two model articles (MODEL_ARTICLES: function words, general clinical words, each as often as there)
# less their own subject (MODEL_SUBJECT: prostate cancer, its drugs and trials), which each synthetic
# article replaces with its own: the words of its main topic's kind of care and cancer site, and drugs of
# that site. So a drug name is in the articles about its cancer (about one in a hundred), not in all of
# them. The shared corpus above, where every word is in nearly every article, stays the worst case. Drug
# names other than the real ones the synonym list knows (prostate) are made up from the syllables below.
MODEL_ARTICLES = ("cabazitaxel-bone-metastases.md", "pelvic-imrt-after-enzalutamide.md")
_SUBJECT = (
    "cabazitaxel jevtana docetaxel taxotere enzalutamide xtandi abiraterone zytiga olaparib lynparza "
    "radium xofigo pluvicto lu-psma psma psma-positive mitoxantrone prednisone zoledronic denosumab taxane "
    "arpi arpis androgen mcrpc imrt intensity-modulated prostate prostate-specific psa castration-resistant "
    "hormone-sensitive bone bones bone-only skeletal metastases metastatic visceral pelvic pelvis tropic "
    "card alsympca proselica parp brca atm g-csf granulocyte colony-stimulating gy gray fraction fractions "
    "radiotherapy radiation chemotherapy hormone hormonal receptor pathway neutropenia dose"
)
MODEL_SUBJECT = frozenset(_SUBJECT.split())
_MARKUP = re.compile(r"^(?:///|!!!|\*\[).*$|\[@[^\]]*\]|\]\([^)]*\)|<[^>]*>|`[^`]*`", re.MULTILINE)
KIND_WORDS = {
    "cancer": "diagnosis staging prognosis metastases biopsy marker",
    "chemotherapy": "chemotherapy dose reduction delay cycles regimen schedule toxicity neutropenia nausea",
    "radiotherapy": "radiotherapy fractions dose boost imaging toxicity fatigue",
    "surgery": "surgery resection margin recovery complication anaesthesia",
    "screening": "screening detection false-positive overdiagnosis imaging biopsy",
    "survivorship": "survivorship recurrence surveillance fatigue rehabilitation",
    "immunotherapy": "immunotherapy checkpoint dose infusion colitis pneumonitis",
    "supportive care": "supportive pain relief nausea neutropenia infection dose reduction",
    "hormone therapy": "hormone receptor pathway resistance dose",
    "imaging": "imaging scan contrast staging detection",
}
SITE_WORDS = {
    "prostate": "prostate PSA mCRPC castration-resistant bone metastases",
    "breast": "breast HER2 lymph nodes bone metastases",
    "lung": "lung EGFR smoking brain metastases",
    "colorectal": "colon rectal polyps liver metastases",
    "renal": "kidney nephrectomy bone metastases",
    "bladder": "bladder cystoscopy urothelial",
    "ovarian": "ovarian CA-125 BRCA peritoneal",
    "melanoma": "melanoma skin BRAF lesion",
    "lymphoma": "lymphoma nodes CD20 transplant",
    "myeloma": "myeloma marrow bone lesions",
    "pancreatic": "pancreas jaundice Whipple",
    "gastric": "stomach gastrectomy Helicobacter",
    "thyroid": "thyroid iodine nodule thyroidectomy",
    "cervical": "cervix HPV smear colposcopy",
    "hepatocellular": "liver cirrhosis hepatitis AFP",
}
REAL_DRUGS = {"prostate": ("cabazitaxel", "docetaxel", "enzalutamide", "abiraterone", "olaparib",
                          "radium-223")}
DRUGS_PER_SITE = 20
_SYLLABLES = ("ba", "ce", "di", "fo", "ga", "ke", "li", "mo", "nu", "pa", "re", "si", "to", "va", "ze")
_SUFFIXES = ("mab", "nib", "taxel", "platin", "lisib", "parib", "rafenib", "stat")
TOPIC_WORDS = ("prostate", "breast", "lung", "colorectal", "renal", "bladder", "ovarian", "melanoma",
               "lymphoma", "myeloma", "pancreatic", "gastric", "thyroid", "cervical", "hepatocellular")
TOPIC_KINDS = ("cancer", "chemotherapy", "radiotherapy", "surgery", "screening", "survivorship",
               "immunotherapy", "supportive care", "hormone therapy", "imaging")
GRADES = ("1A", "1B", "1C", "2A", "2B", "2C", "I-A", "II-B", "III-C")
STATUSES = ("submitted", "under_review", "approved")
TODAY = dt.date(2026, 1, 15)


def bibliography(entries: int) -> tuple[str, list[str]]:
    """BibTeX text of `entries` journal articles (each with a DOI and a PMID), and their keys."""
    keys = [f"author{n}:{2000 + n % 25}.trial-{n % 7}" for n in range(entries)]
    text = "".join(ENTRY.format(key=key, n=n, year=2000 + n % 25, volume=n % 400 + 1, issue=n % 12 + 1,
                                first=100 + n, last=110 + n, pmid=10_000_000 + n)
                   for n, key in enumerate(keys))
    return text, keys


_ABSTRACT = ("Patients were randomised to a synthetic drug or placebo and followed for survival. The hazard "
             "ratio was 0.8 (95\\% CI 0.7--0.9; $p < 0.05$), grade $\\geq$ 3 events occurred in 12\\% of the "
             "\\textit{per-protocol} cohort, HbA$_{1c}$ fell by 1.2\\% and no new safety signal was seen. ")
_FAMILIES = ("M{\\\"u}ller", "de Bono", "van der Berg", "Garc{\\'\\i}a", "O'Brien", "Nguyen", "Smith",
             "{\\AA}str{\\\"o}m", "Kowalski", "Okafor", "Tanaka", "Rossi", "Dubois", "Silva", "Cohen")
_GIVEN = ("Anna", "Jos{\\'e}", "Li", "Mary J.", "Ren{\\'e}", "Sam", "Ola", "Kim", "Lea", "Tom")


def _zotero_entry(n: int, rng: random.Random) -> str:
    """One entry as Zotero's BibLaTeX export writes it: abstract, keywords, file, urldate, eprint."""
    authors = " and ".join(f"{rng.choice(_FAMILIES)}, {rng.choice(_GIVEN)}" for _ in range(rng.randint(1, 8)))
    abstract = _ABSTRACT * rng.randint(3, 6)
    common = (f"\ttitle = {{Synthetic study {n} of a made-up drug at 20 mg/m$^2$: a {{PSMA}} analysis}},\n"
              f"\tauthor = {{{authors}}},\n\tabstract = {{{abstract}}},\n"
              f"\tkeywords = {{Synthetic, Trial {n % 50}, {{Made-up}} drug}},\n"
              f"\tfile = {{Full Text PDF:/home/me/Zotero/storage/{n:08X}/study-{n}.pdf:application/pdf}},\n"
              f"\turldate = {{2024-0{n % 9 + 1}-1{n % 9}}},\n\tlangid = {{english}},\n"
              f"\tdate = {{{2000 + n % 25}-{n % 12 + 1:02d}}},\n")
    kind = rng.random()
    if kind < 0.9:
        return (f"@article{{synthetic_{n},\n{common}"
                f"\tjournaltitle = {{Journal of Synthetic Medicine {n % 40}}},\n"
                f"\tshortjournal = {{J Synth Med {n % 40}}},\n\tvolume = {{{n % 400 + 1}}},\n"
                f"\tnumber = {{{n % 12 + 1}}},\n\tpages = {{{1000 + n}--{1000 + n + rng.randint(3, 40)}}},\n"
                f"\tdoi = {{10.5555/synthetic.{n}}},\n\tissn = {{0000-{n % 9999:04d}}},\n"
                f"\turl = {{https://example.org/doi/10.5555/synthetic.{n}?via%3Dihub}},\n"
                f"\teprinttype = {{pubmed}},\n\teprint = {{{10_000_000 + n}}},\n}}\n\n")
    if kind < 0.93:
        return (f"@book{{synthetic_{n},\n{common}\tpublisher = {{Synthetic Press}},\n"
                f"\tlocation = {{Boston}},\n\tedition = {{{n % 5 + 1}}},\n"
                f"\tisbn = {{978-0-00-{n:06d}-0}},\n}}\n\n")
    if kind < 0.96:
        return (f"@incollection{{synthetic_{n},\n{common}\tbooktitle = {{A synthetic handbook}},\n"
                f"\teditor = {{Editor, Eve}},\n\tpublisher = {{Synthetic Press}},\n\tlocation = {{London}},\n"
                f"\tpages = {{{n % 300 + 1}--{n % 300 + 20}}},\n}}\n\n")
    if kind < 0.98:
        return (f"@online{{synthetic_{n},\n{common}\turl = {{https://example.org/guidance/{n}?a=1%2C2}},\n"
                f"\torganization = {{{{Synthetic Health Agency}}}},\n}}\n\n")
    return (f"@report{{synthetic_{n},\n{common}\tinstitution = {{Synthetic Health Agency}},\n"
            f"\ttype = {{Technical report}},\n\tnumber = {{{n}}},\n}}\n\n")


def zotero_bibliography(entries: int, seed: int = 3) -> str:
    """BibLaTeX text of `entries` entries as a Zotero export has them (nine in ten journal articles; books,
    chapters, web pages and reports), every identifier fake (DOI prefix 10.5555)."""
    rng = random.Random(seed)
    return "% Exported by a synthetic Zotero\n\n" + "".join(_zotero_entry(n, rng) for n in range(entries))


def citation_groups(keys: list[str], rng: random.Random) -> list[str]:
    """15 citations in groups of one to three, `[@a; @b]`: 12 distinct keys, the first three cited twice."""
    chosen = rng.sample(keys, 12)
    cited = chosen + chosen[:3]
    groups, index = [], 0
    while index < len(cited):
        size = min(rng.choice([1, 1, 2, 3]), len(cited) - index)
        groups.append("[" + "; ".join(f"@{key}" for key in cited[index:index + size]) + "]")
        index += size
    return groups


def simple_article(n: int, keys: list[str], rng: random.Random) -> str:
    """About 900 words with 15 citations and only a title in front matter (benchmarks/citations.py)."""
    groups = citation_groups(keys, rng)
    sentences = "".join(SENTENCE.format(s=s, n=n) for s in range(5))
    body = "".join(SECTION.format(p=p, sentences=sentences, citation=group) for p, group in enumerate(groups))
    return f"---\ntitle: Synthetic question {n}?\n---\n\n# Synthetic question {n}?\n\n{body}"


def topic_pool(size: int = 50) -> list[str]:
    """`size` distinct topic names such as `lung cancer` or `breast screening`."""
    names = [f"{word} {kind}" for kind in TOPIC_KINDS for word in TOPIC_WORDS]
    return random.Random(3).sample(names, size)


@functools.cache
def model_words() -> tuple[list[str], list[int]]:
    """The words of the model articles' prose (front matter, citations, link targets and block markers
    left out) without their subject (MODEL_SUBJECT), and how often each occurs: the varied corpus's
    general language."""
    counts: dict[str, int] = {}
    for name in MODEL_ARTICLES:
        text = (PROJECT / "docs" / "articles" / name).read_text(encoding="utf-8").split("\n---\n", 1)[1]
        for word in re.findall(r"[a-z][a-z'-]*[a-z]|[a-z]", _MARKUP.sub(" ", text).lower()):
            if word not in MODEL_SUBJECT:
                counts[word] = counts.get(word, 0) + 1
    return list(counts), list(counts.values())


def site_drugs(site: str) -> tuple[str, ...]:
    """The drug names of a cancer site in the varied corpus: the real ones first, then made-up ones."""
    real = REAL_DRUGS.get(site, ())
    rng = random.Random(f"drugs {site}")
    made_up = dict.fromkeys("".join(rng.choices(_SYLLABLES, k=2)) + rng.choice(_SUFFIXES)
                            for _ in range(4 * DRUGS_PER_SITE))
    return (real + tuple(name for name in made_up if name not in real))[:DRUGS_PER_SITE]


def _paragraph(rng: random.Random, sentences: int, citations: list[str], question: Question | None) -> str:
    """Prose of `sentences` sentences (words of the shared corpus, or of the article's `question`); each
    citation group ends one sentence."""
    spots = dict(zip(rng.sample(range(sentences), min(len(citations), sentences)), citations, strict=False))
    out = []
    for index in range(sentences):
        count = rng.randint(12, 22)
        words = (rng.choices(WORDS, k=count) if question is None
                 else rng.choices(question.words, question.weights, k=count))
        number = f" {rng.randint(2, 40)}.{rng.randint(0, 9)} months" if rng.random() < 0.3 else ""
        cite = f" {spots[index]}" if index in spots else ""
        out.append(f"{' '.join(words).capitalize()}{number}{cite}.")
    return " ".join(out)


@dataclass(frozen=True)
class Question:
    """What a varied-corpus article is about: its main topic, its drug, the drug before it and the aim (a
    word of its kind of care), and the words of its prose with their weights."""

    topic: str
    drug: str
    after: str
    aim: str
    words: list[str]
    weights: list[float]


def varied_question(rng: random.Random, topics: list[str]) -> Question:
    """An article's own question: a main topic (a cancer site and a kind of care), two of the site's drugs
    and a word of the kind named in the title (so that two articles rarely ask the same question, as on a
    real site), a third drug in the text, the words of that site and kind, all as often as the model
    articles name their own (their drug one word in 80, each word of their subject one in 150), among the
    model articles' general words."""
    topic = rng.choice(topics)
    site, kind = topic.split(" ", 1)
    drug, *others = rng.sample(site_drugs(site), 3)
    general, counts = model_words()
    subject = [*KIND_WORDS[kind].split(), *SITE_WORDS[site].split(), *others]
    total = sum(counts)
    return Question(topic, drug, others[0], rng.choice(KIND_WORDS[kind].split()), [*general, drug, *subject],
                    [*counts, total / 80, *(total / 150 for _ in subject)])


def _with_main(question: Question | None, topics: list[str]) -> list[str]:
    """An article's topics: a varied-corpus article's main topic first, then up to two of `topics`."""
    if question is None:
        return topics
    return [question.topic, *(topic for topic in topics if topic != question.topic)][:3]


def project_article(n: int, keys: list[str], rng: random.Random, *, topics: list[str],
                    board: list[str], authors: list[str], pins: dict[str, str],
                    vocabulary: str = "shared") -> str:
    """An article as the project's schema and authoring syntax want it, 1,000-1,500 words: review front
    matter (a third each submitted, under review, approved with the hash `medsite approve` would write,
    which pins the formatted references `pins` holds: medsite.review.rules.reference_pins),
    the bottom line, an audience block, evidence table and grade badges, safety and pitfall callouts.
    `vocabulary`: "shared" (every article written from the same words: the search index's worst case) or
    "varied" (each article about its own topic and drug: varied_question)."""
    groups = citation_groups(keys, rng)
    cites = [groups[slot::10] for slot in range(10)]  # 5 to 15 groups, over 10 places in the text
    if vocabulary == "varied":
        question = varied_question(rng, topics)
        title = (f"Synthetic question {n}: does {question.drug} after {question.after} change "
                 f"{question.aim} in {question.topic}?")
    else:
        question = None
        title = f"Synthetic question {n}: does treatment {n % 97} help in {rng.choice(topics)}?"
    description = f"Synthetic answer {n}: it helps some patients, with limits set out in the evidence."
    status = STATUSES[n % 3]
    rows = "".join(f"| Synthetic study {n}.{row} {' '.join(cites[1 + row])} | {rng.randint(40, 900)} "
                   f"patients | median {rng.randint(5, 30)}.{rng.randint(0, 9)} months "
                   f"[grade: {rng.choice(GRADES)}] |\n" for row in range(2))
    sections = [
        f"**{_paragraph(rng, 3, cites[0], question)}**",
        f"/// audience | patient\n{_paragraph(rng, 4, [], question)}\n///",
        f"## What it does\n\n{_paragraph(rng, 8, cites[3], question)}\n\n"
        + "".join(f"- **Point {p}.** {_paragraph(rng, 2, cites[4 + p], question)}\n" for p in range(2)),
        f"## The evidence\n\n| Study | Patients | Result |\n| --- | --- | --- |\n{rows}\n"
        + _paragraph(rng, 8, cites[6], question),
        f"## Appropriate use\n\n{_paragraph(rng, 10, cites[7], question)} [grade: {rng.choice(GRADES)}]",
        "## Safety\n\n!!! safety \"Critical safety considerations\"\n    "
        + _paragraph(rng, 6, cites[8], question),
        "## Pitfalls\n\n!!! pitfall \"Common pitfall to avoid\"\n    "
        + _paragraph(rng, 5, cites[9], question),
        f"## Alternatives\n\n{_paragraph(rng, 10, [], question)}\n\n{_paragraph(rng, 8, [], question)}",
        "*[mCRPC]: metastatic castration-resistant prostate cancer"
        if question is None or "mCRPC" in question.words else "",
    ]
    body = "\n\n".join(section for section in sections if section) + "\n"
    submitted = TODAY - dt.timedelta(days=60 + n % 300)
    front = {
        "title": title,
        "description": description,
        "status": status,
        "audience": ("clinician", "patient")[n % 5 == 0],
        "topics": _with_main(question, rng.sample(topics, rng.randint(1, 3))),
        "authors": authors,
        "reviewers": [] if status == "submitted" else rng.sample(board, rng.randint(1, 2)),
        "submitted": submitted,
        "evidence_through": submitted - dt.timedelta(days=30),
    }
    if status == "approved":
        reviewed, next_review = submitted + dt.timedelta(days=30), submitted + dt.timedelta(days=395)
        cited = [pins.get(key, "") for key in dict.fromkeys(scan(body).keys)]
        front |= {"reviewed": reviewed, "next_review": next_review,
                  "reviewed_hash": approval_hash(
                      content_hash(title, description, body), audience=front["audience"],
                      reviewers=front["reviewers"], reviewed=reviewed, next_review=next_review,
                      references=cited)}
    return f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True)}---\n\n{body}"


@dataclass
class Build:
    wall: float  # seconds
    cpu: float  # user + system seconds of the build and of every process it started, however started
    memory: float  # peak resident set of the largest of them, MB


# Runs the build as a child of a "subreaper" process, which also waits for every process the build left
# behind, so their CPU time is counted: the fork server that starts worker processes outlives the build
# for a moment and is nobody's child then, and wait4 on the build alone never counted it or its workers.
_MEASURE = """
import ctypes, json, os, resource, subprocess, sys
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
status = subprocess.run(sys.argv[2:]).returncode
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as stream:
    json.dump([status, usage.ru_utime + usage.ru_stime, usage.ru_maxrss], stream)
"""


def build(root: Path, config: str = "mkdocs.yml") -> Build:
    """One `mkdocs build` of `root` (with its `config` file) in its own process: its wall time, and the CPU
    time and peak memory of it and of every process it started (Pagefind, forked copies, a fork server's
    workers)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(PROJECT)}
    shutil.rmtree(root / "site", ignore_errors=True)  # every build starts without an old site to delete
    figures = root / ".build-figures.json"
    start = time.perf_counter()
    command = [sys.executable, "-c", _MEASURE, str(figures),
               sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / config)]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=root,
                            check=False)
    wall = time.perf_counter() - start
    status, cpu, memory = json.loads(figures.read_text(encoding="utf-8"))
    figures.unlink()
    if result.returncode != 0 or status != 0:
        sys.exit(f"build of {root} failed:\n{result.stdout.decode(errors='replace')}")
    return Build(wall, cpu, memory / 1024)
