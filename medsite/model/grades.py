"""The evidence-grade vocabulary authors may write, and what each grade means to a reader.

Two scales are in use in the guidelines our answers cite, so both are accepted and nothing else:
- GRADE (Guyatt et al.): strength of recommendation 1 (strong) or 2 (weak) and quality of evidence
  A (high), B (moderate) or C (low or very low): `1A` … `2C`.
- Levels of evidence I–V with grades of recommendation A–D, as in ESMO clinical practice guidelines
  (adapted from the Infectious Diseases Society of America–US Public Health Service system): `I-A` … `V-D`.
"""

from __future__ import annotations

from dataclasses import dataclass

_STRENGTH = {"1": "strong recommendation", "2": "weak recommendation"}
_QUALITY = {
    "A": "high-quality evidence",
    "B": "moderate-quality evidence",
    "C": "low- or very-low-quality evidence",
}
_LEVEL = {
    "I": "at least one large randomised controlled trial of good quality, or meta-analyses of such trials",
    "II": "small randomised trials, or large randomised trials with a suspicion of bias",
    "III": "prospective cohort studies",
    "IV": "retrospective cohort studies or case-control studies",
    "V": "studies without a control group, case reports or expert opinion",
}
_RECOMMENDATION = {
    "A": "strong evidence of efficacy with substantial clinical benefit; strongly recommended",
    "B": "strong or moderate evidence of efficacy but limited clinical benefit; generally recommended",
    "C": "insufficient evidence, or benefit does not outweigh risks; optional",
    "D": "moderate evidence against efficacy or for an adverse outcome; generally not recommended",
}


@dataclass(frozen=True)
class Grade:
    """One allowed grade: the code authors write, the badge text and the explanation in its tooltip."""

    code: str
    label: str
    explanation: str
    scale: str  # anchor of the scale's section on the evidence-grades page


def _build() -> dict[str, Grade]:
    grades = {}
    for strength, strength_text in _STRENGTH.items():
        for quality, quality_text in _QUALITY.items():
            code = strength + quality
            grades[code] = Grade(
                code, f"GRADE {code}",
                f"GRADE {code}: {strength_text}, {quality_text}. "
                "GRADE scale: 1 strong or 2 weak recommendation; "
                "A high, B moderate, C low quality of evidence.",
                "grade",
            )
    for level, level_text in _LEVEL.items():
        for recommendation, recommendation_text in _RECOMMENDATION.items():
            code = f"{level}-{recommendation}"
            grades[code] = Grade(
                code, f"Level {level}, Grade {recommendation}",
                f"Level {level} evidence: {level_text}. Grade {recommendation}: {recommendation_text}. "
                "Levels I (strongest) to V; grades A (strongest) to D.",
                "levels-and-grades",
            )
    return grades


GRADES: dict[str, Grade] = _build()


def lookup(written: str) -> Grade | None:
    """The grade an author wrote, ignoring case and surrounding spaces; None if not in the vocabulary."""
    return GRADES.get(written.strip().upper())


def allowed() -> str:
    """The vocabulary as a short phrase for error messages."""
    return "1A, 1B, 1C, 2A, 2B, 2C (GRADE) or I-A … V-D (Level I–V, Grade A–D)"
