"""Run every benchmark and rewrite its section of docs/benchmarks.md: `python -m bench` (or `make bench`).

Each benchmark runs in its own interpreter, one after another, so they don't compete
for the two cores. Pass --only NAME to run one. The queue benchmark needs PostgreSQL
on 127.0.0.1 (it makes a throwaway `havebury_bench` database); the policy benchmarks
read the TweetEval folder given by --tweeteval-dir.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TWEETEVAL = ROOT.parent / "shared" / "data" / "tweeteval"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only",
        choices=[
            "queue",
            "api",
            "ingest",
            "channels",
            "networks",
            "calls",
            "policy",
            "stages",
            "model",
            "flag",
        ],
    )
    parser.add_argument("--tweeteval-dir", type=Path, default=DEFAULT_TWEETEVAL)
    args = parser.parse_args()
    runs = {
        "queue": ["bench.queue_bench"],
        "api": ["bench.api_bench"],  # the items list under 50 concurrent clients (issue 9)
        "ingest": ["bench.ingest_bench"],
        "channels": ["bench.channels_bench"],
        "networks": ["bench.networks_bench"],
        "calls": ["bench.calls_bench"],  # platform calls per 100 new comments, polling against webhooks
        "policy": ["bench.policy_bench"],  # reads the TweetEval folder beside the repo
        "stages": ["bench.policy_stages_bench"],  # each stage of the policy engine (issue 10)
        "model": ["bench.policy_model_bench", "--data-dir", str(args.tweeteval_dir)],
        "flag": ["bench.time_to_flag"],  # comment on the fake platform to flag in the queue (issue 12)
    }
    failed = []
    for name, module in runs.items():
        if args.only and name != args.only:
            continue
        print(f"== {name}: python -m {' '.join(module)}", flush=True)
        if subprocess.run([sys.executable, "-m", *module], cwd=ROOT, check=False).returncode:  # noqa: S603
            failed.append(name)
    if failed:
        sys.exit(f"Benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
