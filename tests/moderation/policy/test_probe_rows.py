"""semantic_train --extra reads the probe files' four row formats (policy_lab/probe_rows.py)."""

import json
from pathlib import Path

import pytest

from policy_lab import probe_rows
from policy_lab.semantic_train import HEAD_RULES

DATA = Path(__file__).resolve().parents[2] / "data"


def _write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    return path


def test_each_format_teaches_only_its_own_heads(tmp_path):
    path = _write(
        tmp_path,
        "mixed_probe.jsonl",
        [
            {"id": "a", "family": "insult", "harmful": 1, "text": "you absolute plank"},
            {"id": "b", "family": "profanity", "harmful": 0, "text": "Scunthorpe bus times"},
            {"id": "c", "family": "threat", "label": 1, "text": "I know where the caretaker lives"},
            {"id": "d", "family": "threat", "label": 0, "text": "I know where the caretaker's office is"},
            {
                "id": "e",
                "category": "defamation",
                "family": "defamation",
                "text": "the officer pockets the rent",
            },
            {
                "id": "f",
                "categories": [],
                "route": "complaint",
                "family": "complaint",
                "text": "still no plumber",
            },
            {"id": "g", "family": "personal_data", "harmful": 1, "text": "his number is 07700 900123"},
            {"id": "h", "text": "no label at all"},
        ],
    )
    rows = {r["id"].split(":")[1]: r for r in probe_rows.read([path])}
    assert set(rows) == {"a", "b", "c", "d", "e", "f"}  # no head for personal data; no label, no row
    assert rows["a"]["categories"] == ["harassment"]
    assert rows["b"]["categories"] == []
    assert rows["c"]["family"] == "threat"
    assert rows["d"]["family"] != "threat"
    assert rows["f"]["route"] == "complaint"
    # A threat probe's row says nothing about routes; a route probe's row nothing about threats.
    rule = HEAD_RULES["complaint"]
    assert "complaint" not in rows["c"]["heads"]
    assert rule(rows["f"]) is True
    assert "threat" not in rows["f"]["heads"]
    assert HEAD_RULES["threat"](rows["c"]) is True
    assert "compliment" not in {h for r in rows.values() for h in r["heads"]}


@pytest.mark.parametrize("name", ["havebury_fresh3.jsonl", "havebury_tuning.jsonl"])
def test_fresh_slices_and_the_tuning_set_are_refused(tmp_path, name):
    with pytest.raises(ValueError, match="not a probe file"):
        probe_rows.read([tmp_path / name])


def test_every_shipped_probe_file_is_read():
    paths = sorted(
        p for p in DATA.glob("*_probe*.jsonl") if p.name not in {"spelling_probe.jsonl", "hate_probe.jsonl"}
    )
    rows = probe_rows.read(paths)
    assert {r["id"].split(":")[0] for r in rows} == {p.stem for p in paths}
    assert all(r["heads"] and r["text"] for r in rows)
