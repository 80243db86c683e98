"""No request can run longer than 10 seconds (issue 21): every way this repository starts
gunicorn gives it `--timeout 10`, so a worker stuck on a request is killed and the slow work
has to be a background job (everychild.core.jobs)."""

import re
import runpy
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 10


def test_gunicorns_own_settings_file_sets_the_limit():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["timeout"] == LIMIT
    assert settings["graceful_timeout"] <= LIMIT


def test_every_gunicorn_in_the_makefile_sets_the_limit():
    commands = [
        line for line in (ROOT / "Makefile").read_text().splitlines() if "/gunicorn " in line
    ]
    assert commands, "the Makefile no longer starts gunicorn: update this test"
    for line in commands:
        words = shlex.split(line.split("/gunicorn ", 1)[1])
        assert "--timeout" in words, line
        assert words[words.index("--timeout") + 1] == str(LIMIT), line


def test_the_load_test_runs_gunicorn_as_production_does():
    source = (ROOT / "ops" / "load" / "run.py").read_text()
    assert re.search(r'"--timeout",\s*"10"', source)


def test_the_limit_is_documented():
    assert "--timeout 10" in (ROOT / "docs" / "operations.md").read_text()


def test_make_run_runs_background_jobs_in_a_worker_not_in_the_request():
    """With the demonstration's immediate task backend a SEN2 check would run inside the
    request and be killed at 10 s: `make run` serves with the database backend and a worker."""
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py db_worker" in recipe
    server = next(line for line in recipe.splitlines() if "/gunicorn " in line)
    assert "EVERYCHILD_TASK_BACKEND=database" in server


def test_each_worker_puts_what_it_loaded_at_start_out_of_the_collectors_reach():
    import gc

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
