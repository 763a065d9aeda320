"""Only allow-listed files are published: Markdown pages named `*.md`, inert static files in the project's
asset folders, no symbolic link where the build reads (medsite.model.published, hooks/published_files.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from medsite.cli.main import main
from medsite.model.published import docs_files
from tests.project_samples import make_project
from tests.review_samples import article
from tests.sitebuild import BuildFailed

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
SCRIPT = "<script>alert(document.cookie)</script>"


def fails_naming(site, *where: str) -> str:
    with pytest.raises(BuildFailed) as failure:
        site.build()
    log = failure.value.log
    assert "Traceback" not in log
    for name in where:
        assert name in log, (name, log)
    return log


@pytest.mark.parametrize("name", ["page.html", "articles/x.html", "icon.svg", "assets/icon.svg", "evil.js",
                                  "articles/Upper.MD", "articles/old.markdown", "assets/page.htm",
                                  "assets/x.PNG", "notes.txt"])
def test_a_file_off_the_allow_list_fails_the_build_naming_it(tiny_site, name):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write(f"docs/{name}", f"<html>{SCRIPT}</html>")
    fails_naming(tiny_site, f"docs/{name}: error: ")
    assert not (tiny_site.root / "site" / name).exists()


def test_an_image_that_is_not_an_image_is_refused_and_real_assets_are_published(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/assets/images/real.png", PNG)
    tiny_site.write("docs/assets/extra.css", "p { margin: 0 }\n")
    built = tiny_site.build()
    assert (built.site_dir / "assets" / "images" / "real.png").read_bytes() == PNG
    tiny_site.write("docs/assets/images/fake.png", f"<html>{SCRIPT}</html>")
    fails_naming(tiny_site, "docs/assets/images/fake.png: error: not a `.png` image")


def test_a_symlinked_file_in_docs_fails_the_build_and_publishes_nothing_of_it(tiny_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("BUILD_SECRET=hunter2\n", encoding="utf-8")
    tiny_site.write("docs/index.md", "# Home\n")
    (tiny_site.docs / "assets" / "environ.css").symlink_to(secret)
    (tiny_site.docs / "passwd.md").symlink_to("/etc/passwd")
    log = fails_naming(tiny_site, "docs/assets/environ.css: error: a symbolic link",
                       "docs/passwd.md: error: a symbolic link")
    assert "hunter2" not in log and "root:" not in log
    site = tiny_site.root / "site"
    published = [path for path in site.rglob("*") if path.is_file()]
    assert not any("hunter2" in path.read_text(errors="replace") for path in published)


def test_a_symlinked_folder_of_markdown_is_refused_not_published_without_checks(tiny_site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "unchecked.md").write_text("---\ntemplate: base.html\n---\n# Unreviewed\n", encoding="utf-8")
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/articles/a.md", article())
    (tiny_site.docs / "articles" / "more").symlink_to(outside, target_is_directory=True)
    fails_naming(tiny_site, "docs/articles/more: error: a symbolic link")


@pytest.mark.parametrize("where", ["references/linked.bib", "data/people.yml"])
def test_a_symlink_where_the_build_reads_data_is_refused_unread(tiny_site, tmp_path, where):
    secret = tmp_path / "secret.txt"
    secret.write_text("@misc{hunter2,\n  title = {BUILD_SECRET hunter2}\n  oops\n", encoding="utf-8")
    tiny_site.write("docs/index.md", "# Home\n")
    path = tiny_site.root / where
    path.unlink(missing_ok=True)
    path.symlink_to(secret)
    log = fails_naming(tiny_site, f"{where}: error: a symbolic link")
    assert "hunter2" not in log


def test_medsite_check_names_what_the_build_would_refuse(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    config = make_project(tmp_path)
    (tmp_path / "docs" / "x.svg").write_text(f"<svg>{SCRIPT}</svg>", encoding="utf-8")
    (tmp_path / "docs" / "articles" / "link.md").symlink_to(tmp_path / "docs" / "articles" / "good.md")
    (tmp_path / "references" / "data.bib").symlink_to(tmp_path / "references" / "small.bib")
    assert main(["check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    for expected in ("docs/x.svg: error: a `.svg` file would be published as it is",
                     "docs/articles/link.md: error: a symbolic link",
                     "references/data.bib: error: a symbolic link"):
        assert expected in out


def test_the_docs_walk_is_the_one_mkdocs_makes(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    docs = tmp_path / "docs"
    for name in ("index.md", "a/b.md", "a/.hidden.md", ".git/x", "templates/t.md", "a/templates/u.md",
                 "assets/x.css", "articles/x.md", "articles/.drafts/y.md", "README.md", "x.MD"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("x", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    expected = sorted(file.src_uri for file in get_files(config) if not file.inclusion.is_excluded())
    assert "README.md" not in expected  # beside index.md
    assert docs_files(docs) == expected
    assert "articles/.drafts/y.md" not in expected and "a/templates/u.md" in expected


def test_the_catalog_sees_the_articles_mkdocs_publishes(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/articles/a.md", article())
    tiny_site.write("docs/articles/.draft.md", article(title="Hidden draft?"))
    built = tiny_site.build()
    assert not (built.site_dir / "articles" / ".draft").exists()
    assert os.listdir(built.site_dir / "articles") == ["a"]
    assert Path(built.site_dir / "articles" / "a" / "index.html").is_file()
