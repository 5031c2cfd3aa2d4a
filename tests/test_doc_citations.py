"""Code comments cite documents that exist in the repository, by sections that exist.

Comments once cited "conventions §N" and docs/channel-apis.md, neither of which is in the
repository (issue 7 item 7). This walks every source, config and doc file and checks each
citation: the cited docs/*.md exists, and a numbered section of docs/architecture.md exists.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every text file of the repository is read: code, templates, scripts, docs, build and CI files.
SUFFIXES = {
    ".py",
    ".md",
    ".html",
    ".txt",
    ".toml",
    ".yml",
    ".yaml",
    ".cfg",
    ".ini",
    ".sh",
    ".js",
    ".css",
    ".json",
    ".in",
}
NAMES = {"Makefile", "Dockerfile", "run", ".dockerignore", ".gitignore"}
# Not the repository's own text: environments, caches and the demo's data folder.
SKIP_DIRS = {
    ".git",
    ".venv",
    ".data",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "__pycache__",
    "node_modules",
}
MAX_BYTES = 1_000_000  # model vocabularies and tuning sets: data, not prose
DOC_CITATION = re.compile(r"docs/([\w-]+)\.md(?:\s*§\s*(\d+)(?:\s*[-,]\s*§?\s*(\d+))?)?")
MISSING = re.compile(r"conventions\s*§|channel-apis\.md")


def _files():
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if any(part in SKIP_DIRS for part in parts[:-1]) or not path.is_file():
            continue
        if (path.suffix in SUFFIXES or path.name in NAMES) and path.stat().st_size <= MAX_BYTES:
            yield path


def test_the_walk_reads_every_kind_of_file_a_citation_could_hide_in():
    read = {str(p.relative_to(ROOT)) for p in _files()}
    for expected in (
        "README.md",
        "Makefile",
        "Dockerfile",
        "docker-compose.yml",
        "pyproject.toml",
        ".ci/run",
        "scripts/bootstrap.sh",
        "templates/base.html",
        "moderation/services/ingest/polling.py",
        "fakeplatforms/graph.py",
        "tests/fixtures/meta/README.md",
        "docs/architecture.md",
    ):
        assert expected in read, expected
    assert not [p for p in read if p.startswith((".venv/", ".git/"))]


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
