"""Issue 10, round 8: the fine-tuning script's held-out split and labels (runs without torch)."""

import sys

from policy_lab.evaluation import load_jsonl
from policy_lab.finetune_encoder import DATA, _labels, held_out
from policy_lab.semantic_train import HEAD_RULES


def test_the_script_imports_without_torch():
    # CI has no torch: the training libraries are imported inside main() only.
    assert "torch" not in sys.modules
    assert "transformers" not in sys.modules


def test_held_out_templates_are_stable_and_about_the_share_asked():
    groups = sorted({r["group"] for r in load_jsonl(str(DATA / "havebury_tuning.jsonl"))})
    chosen = [g for g in groups if held_out(g, 0.2)]
    assert chosen == [g for g in groups if held_out(g, 0.2)]  # same templates in finetune and semantic_train
    assert 0.15 < len(chosen) / len(groups) < 0.25
    # A larger share keeps every template a smaller one held out, so the splits nest.
    assert set(chosen) <= {g for g in groups if held_out(g, 0.3)}


def test_an_olid_row_teaches_only_the_offensive_head():
    heads = list(HEAD_RULES)
    own = {"id": "x", "text": "you absolute idiot", "categories": ["harassment"], "route": None}
    y, mask = _labels([{"text": "@user you are vile", "label": 1}, own], heads)
    off = heads.index("offensive")
    assert mask[0].tolist() == [1.0 if j == off else 0.0 for j in range(len(heads))]
    assert y[0, off] == 1.0
    assert y[1, heads.index("harassment")] == 1.0
    assert y[1, off] == 1.0
    assert mask[1, heads.index("threat")] == 0.0  # a row without a family says nothing about threats
