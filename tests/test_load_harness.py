"""scripts/load.py works: a tiny run through real gunicorn answers every page with no error.

The latency target is the script's business on a quiet machine (never a timed test here):
this run sets it out of reach of any machine's speed and checks only what it counts.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from load import Pacing  # noqa: E402

PAGES = ("bare page", "GET /", "POST /start", "GET safety", "POST safety", "GET about", "POST about",
         "GET pain", "POST pain", "GET feel", "POST feel", "GET tried", "POST tried", "GET details",
         "POST details", "GET health", "POST health", "GET review", "POST submit", "GET results")


def test_a_small_run_answers_every_page_and_reports_it(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "load.py"), "--patients", "2", "--rounds", "1",
                          "--workers", "2", "--pause-ms", "0", "--target-p99-ms", "1e9"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    rows = {line[:14].strip(): line.split() for line in run.stdout.splitlines()}
    for page in PAGES:
        requests, errors = rows[page][-8], rows[page][-1]
        # Two patients, one questionnaire each: the bare page before every other step.
        assert (int(requests), int(errors)) == ((20, 0) if page == "bare page" else (2, 0)), page
    assert "no pauses (saturation)" in run.stdout
    assert "by Little's law" in run.stdout
    assert "target p99 <= 1000000000 ms on every page, 0 errors: met" in run.stdout


def test_pauses_are_seeded_and_spread_around_their_mean():
    one, again, other = Pacing(1.0, "1-0"), Pacing(1.0, "1-0"), Pacing(1.0, "1-1")
    draws = [one.pause() for _ in range(500)]
    assert draws == [again.pause() for _ in range(500)]
    assert draws != [other.pause() for _ in range(500)]
    assert all(0.5 <= pause <= 1.5 for pause in draws)
    assert min(draws) < 0.6 and max(draws) > 1.4
    assert 0 <= Pacing(1.0, "1-2").start_offset() <= 1.0
