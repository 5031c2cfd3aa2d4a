from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.policy.model import ARTEFACT_NAME, OffensiveModel
from policy_lab import training

DEFAULT_OUTPUT = (
    pathlib.Path(training.__file__).resolve().parents[1] / "moderation" / "policy" / "data" / ARTEFACT_NAME
)


class Command(BaseCommand):
    help = (
        "Train the offensive-language model (moderation/policy/model.py) from JSONL files of "
        '{"text": ..., "label": 0|1}. Reads offensive_train.jsonl and offensive_val.jsonl from '
        "--data-dir (TweetEval/OLID), plus any --extra files; --no-tweeteval trains on --extra alone. "
        "Prints progress and the validation macro-F1, and writes the artefact to --output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=pathlib.Path, help="Folder with offensive_{train,val}.jsonl.")
        parser.add_argument(
            "--extra",
            type=pathlib.Path,
            action="append",
            default=[],
            help="Extra labelled JSONL (e.g. our own moderated comments); repeatable. Added to training.",
        )
        parser.add_argument(
            "--extra-val",
            type=pathlib.Path,
            help="Validation JSONL for --no-tweeteval runs; without it 10%% of the training rows are held out.",
        )
        parser.add_argument(
            "--no-tweeteval",
            action="store_true",
            help="Train on --extra files only (OLID terms unconfirmed).",
        )
        parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT, help="Artefact path.")
        parser.add_argument(
            "--C", type=float, default=training.TrainConfig().C, help="Inverse regularisation."
        )
        parser.add_argument(
            "--tune",
            action="store_true",
            help="Choose C by 5-fold cross-validation on the training rows first.",
        )
        parser.add_argument(
            "--model-version",
            default=dt.datetime.now(tz=dt.UTC).strftime("%Y.%m.%d"),
            help="Model version label.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        log = self.stdout.write
        train_t: list[str] = []
        train_y: list[int] = []
        val_t: list[str] | None = None
        val_y: list[int] | None = None
        sources: list[str] = []
        if not options["no_tweeteval"]:
            data_dir: pathlib.Path | None = options["data_dir"]
            if data_dir is None:
                raise CommandError(
                    "Give --data-dir with offensive_train.jsonl, or --no-tweeteval with --extra."
                )
            for split in ("train", "val"):
                if not (data_dir / f"offensive_{split}.jsonl").is_file():
                    raise CommandError(
                        f"{data_dir / f'offensive_{split}.jsonl'} is missing; check --data-dir."
                    )
            train_t, train_y = training.read_jsonl(data_dir / "offensive_train.jsonl")
            val_t, val_y = training.read_jsonl(data_dir / "offensive_val.jsonl")
            sources.append("tweeteval/offensive (OLID) train; threshold on val")
            log(f"TweetEval offensive: {len(train_t)} train, {len(val_t)} val rows")
        elif not options["extra"]:
            raise CommandError("--no-tweeteval needs at least one --extra FILE.jsonl.")
        for path in options["extra"]:
            t, y = training.read_jsonl(path)
            train_t += t
            train_y += y
            sources.append(f"extra: {path.name} ({len(t)} rows)")
            log(f"extra {path.name}: {len(t)} rows")
        if options["extra_val"] is not None:
            val_t, val_y = training.read_jsonl(options["extra_val"])
            sources.append(f"val: {options['extra_val'].name}")

        cfg = training.TrainConfig(C=options["C"])
        if options["tune"]:
            trials = []
            for c in (0.3, 1.0, 3.0, 10.0):
                f1 = training.cross_validate(train_t, train_y, training.TrainConfig(C=c))
                log(f"  5-fold CV macro-F1 at C={c}: {f1:.4f}")
                trials.append((f1, c))
            cfg = training.TrainConfig(C=max(trials)[1])
            log(f"chose C={cfg.C}")

        result = training.train(
            train_t,
            train_y,
            val_t,
            val_y,
            cfg=cfg,
            version=options["model_version"],
            meta={"sources": sources},
            log=log,
        )
        size = training.save_artefact(result.artefact, options["output"])
        model = OffensiveModel.load(options["output"])
        if val_t is not None and val_y is not None:
            final = training.evaluate(model, val_t, val_y)
            log(json.dumps(final, indent=2))
            log(f"val macro-F1: {final['macro_f1']:.4f} (threshold {model.threshold():.2f})")
        else:
            held_out = result.report["val_at_threshold"]
            log(json.dumps(held_out, indent=2))
            log(f"held-out macro-F1: {held_out['macro_f1']:.4f} (threshold {model.threshold():.2f})")
        log(f"wrote {options['output']} ({size / 1e6:.2f} MB)")
