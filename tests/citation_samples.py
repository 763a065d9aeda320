"""Bibliographies and a Markdown renderer configured like the site, for the citation tests.

Synthetic entries use DOI prefix 10.5555 (Crossref's example prefix) so no test invents a real
identifier; the real entries come from the project's references/seed-references.bib.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import yaml

from medsite.bibliography.load import Bibliography, load_bibliography
from medsite.bibliography.reference_format import format_bibliography
from medsite.extensions.citations import CitationsExtension
from medsite.extensions.engine import NAME as ENGINE_GUARD
from medsite.extensions.engine import EngineGuardExtension
from medsite.model.project import CITATIONS_EXTENSION
from tests.sitebuild import PROJECT

SEED = (PROJECT / "references" / "seed-references.bib").read_text(encoding="utf-8")

SYNTHETIC = r"""@article{alpha,
  author  = {Alpha, Ann},
  title   = {Alpha trial},
  journal = {J Test},
  year    = {2020},
  pages   = {10--19},
  doi     = {10.5555/alpha}
}

@article{smith:2020.x-y,
  author  = {Smith, John A. and van der Berg, Piet},
  title   = {Punctuated keys at 20 mg/m$^2$ with {PSMA} --- a test},
  journal = {J Test},
  year    = {2021},
  volume  = {3},
  pages   = {100--105},
  doi     = {10.5555/punctuated}
}

@book{beta,
  author    = {Beta, Bob},
  title     = {Beta book <b>&</b> more},
  publisher = {Test Press},
  year      = {2019}
}

@misc{gamma,
  author = {{Gamma Working Group}},
  title  = {Gamma guideline},
  year   = {2022},
  url    = {https://example.org/gamma}
}

@article{delta,
  author  = {Delta, Dan},
  title   = {Delta trial},
  journal = {J Test},
  year    = {2018},
  pmid    = {1}
}
"""


def load(tmp_path: Path, **files: str) -> Bibliography:
    """A bibliography from .bib files written into tmp_path/references (name → text)."""
    folder = tmp_path / "references"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.bib").write_text(text, encoding="utf-8")
    return load_bibliography(folder, root=tmp_path, use_disk_cache=False)


def site_extensions(citations: CitationsExtension) -> tuple[list, dict]:
    """The Markdown extensions and their settings, as mkdocs.yml lists them and our hooks register them:
    `citations` in place of the listed citation extension, and the engine guard told that the hooks run."""
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions, settings = [], {}
    for item in config["markdown_extensions"]:
        name = next(iter(item)) if isinstance(item, dict) else item
        options = (item[name] if isinstance(item, dict) else None) or {}
        if name == CITATIONS_EXTENSION:
            extensions.append(citations)
        elif name == ENGINE_GUARD:
            extensions.append(EngineGuardExtension.run_by("tests", **options))
        else:
            extensions.append(name)
            settings[name] = options
    return extensions, settings


def renderer(bibliography: Bibliography, citations: CitationsExtension | None = None) -> markdown.Markdown:
    """A Markdown instance with the site's extensions and the citation extension (`citations` if given)."""
    if citations is None:
        citations = CitationsExtension(bibliography, format_bibliography(bibliography, cache_root=None))
    extensions, settings = site_extensions(citations)
    return markdown.Markdown(extensions=extensions, extension_configs=settings)


def render(bibliography: Bibliography, text: str) -> str:
    return renderer(bibliography).convert(text)


def render_numbered(bibliography: Bibliography, text: str) -> tuple[str, list[str]]:
    """The HTML, and the keys the extension hands to the page's reference list, in number order."""
    citations = CitationsExtension(bibliography, format_bibliography(bibliography, cache_root=None))
    html = renderer(bibliography, citations).convert(text)
    return html, citations.take_numbered()
