import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _classify(tmp_path, lines, *args):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("classify", "--input", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_classify_writes_one_json_line_per_input_and_survives_a_bad_line(tmp_path):
    out, err = _classify(
        tmp_path,
        [
            json.dumps({"id": "a", "text": "Our boiler broke, call me on 07845 123456", "links": []}),
            "{not json",
            json.dumps({"id": "c", "text": "Lovely event", "links": []}),
        ],
    )
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 3
    assert rows[0]["id"] == "a"
    assert rows[0]["route"] == "repair"
    assert rows[0]["action"] == "hide"
    assert rows[0]["priority"] == 2
    flag = next(f for f in rows[0]["flags"] if f["category"] == "personal_data")
    assert {"category", "clause", "score", "evidence", "source", "explanation"} <= flag.keys()
    assert flag["evidence"] == "07845 123456"
    assert rows[1]["line"] == 2
    assert "line 2" in rows[1]["error"]
    assert rows[2] == {
        "id": "c",
        "flags": [],
        "route": None,
        "action": "none",
        "priority": 0,
        "priority_name": "low",
        "notes": [],
    }
    assert "1 line(s)" in err


@pytest.mark.django_db
def test_classify_table_format(tmp_path):
    out, _ = _classify(
        tmp_path, [json.dumps({"id": 7, "text": "What a load of bollocks"})], "--format", "table"
    )
    assert "profanity" in out
    assert "GP014 2.3" in out
    headings = out.splitlines()[:2]
    assert headings[0].split() == ["id", "action", "priority", "route", "comment"]
    assert headings[1].split() == ["flag", "(category/subtype)", "clause", "score", "source", "evidence"]


def test_classify_table_shows_each_comment_its_notes_and_evidence_last(tmp_path):
    """Tried as a new user would: a plain text file, read back by line number and a glimpse of the text."""
    path = tmp_path / "mine.txt"
    path.write_text(
        "What time is the jumble sale?\n"
        "Your gas man won't be coming back in one piece if he turns up here again, I mean it.\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("classify", str(path), "--format", "table", "--defaults", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[2].split()[:3] == ["1", "none", "low"]
    assert lines[2].endswith("What time is the jumble sale?")
    assert lines[3].split()[:3] == ["2", "hide", "urgent"]
    assert lines[3].endswith("...")  # a long comment is cut short
    assert lines[4].strip().startswith("note: staff safety")
    flag = lines[5].split()
    assert flag[:3] == ["harassment/threat", "GP014", "2.3"]
    assert "one piece" in lines[5].split(flag[4], 1)[1]  # the evidence, after the source


def test_classify_json_names_the_priority_and_carries_the_notes(tmp_path):
    out, _ = _classify(
        tmp_path,
        [
            json.dumps(
                {"id": 1, "text": "Your gas man won't be coming back in one piece if he turns up here again."}
            )
        ],
        "--defaults",
    )
    row = json.loads(out)
    assert (row["priority"], row["priority_name"]) == (3, "urgent")
    assert any(note.startswith("staff safety") for note in row["notes"])


def test_classify_uses_shipped_defaults_without_the_database(tmp_path):
    # No django_db mark: any query raises, so this proves the command can run with --defaults.
    out, _ = _classify(tmp_path, [json.dumps({"id": 1, "text": "shit"})], "--defaults")
    assert json.loads(out)["flags"][0]["category"] == "profanity"


def test_evaluate_policy_on_own_set_writes_report(tmp_path):
    data = tmp_path / "set.jsonl"
    rows = [
        {"id": "1", "text": "This fucking weather", "links": [], "categories": ["profanity"], "route": None},
        {"id": "2", "text": "Our boiler broke", "links": [], "categories": [], "route": "repair"},
        {"id": "3", "text": "Lovely day", "links": [], "categories": ["hate"], "route": None},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = tmp_path / "evaluation.md"
    report.write_text("# Policy engine evaluation\n\n## Kept section\n\nkeep me\n", encoding="utf-8")
    out = StringIO()
    call_command("evaluate_policy", "--dataset", str(data), "--output", str(report), stdout=out)
    text = out.getvalue()
    assert "macro-F1" in text
    assert "| profanity | 2.3 | 1 | 1.000 | 1.000 | 1.000 |" in text
    assert "| hate | 2.3 | 1 | 0.000 | 0.000 | 0.000 |" in text
    written = report.read_text(encoding="utf-8")
    assert "keep me" in written
    assert "Route confusion" in written
    call_command("evaluate_policy", "--dataset", str(data), "--output", str(report), stdout=StringIO())
    assert report.read_text(encoding="utf-8").count("Route confusion") == 1


def test_evaluate_policy_on_tweeteval_format(tmp_path):
    folder = tmp_path / "tweeteval"
    folder.mkdir()
    rows = [{"text": "@user you are a fucking idiot", "label": 1}, {"text": "lovely sunny day", "label": 0}]
    (folder / "offensive_val.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = StringIO()
    call_command(
        "evaluate_policy",
        "--dataset",
        "tweeteval-offensive-val",
        "--tweeteval-dir",
        str(folder),
        "--no-write",
        stdout=out,
    )
    assert (
        "| whole engine: abuse flags, word model or semantic head at their thresholds | 1.000 |"
        in out.getvalue()
    )


@pytest.mark.django_db
def test_classify_reads_a_plain_file_of_comments_typed_by_hand(tmp_path):
    # A newcomer's file: one comment a line, no JSON, named without --input.
    path = tmp_path / "comments.txt"
    path.write_text("What a load of bollocks\n\nLovely event\n{broken json\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("classify", str(path), stdout=out, stderr=err)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["id"] for row in rows] == [1, 3, None]
    assert rows[0]["flags"][0]["category"] == "profanity"
    assert rows[1]["flags"] == []
    assert rows[2]["line"] == 4  # a line that opens like JSON but is broken still gets its error
    assert "1 line(s)" in err.getvalue()


def test_classify_without_a_file_says_what_to_pass():
    with pytest.raises(CommandError, match="Name a file of comments"):
        call_command("classify")
