"""Reading grade of patient text: what counts as the text, drug names and abbreviations, the grade setting,
the cache, `medsite check` and the dashboard of a tiny site."""

from __future__ import annotations

import json
import re

import textstat

from medsite.cli.main import main
from medsite.pages.readability import (
    NEUTRAL_WORD,
    Answer,
    Page,
    above,
    neutralised,
    patient_texts,
    plain_text,
    reading_grade,
    score_pages,
)
from tests.project_samples import GOOD, make_project
from tests.review_samples import DESCRIPTION, TODAY, article

EASY = "Ask your care team. They can help you. This drug can make you tired. Rest when you need to."
HARD = ("Pharmacological intervention utilising intravenously administered cytotoxic chemotherapeutic "
        "agents demonstrated statistically significant prolongation of overall survival, notwithstanding "
        "considerable haematological toxicity necessitating prophylactic granulocyte colony-stimulating "
        "factor administration in susceptible individuals.")


def block(text: str, audience: str = "patient") -> str:
    return f"/// audience | {audience}\n{text}\n///\n"


def test_plain_text_is_what_a_reader_reads():
    markdown = ("## Your treatment\n\nIt helps [@debono2010tropic; @dewit2019card] most men [grade: 1A]\n\n"
                "- one item\n- another item\n\nSee `code here` and:\n\n```\nfenced code\n```\n\n"
                "| a | b |\n| --- | --- |\n| cell | cell |\n\n**Bold** and *soft* words.\n\n"
                "*[CI]: confidence interval\n")
    text = plain_text(markdown)
    assert text == "Your treatment. It helps most men. one item. another item. See and. Bold and soft words."


def test_patient_blocks_are_found_with_their_lines_outside_code():
    source = ("---\ntitle: x\n---\n\nClinician text.\n\n" + block(EASY) + "\n```\n" + block(HARD) + "```\n\n"
              + block(HARD, "clinician") + "\n//// audience | Patient\nSecond block.\n////\n")
    texts = patient_texts(source, patient_article=False)
    assert [(t.line, t.kind, t.text) for t in texts] == [(7, "patient block", EASY),
                                                        (21, "patient block", "Second block.")]


def test_an_article_for_patients_is_scored_section_by_section_without_other_audiences():
    body = ("Bottom line for patients.\n\n" + block(HARD, "clinician") + "\n## Safety\n\n" + EASY + "\n\n"
            + block("Also for you.") + "\n## Costs\n\nNone.\n")
    source = article(body, audience="patient")
    first = source.splitlines().index("Bottom line for patients.") + 1
    line = next(number for number, text in enumerate(source.splitlines(), 1)
                if text.startswith("description:"))
    texts = patient_texts(source, patient_article=True, answer=Answer(line, f"**{DESCRIPTION}**"))
    answer, *sections = texts
    assert (answer.line, answer.kind, answer.text) == (line, "one-line answer", DESCRIPTION)
    assert [(t.line - first, t.text) for t in sections] == [
        (0, "Bottom line for patients."), (6, f"Safety. {EASY} Also for you."), (14, "Costs. None.")]
    assert not any("Pharmacological" in t.text for t in texts)


def test_grades_come_from_textstat_and_order_easy_below_hard():
    easy, hard = reading_grade(EASY), reading_grade(HARD)
    assert easy == (round(textstat.flesch_kincaid_grade(EASY), 1), textstat.lexicon_count(EASY))
    assert easy[0] < 8 < hard[0]
    assert reading_grade("") == (0.0, 0)


def test_drug_names_and_defined_abbreviations_count_as_one_short_word():
    text = "Take Cabazitaxel or radium 223 daily. Ask about mCRPC. Rad-223 and MCRPC stay."
    assert neutralised(text, ["cabazitaxel", "radium-223", "Ra-223"], ["mCRPC"]) == (
        f"Take {NEUTRAL_WORD} or {NEUTRAL_WORD} daily. Ask about {NEUTRAL_WORD}. Rad-223 and MCRPC stay.")
    heavy = ("Cabazitaxel, olaparib and enzalutamide help. Abiraterone and docetaxel help too. "
             "Ask about mCRPC and PSMA.")
    plain = neutralised(heavy, ["cabazitaxel", "olaparib", "enzalutamide", "abiraterone", "docetaxel"],
                        ["mCRPC", "PSMA"])
    assert reading_grade(plain)[0] <= 8 < reading_grade(heavy)[0]
    assert reading_grade(plain)[1] == reading_grade(heavy)[1]  # same number of words


def test_scores_are_cached_by_content_on_disk(tmp_path):
    page = Page("docs/a.md", "a.md", block(HARD), patient_article=False)
    [score] = score_pages([page], names=(), cache_root=tmp_path)
    assert above([score], 8) == [score] and score.line == 1 and score.path == "docs/a.md"
    cache = tmp_path / ".cache" / "medsite" / "readability.json"
    stored = json.loads(cache.read_text(encoding="utf-8"))
    [key] = stored["items"]
    stored["items"][key][0][2] = 99.0  # proves the next answer comes from the file
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert [s.grade for s in score_pages([page], names=(), cache_root=tmp_path)] == [99.0]
    edited = Page("docs/a.md", "a.md", block(HARD + " More."), patient_article=False)
    assert score_pages([edited], names=(), cache_root=tmp_path)[0].grade < 99


def test_pages_without_patient_text_cost_nothing(tmp_path):
    pages = [Page("docs/a.md", "a.md", "# Clinician page\n\n" + HARD, patient_article=False)]
    assert score_pages(pages, names=(), cache_root=tmp_path) == []
    assert not (tmp_path / ".cache").exists()


def test_check_warns_with_line_and_score_and_strict_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CI", raising=False)
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    good = tmp_path / "docs" / "articles" / "good.md"
    good.write_text(GOOD + "\n" + block(EASY) + "\n" + block(HARD), encoding="utf-8")
    lines = good.read_text(encoding="utf-8").splitlines()
    hard_line = len(lines) - 2  # the second block's opening line
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    grade = reading_grade(HARD)[0]
    assert (f"docs/articles/good.md:{hard_line}: warning: patient block reads at grade {grade:g} "
            f"(Flesch-Kincaid, {reading_grade(HARD)[1]} words); expected grade 8 or below") in out
    assert out.count("reads at grade") == 1  # the easy block passes
    assert main(["check", "--strict"]) == 1
    capsys.readouterr()
    config = tmp_path / "mkdocs.yml"
    setting = "  medsite:\n    reading_grade: 30\n"
    config.write_text(config.read_text(encoding="utf-8").replace("  medsite:\n", setting), encoding="utf-8")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "mkdocs.yml: error: extra.medsite.reading_grade is 30; expected a school grade" in out


def test_tiny_site_dashboard_lists_patient_text_above_the_grade(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/articles/hard.md", article("Clinician text.\n\n" + block(HARD)))
    tiny_site.write("docs/articles/for-patients.md",
                    article(EASY + "\n\n## Details\n\n" + HARD + "\n", title="For <b>patients</b>?",
                            audience="patient", description=HARD))
    tiny_site.write("docs/about.md", "# About\n\n" + block(EASY))
    page = tiny_site.build().html("dashboard.md")
    section = page.split("Patient text above reading grade 8</h2>")[1]
    rows = re.findall(r"<tr><td>.*?</tr>", section)
    assert len(rows) == 3 and "articles for patients checked: 5; above grade 8: 3 (" in section
    assert "<td>one-line answer</td>" in section  # a patient article's answer is read first: it counts
    assert '<a href="../articles/for-patients/">docs/articles/for-patients.md</a>' in section
    assert '<a href="../articles/hard/">docs/articles/hard.md</a>' in section
    assert all(f"<td>{grade:g}</td>" in section for grade in (reading_grade(HARD)[0],))
    assert "about.md" not in section


def test_tiny_site_dashboard_says_when_all_patient_text_passes(tiny_site):
    tiny_site.config["extra"]["medsite"].update(today=TODAY, reading_grade=12)
    tiny_site.write("docs/articles/easy.md", article("Text.\n\n" + block(EASY)))
    page = tiny_site.build().html("dashboard.md")
    assert "Patient text above reading grade 12</h2>" in page
    assert "articles for patients checked: 1; all read at grade 12 or below." in page


def test_many_new_pages_are_scored_across_processes_as_one_at_a_time(tmp_path):
    pages = [Page(f"docs/p{index}.md", f"p{index}.md", block(f"{EASY} Page {index}.") + block(HARD),
                  patient_article=False) for index in range(250)]  # two processes' worth
    together = score_pages(pages, names=("cabazitaxel",), cache_root=tmp_path / "together")
    alone = [score for page in pages
             for score in score_pages([page], names=("cabazitaxel",), cache_root=tmp_path / "alone")]
    assert together == alone and len(together) == 2 * len(pages)
