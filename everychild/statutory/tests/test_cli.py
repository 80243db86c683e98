"""The command line: JSON in, JSON out; exit 2 and nothing on stdout when refused."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from everychild.statutory import RULES_VERSION, rule_keys
from everychild.statutory.cli import main

GOOD = {"today": "2025-03-01", "request_received": "2025-01-06"}


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin), stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_prints_the_timeline_and_exits_0():
    code, out, err = run([], json.dumps(GOOD))
    assert code == 0 and err == ""
    result = json.loads(out)
    assert result["rules_version"] == RULES_VERSION
    decision = result["milestones"][0]
    assert decision["key"] == "decision_whether_to_assess"
    assert (decision["due"], decision["status"]) == ("2025-02-17", "overdue")


def test_reads_a_file(tmp_path: Path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    code, out, _ = run(["--file", str(path), "--pretty"])
    assert code == 0
    assert json.loads(out)["milestones"]
    code, out2, _ = run([f"--file={path}"])
    assert code == 0 and json.loads(out2) == json.loads(out)


def test_count_start_as_day_one_flag():
    _, out, _ = run(["--count-start-as-day-one"], json.dumps(GOOD))
    assert json.loads(out)["milestones"][0]["due"] == "2025-02-16"


def test_rules_lists_the_registry():
    code, out, _ = run(["--rules"])
    assert code == 0
    assert [r["key"] for r in json.loads(out)["rules"]] == list(rule_keys())


def test_help():
    code, out, _ = run(["--help"])
    assert code == 0 and "usage:" in out


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        ("{not json", "invalid JSON"),
        ("", "invalid JSON"),
        ('{"today": "2025-03-01"} {"today": "2025-03-01"}', "invalid JSON"),
        ("[]", "facts: expected a JSON object"),
        ('{"today": "2025-03-01", "request_received": "2025-01-06", "colour": "red"}',
         "colour: unknown fact 'colour'"),
        ('{"today": "2025-03-01", "request_received": "2025-01-06",'
         ' "decision": {"outcome": "assess", "on": "2025-01-01"}}',
         "decision.on: 2025-01-01 is before request_received"),
        ('{"today": "2025-03-01", "request_received": "6 January 2025"}',
         "request_received: '6 January 2025' is not an ISO date"),
        ('{"today": "2025-03-01", "request_received": "2025-03-02"}',
         "request_received: 2025-03-02 is after today"),
        ('{"today": "2025-03-01", "request_received": "2025-01-06", "advice": [{"id": "ep",'
         ' "received_by_body_on": "2025-02-01", "provided_on": "2025-01-20"}]}',
         "advice[0].provided_on: 2025-01-20 is before received_by_body_on"),
    ],
)  # fmt: skip
def test_refused_input_exits_2_with_nothing_on_stdout(stdin, words):
    code, out, err = run([], stdin)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert words in err


def test_deeply_nested_json_exits_2():
    code, out, err = run([], "[" * 100_000 + "]" * 100_000)
    assert (code, out) == (2, "")
    assert "invalid JSON" in err


def test_file_that_is_not_utf8_exits_2(tmp_path: Path):
    path = tmp_path / "facts.json"
    path.write_bytes(b'{"today": "\xff"}')
    code, out, err = run(["--file", str(path)])
    assert (code, out) == (2, "")
    assert "not UTF-8" in err


def test_unreadable_file_exits_2(tmp_path: Path):
    code, out, err = run(["--file", str(tmp_path / "missing.json")])
    assert (code, out) == (2, "")
    assert "cannot read" in err


@pytest.mark.parametrize("argv", [["--frobnicate"], ["--file"]])
def test_bad_arguments_exit_2(argv):
    code, out, err = run(argv)
    assert (code, out) == (2, "")
    assert "error:" in err


def test_python_dash_m_entry_point():
    root = Path(__file__).resolve().parents[3]
    ok = subprocess.run(
        [sys.executable, "-m", "everychild.statutory"],
        input=json.dumps(GOOD),
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["rules_version"] == RULES_VERSION
    refused = subprocess.run(
        [sys.executable, "-m", "everychild.statutory"],
        input="{",
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert (refused.returncode, refused.stdout) == (2, "")
