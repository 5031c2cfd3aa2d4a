"""Code comments cite documents that exist in the repository, by sections that exist.

Comments once cited "conventions §N" and docs/channel-apis.md, neither of which is in the
repository (issue 7 item 7). This walks every source, config and doc file and checks each
citation: the cited docs/*.md exists, and a numbered section of docs/architecture.md exists.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    "moderation",
    "accounts",
    "havebury_social",
    "fakeplatforms",
    "policy_lab",
    "bench",
    "tests",
    "docs",
)
SUFFIXES = {".py", ".md", ".html", ".toml", ".txt", ".yml", ".yaml", ".cfg"}
DOC_CITATION = re.compile(r"docs/([\w-]+)\.md(?:\s*§\s*(\d+)(?:\s*[-,]\s*§?\s*(\d+))?)?")
MISSING = re.compile(r"conventions\s*§|channel-apis\.md")


def _files():
    yield ROOT / "pyproject.toml"
    yield ROOT / "Dockerfile"
    yield ROOT / "README.md"
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in SUFFIXES and path.is_file() and "data" not in path.relative_to(ROOT).parts[:3]:
                yield path


def _sections(doc: Path) -> set[str]:
    return set(re.findall(r"^## (\d+)\.", doc.read_text(), flags=re.M))


def test_no_comment_cites_a_document_outside_the_repository():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _files()
        if path.name != Path(__file__).name
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if MISSING.search(line)
    ]
    assert offenders == []


def test_every_cited_doc_and_numbered_section_exists():
    bad = []
    for path in _files():
        if path.name == Path(__file__).name:
            continue
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            for name, first, last in DOC_CITATION.findall(line):
                doc = ROOT / "docs" / f"{name}.md"
                if not doc.exists():
                    bad.append(f"{path.relative_to(ROOT)}:{n} cites missing docs/{name}.md")
                    continue
                wanted = {s for s in (first, last) if s}
                if wanted - _sections(doc):
                    bad.append(
                        f"{path.relative_to(ROOT)}:{n} cites docs/{name}.md §{first} (no such section)"
                    )
    assert bad == []
