"""The site's folders the search index writes, swaps and deletes (pagefind/, pagefind.new/, pagefind.old/)
take no page or file of the docs folder: the indexer would empty them, and a maintainers' page
`pagefind.old.md` vanished from the built site without a message (attack finding, 7 December)."""

from __future__ import annotations

import pytest

from medsite.search.pagefind import SITE_FOLDERS, reserved_folder
from tests.sitebuild import BuildFailed


def test_an_address_in_a_folder_of_the_index_is_found_whatever_its_case():
    folders = SITE_FOLDERS
    assert reserved_folder("pagefind.old/index.html", folders) == "pagefind.old"
    assert reserved_folder("Pagefind.New/a/index.html", folders) == "Pagefind.New"
    assert reserved_folder("pagefind/x.png", folders) == "pagefind"
    for address in ("pagefind.old.html", "pagefind-old/index.html", "a/pagefind/index.html", "pagefind"):
        assert reserved_folder(address, folders) is None


@pytest.mark.parametrize("page", ["docs/pagefind.old.md", "docs/pagefind.new.md",
                                  "docs/pagefind.old/notes.md", "docs/Pagefind.OLD.md"])
def test_a_page_published_into_a_folder_of_the_index_fails_the_build_naming_it(tiny_site, page):
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write(page, "# Scratch\n\nA page about zqscratch.\n")
    with pytest.raises(BuildFailed) as failed:
        tiny_site.build()
    folder = page.removeprefix("docs/").removesuffix(".md").split("/")[0]
    assert f"{page}: error: found a page or file published to {folder}/" in failed.value.log
    assert all(f"{name}/" in failed.value.log for name in SITE_FOLDERS)


def test_a_page_whose_name_only_resembles_them_is_published(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/pagefind-old.md", "# Not scratch\n\nA page about zqscratch.\n")
    built = tiny_site.build()
    assert "zqscratch" in built.html("pagefind-old.md")
