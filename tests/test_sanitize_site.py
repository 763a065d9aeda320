"""Level 2: what Material, pymdown-extensions and the project's extensions write survives the sanitiser."""

from __future__ import annotations

PAGE = """\
# Survives

The bottom line[^1] with `code`, H~2~O and mCRPC [@debono2010tropic] [grade: 1A].

## Custom heading { #custom-id }

!!! safety "Critical safety considerations"
    Check the blood count.

???+ pitfall "Common pitfall to avoid"
    Do not stop early.

=== "Clinician"
    Dosing details.

=== "Patient"
    Plain words.

/// audience | patient
Plain-language text.
///

| Drug | Dose |
| :--- | ---: |
| cabazitaxel | 25 mg/m² |

```python
def dose(area):
    return 25 * area
```

![Scan](assets/scan.png){ width="120" }

*[mCRPC]: metastatic castration-resistant prostate cancer

[^1]: A footnote.
"""


def test_typical_markup_survives_sanitising(tiny_site):
    tiny_site.write("docs/index.md", PAGE)
    tiny_site.write("docs/assets/scan.png", b"\x89PNG\r\n\x1a\n")
    tiny_site.write("docs/evidence-grades.md", "# Evidence grades\n\n## GRADE { #grade }\n\nThe scale.\n")
    html = tiny_site.build().html("index.md")
    for kept in (
        '<h2 id="custom-id">Custom heading<a class="headerlink" href="#custom-id" title="Permanent link">',
        '<div class="admonition safety">\n<p class="admonition-title">Critical safety considerations</p>',
        '<details class="pitfall" open="open">\n<summary>Common pitfall to avoid</summary>',
        ('<div class="tabbed-set tabbed-alternate" data-tabs="1:2">'
         '<input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio">'
         '<input id="__tabbed_1_2" name="__tabbed_1" type="radio">'
         '<div class="tabbed-labels"><label for="__tabbed_1_1">Clinician</label>'),
        '<div class="tabbed-content">\n<div class="tabbed-block">',
        '<details class="audience-block" data-audience="patient" open="open">\n'
        '<summary class="audience-block__label">',
        '<th align="left">Drug</th>', '<td align="right">25 mg/m²</td>',
        '<div class="highlight"><pre><span></span><code><span class="k">def</span>',
        '<p><img alt="Scan" src="assets/scan.png" width="120"></p>',
        '<abbr title="metastatic castration-resistant prostate cancer">mCRPC</abbr>',
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">[1]</a></sup>',
        '<li id="fn:1">', '<a class="footnote-backref" href="#fnref:1"',
        '<sup class="medsite-cite"><a class="footnote-ref" href="#ref-debono2010tropic"',
        '<ol class="medsite-references"',
        '<a class="evidence-badge" data-grade="1A"',
    ):
        assert kept in html, kept
