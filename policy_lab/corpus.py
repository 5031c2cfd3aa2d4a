"""Build the tuning set (tests/data/havebury_tuning.jsonl) from policy_lab/templates.txt.

Each template line is written by hand for one family in one voice; this module fills its slots
and adds the surface noise real comments have (lower case, dropped apostrophes, a typo, a sign-off),
giving several comments per template. The split is by template, so near-duplicates of one
template are all in "train" or all in "dev" and never cross it.

Templates come from several files, each with its own group prefix (``TEMPLATE_FILES``), so that
two people adding templates at once never renumber each other's groups or move them across the split.

Retired test slices are appended as they are, each comment its own template, all in "train" (so the
dev templates, and the honest dev figure, stay as they were): tests/data/havebury_fresh2.jsonl since
round 5 of issue 10, when its failures were read. A fresh slice is never added here.

    python -m policy_lab.corpus            # rewrites tests/data/havebury_tuning.jsonl

Deterministic: a fixed seed per template.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "tests" / "data" / "havebury_tuning.jsonl"
VARIANTS = 5
# file -> group prefix; a file's templates are numbered on their own ("t001", "rc001", ...).
TEMPLATE_FILES = (("templates.txt", "t"), ("templates_recall.txt", "rc"), ("templates_kinds.txt", "kd"))
DEV_SHARE = 0.25
# Retired slice -> ids left out. fresh2's profanity rows about a repair or a wait carry no route, against
# docs/policy.md and the first fresh slice (docs/evaluation.md, round 5), so they would teach the route
# heads a label the policy contradicts.
RETIRED: dict[str, frozenset[str]] = {
    "havebury_fresh2.jsonl": frozenset({"f2-076", "f2-080", "f2-081", "f2-082"}),
}
# Retired slices kept out of the tuning set (so the rules' train figures and the honest dev heads stay as
# they were) that policy_lab.semantic_train --retired may add to the heads' training rows: written blind by
# other writers, they measure whether such rows carry to a further writer (issue 10, round 11). blind7 and
# blind8 were written for the heads by writers who never saw the engine and no rule was tuned on them; they
# may also choose the heads' thresholds (semantic_train --threshold-on).
RETIRED_FOR_HEADS = (
    "havebury_fresh3.jsonl",
    "havebury_fresh4.jsonl",
    "havebury_blind7.jsonl",
    "havebury_blind8.jsonl",
)

SLOTS: dict[str, tuple[str, ...]] = {
    "role": (
        "housing officer",
        "repairs manager",
        "call handler",
        "neighbourhood officer",
        "income officer",
        "caretaker",
        "surveyor",
        "lettings officer",
        "tenancy officer",
        "chief executive",
        "customer services manager",
        "complaints officer",
        "repairs planner",
        "estate warden",
    ),
    "staff": ("Lauren Eden", "Hayley Lambert", "Kathryn Rowland"),
    "person": (
        "Gary Marsh",
        "Trevor Bligh",
        "Dean Walker",
        "Sue Cotton",
        "Mrs Okafor",
        "Paula Reeve",
        "Kev Dobson",
        "Janet Firth",
    ),
    "trade": (
        "plumber",
        "electrician",
        "gas engineer",
        "roofer",
        "joiner",
        "window fitter",
        "plasterer",
        "decorator",
    ),
    "firm": (
        "Swiftfix",
        "A1 Roofing",
        "KD Electrical",
        "Anglia Windows",
        "Premier Plumbing",
        "Eastern Build",
    ),
    "group": (
        "migrants",
        "immigrants",
        "refugees",
        "asylum seekers",
        "disabled people",
        "wheelchair users",
        "pensioners",
        "old people",
        "women",
        "gay couples",
        "trans people",
        "Muslims",
        "Jews",
        "Poles",
        "Romanians",
        "Travellers",
        "Africans",
        "Eastern Europeans",
        "Lithuanians",
        "single mothers from abroad",
    ),
    "nationadj": ("Polish", "Syrian", "Nigerian", "Romanian", "Afghan", "Pakistani"),
    "place": (
        "Haverhill",
        "Stowmarket",
        "Sudbury",
        "Mildenhall",
        "Bury",
        "Brandon",
        "Newmarket",
        "Red Lodge",
        "Clare",
        "Lakenheath",
    ),
    "street": (
        "Orchard Close",
        "Mill Lane",
        "Station Road",
        "Prospect Row",
        "Victoria Street",
        "Fornham Road",
        "Hollow Road",
        "Tayfen Road",
    ),
    "defect": (
        "boiler",
        "back door",
        "kitchen tap",
        "shower",
        "bathroom fan",
        "fence panel",
        "gutter",
        "stair rail",
        "letterbox",
        "smoke alarm",
        "loft hatch",
        "toilet",
        "front window",
    ),
    "kid": ("my son", "my daughter", "my little girl", "my 3 year old", "the baby", "my grandson"),
    "cond": ("asthma", "bronchitis", "a weak chest", "sickle cell", "COPD", "eczema"),
    "amount": ("£200", "£350", "£75", "£120"),
    "handle": ("Dazza77", "KerryB", "mick_h", "Shaz", "TonyP", "BigJase"),
    "num": ("3", "12", "27", "41", "8", "115"),
    "phone": ("700 900 123", "845 221 903", "9123 44 567", "311 562 880"),
    "emailname": ("tracey.b", "davelane71", "jo_walsh", "pcollins"),
    "nino": ("12 34 56", "98 76 54", "33 22 11"),
    "tenref": ("HB-48213-C", "HB-10077-A", "HB-33920-B"),
}
SIGN_OFFS = {
    "older_resident": ("", " Regards, Pat", " Thank you.", " Mrs D Harris"),
    "angry_tenant": ("", "!!!", " 😡", " fuming", " sort it out"),
    "troll": ("", " lol", " 🤡", " #havebury", " smh"),
    "scammer": ("", " ✅", " 💰💰", " Don't miss out!"),
    "supportive_neighbour": ("", " x", " 😊", " :)"),
    "partner": ("", " Thanks, Suffolk Support Network", " (posted on behalf of our team)"),
    "shift_worker": ("", " cheers", " (sent from my phone on a break)"),
    "teen": ("", " 💀", " fr", " lmao"),
    "tradesman": ("", " Regards", " - Mick"),
    "tenant_rep": ("", " (residents' association)", " Thank you."),
    "nan": ("", " God bless", " from Margaret"),
    "newcomer": ("", " Thank you", " 🙏"),
    "pub_regular": ("", " 🍺", " cheers lads"),
    "keyboard_warrior": ("", " #justsaying", " 🤷"),
    "mum_group": ("", " xx", " 💕"),
    "ex_serviceman": ("", " Regards, Ken", " 🇬🇧"),
    "bot": ("", " ✅", " 🔥🔥"),
}
_SLOT = re.compile(r"\{(\w+)\}")


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def _noise(text: str, voice: str, rng: random.Random, k: int) -> str:
    if k == 0:
        return text  # the template as written
    if voice in ("troll", "angry_tenant") and rng.random() < 0.5:
        text = text.lower()
    if rng.random() < 0.3:
        text = text.replace("'", "")
    if rng.random() < 0.3:
        text = _typo(text, rng)
    return text + rng.choice(SIGN_OFFS.get(voice, ("",)))


def parse_templates(path: Path = HERE / "templates.txt") -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("L:"):
            rows[-1]["links"].append(line[2:].strip())  # type: ignore[attr-defined]
            continue
        family, voice, cats, route, text = line.split("|", 4)
        rows.append(
            {
                "family": family,
                "voice": voice,
                "categories": [c for c in cats.split(",") if c],
                "route": route or None,
                "template": text,
                "links": [],
            }
        )
    return rows


def _split(group: str) -> str:
    digest = int(hashlib.sha256(group.encode()).hexdigest()[:8], 16)
    return "dev" if digest / 0xFFFFFFFF < DEV_SHARE else "train"


def _fill(template: str, rng: random.Random) -> str:
    return _SLOT.sub(lambda m: rng.choice(SLOTS[m.group(1)]), template)


def _templates() -> list[tuple[str, dict[str, object]]]:
    """(group, template) for every template file, in file order."""
    out: list[tuple[str, dict[str, object]]] = []
    for name, prefix in TEMPLATE_FILES:
        templates = parse_templates(HERE / name)
        out += [(f"{prefix}{n:03d}", tpl) for n, tpl in enumerate(templates, start=1)]
    return out


def build() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for group, tpl in _templates():
        rng = random.Random(f"havebury-{group}")
        seen: set[str] = set()
        for k in range(VARIANTS * 3):
            if len(seen) >= VARIANTS:
                break
            text = _fill(str(tpl["template"]), rng)
            text = _noise(text, str(tpl["voice"]), rng, k)
            if text in seen:
                continue
            seen.add(text)
            out.append(
                {
                    "id": f"tu-{group}-{len(seen)}",
                    "text": text,
                    "links": list(tpl["links"]),  # type: ignore[call-overload]
                    "categories": tpl["categories"],
                    "route": tpl["route"],
                    "family": tpl["family"],
                    "voice": tpl["voice"],
                    "group": group,
                    "split": _split(group),
                }
            )
    return out


def slice_rows(name: str, left_out: frozenset[str] = frozenset()) -> list[dict[str, object]]:
    """A retired slice's rows in the tuning format, each comment its own template, all in "train"."""
    out: list[dict[str, object]] = []
    for line in (OUT.parent / name).open(encoding="utf-8"):
        row = json.loads(line) if line.strip() else None
        if row is None or row["id"] in left_out:
            continue
        out.append(
            {
                "id": f"tu-{row['id']}",
                "text": row["text"],
                "links": row.get("links", []),
                "categories": row["categories"],
                "route": row["route"],
                "family": row["family"],
                "voice": row["voice"],
                "group": row["id"],
                "split": "train",
                "source": name,
            }
        )
    return out


def retired() -> list[dict[str, object]]:
    return [row for name, left_out in RETIRED.items() for row in slice_rows(name, left_out)]


def main() -> None:
    rows = build() + retired()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} comments to {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
