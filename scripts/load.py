"""Load the questionnaire under gunicorn: N patients at once, beside a bare Flask page.

    python scripts/load.py [--patients 32] [--rounds 4] [--workers W] [--pause-ms 1000] [--postgres]

Starts gunicorn with deploy/gunicorn.conf.py (sync workers) on a fresh SQLite file, or
with --postgres on a throwaway PostgreSQL cluster (tests/pgcluster.py). The served WSGI
app is scripts/loadapp.py: the real app plus a bare Flask page under /bare/, so both run
in the same workers with the same settings. Each simulated patient has its own session
cookie and CSRF token and answers every step, reviews, submits and opens the results,
fetching the bare page before each step. One warm-up round (every worker builds its rule
engine) is not counted.

Pacing: before each request a patient pauses as a person reading the page would, for a
time drawn from 0.5 to 1.5 times --pause-ms (default 1000 ms; a real patient reads a
question page for 10 s or more, so this is a heavy clinic), and the patients start at
random moments within the first pause, so they do not all ask at the same instant. The draws
are seeded (--seed): two runs ask in the same order. --pause-ms 0 removes every pause: each
patient sends its next request the moment the last one answers, which measures the most the
machine can serve (a saturated machine, where by Little's law the mean time of a request is
the number of patients divided by the requests per second).

It prints, per page: requests, req/s, p50 and p99 in ms, p50 and p99 as multiples of the
bare page's, the worker's CPU time per request (p50, from the Server-Timing header that
scripts/loadapp.py adds: queueing and other programs on the machine do not inflate it),
and errors (any status other than the expected one, or a lost connection). Then the CPU
that the workers and this client used. It exits 1 when any page's p99 is over
--target-p99-ms or any request failed.
"""
import argparse
import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from appserver import AppServer  # noqa: E402
from http_patient import ANSWERS, Patient, UnexpectedPage, expect  # noqa: E402
from pgcluster import running_cluster  # noqa: E402

BARE = "bare page"
RUN_SECONDS = 900
LOST = (OSError, http.client.HTTPException)
CPU_TIMING = re.compile(r"cpu;dur=([0-9.]+)")


class Recorder:
    """Every request's label, time and outcome, from every patient thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seconds = defaultdict(list)
        self.cpu_ms = defaultdict(list)
        self.errors = defaultdict(int)
        self.error_kinds = defaultdict(int)
        self.counting = False

    def response(self, label, seconds, response):
        if self.counting:
            timing = CPU_TIMING.search(response.getheader("Server-Timing") or "")
            with self.lock:
                self.seconds[label].append(seconds)
                if timing:
                    self.cpu_ms[label].append(float(timing.group(1)))

    def error(self, label, kind):
        if self.counting:
            with self.lock:
                self.errors[label] += 1
                self.error_kinds[kind] += 1


class Pacing:
    """One patient's pauses: each drawn from 0.5 to 1.5 times the mean, from the patient's own seeded draw."""

    def __init__(self, mean_seconds, seed):
        self.mean = mean_seconds
        self.draw = random.Random(seed)

    def start_offset(self):
        """When this patient starts, within the first mean pause."""
        return self.draw.uniform(0, self.mean)

    def pause(self):
        """How long this patient reads before the next request."""
        return self.draw.uniform(0.5 * self.mean, 1.5 * self.mean)


def questionnaire(patient, recorder, pacing):
    """Answer one questionnaire, fetching the bare page before each step; stop at the first error."""
    steps = [("GET", "/", None, 200, "GET /"), ("POST", "/start", {}, 302, "POST /start")]
    for step, answers in ANSWERS:
        path = f"/questions/{step}"
        steps += [("GET", path, None, 200, f"GET {step}"),
                  ("POST", path, {**answers, "action": "next"}, 302, f"POST {step}")]
    steps += [("GET", "/questions/review", None, 200, "GET review"),
              ("POST", "/questions/submit", {}, 302, "POST submit"),
              ("GET", "/results", None, 200, "GET results")]
    for number, (method, path, form, status, label) in enumerate(steps):
        if pacing.mean:
            time.sleep(pacing.pause())  # a person reading the page; the load's pacing, not a wait for the server
        if number % 2 == 0:
            _request(patient, recorder, "GET", "/bare/", None, 200, BARE)
        if not _request(patient, recorder, method, path, form, status, label):
            return


def _request(patient, recorder, method, path, form, status, label):
    try:
        if method == "GET":
            page = patient.get(path, label=label)
        else:
            page = patient.post(path, form, label=label)
        expect(page, status, method, path)
    except UnexpectedPage as error:
        recorder.error(label, f"status {error.status}")
        return False
    except LOST as error:
        recorder.error(label, type(error).__name__)
        return False
    return True


def run_patients(port, patients, rounds, recorder, pause=0.0, seed=1):
    """Let every patient answer `rounds` questionnaires back to back, all at once; return the wall time."""
    start_line = threading.Barrier(patients)

    def one_patient(number):
        pacing = Pacing(pause, f"{seed}-{number}")
        start_line.wait(RUN_SECONDS)
        if pacing.mean:
            time.sleep(pacing.start_offset())
        for _round in range(rounds):
            questionnaire(Patient(port, on_response=recorder.response), recorder, pacing)

    threads = [threading.Thread(target=one_patient, args=(number,)) for number in range(patients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(RUN_SECONDS)
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError(f"the run took longer than {RUN_SECONDS} s")
    return time.perf_counter() - started


def percentile(values, share):
    """Return the value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(recorder, wall, target_ms):
    """Print the table; return True when every page meets the target with no error."""
    bare = recorder.seconds[BARE]
    bare_p50, bare_p99 = percentile(bare, 0.50), percentile(bare, 0.99)
    print(f"{'page':<14}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'p50 ×bare':>10}{'p99 ×bare':>10}{'cpu ms':>8}{'errors':>7}")
    met = True
    labels = [BARE] + [label for label in recorder.seconds if label != BARE]
    for label in labels:
        times = recorder.seconds[label]
        p50, p99 = percentile(times, 0.50), percentile(times, 0.99)
        cpu = statistics.median(recorder.cpu_ms[label]) if recorder.cpu_ms[label] else float("nan")
        met = met and p99 * 1000 <= target_ms
        print(f"{label:<14}{len(times):>9}{len(times) / wall:>8.1f}{p50 * 1000:>8.1f}{p99 * 1000:>8.1f}"
              f"{p50 / bare_p50:>10.1f}{p99 / bare_p99:>10.1f}{cpu:>8.1f}{recorder.errors.get(label, 0):>7}")
    everything = [t for label in labels for t in recorder.seconds[label]]
    errors = sum(recorder.errors.values())
    print(f"{'all':<14}{len(everything):>9}{len(everything) / wall:>8.1f}"
          f"{statistics.median(everything) * 1000:>8.1f}{percentile(everything, 0.99) * 1000:>8.1f}"
          f"{'':>28}{errors:>7}")
    if errors:
        print("errors:", dict(recorder.error_kinds))
    return met and errors == 0


def cpu_seconds(master_pid):
    """Return the CPU time used so far by a gunicorn master and its workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if entry.name == str(master_pid) or fields[1] == str(master_pid):
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / tick


def serve_and_load(env, args):
    """Start gunicorn on the given database, warm it up, load it, print the table."""
    server = AppServer(env, workers=args.workers, app="loadapp:application",
                       extra_args=["--pythonpath", str(ROOT / "scripts")])
    pause = args.pause_ms / 1000
    try:
        server.start()
        pacing = (f"pauses of {args.pause_ms / 2:.0f}-{args.pause_ms * 1.5:.0f} ms (seed {args.seed})"
                  if pause else "no pauses (saturation)")
        print(f"gunicorn: {args.workers} sync workers, up in {server.started_in:.1f} s; "
              f"{args.patients} patients × {args.rounds} rounds, {pacing}")
        recorder = Recorder()
        run_patients(server.port, args.patients, 1, recorder)  # warm-up, not counted
        recorder.counting = True
        server_cpu, client_cpu = cpu_seconds(server.process.pid), time.process_time()
        wall = run_patients(server.port, args.patients, args.rounds, recorder, pause, args.seed)
        server_cpu = cpu_seconds(server.process.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        recorder.counting = False
        met = report(recorder, wall, args.target_p99_ms)
        requests = sum(len(times) for times in recorder.seconds.values())
        print(f"CPU over {wall:.1f} s: workers {server_cpu:.1f} s ({server_cpu / requests * 1000:.1f} ms a request), "
              f"this client {client_cpu:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        if not pause:
            mean = statistics.fmean(t for times in recorder.seconds.values() for t in times)
            print(f"saturated: {args.patients} patients / {requests / wall:.0f} req/s = "
                  f"{args.patients / (requests / wall) * 1000:.0f} ms a request by Little's law "
                  f"(measured mean {mean * 1000:.0f} ms); each request waits its turn behind the others")
        return met
    except Exception:
        if server.process is not None:
            print(server.log()[-3000:], file=sys.stderr)
        raise
    finally:
        server.close()


def upgraded(url):
    """Create the schema on a fresh PostgreSQL database, as `flask --app web init` does."""
    from flask_migrate import upgrade

    from web import create_app
    from web.extensions import db

    app = create_app({"SECRET_KEY": "load", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def main():
    """Parse the options, pick the database, run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=32, help="patients answering at once")
    parser.add_argument("--rounds", type=int, default=4, help="questionnaires per patient, back to back, counted")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 4)),
                        help="gunicorn sync workers (default: WEB_CONCURRENCY or 4, as deploy/)")
    parser.add_argument("--pause-ms", type=float, default=1000.0,
                        help="each patient's mean pause before each request (drawn from 0.5 to 1.5 times it); "
                             "0 for none")
    parser.add_argument("--seed", type=int, default=1, help="seed of the pauses' draws")
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL cluster")
    parser.add_argument("--target-p99-ms", type=float, default=100.0)
    args = parser.parse_args()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PAIN_TRIAGE_") and key not in ("DATABASE_URL", "GUNICORN_CMD_ARGS")}
    env["PAIN_TRIAGE_SECRET_KEY"] = "load-harness-key"
    env.update(PAIN_TRIAGE_CLINIC_NAME="Load Test Clinic", PAIN_TRIAGE_CLINIC_PHONE="555-0100")
    if args.postgres:
        with running_cluster() as cluster:
            print("database: PostgreSQL (throwaway cluster)")
            met = serve_and_load({**env, "DATABASE_URL": upgraded(cluster.url)}, args)
    else:
        with tempfile.TemporaryDirectory(prefix="pain-triage-load-") as folder:
            print("database: SQLite")
            env["PAIN_TRIAGE_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(folder) / 'load.sqlite3'}"
            met = serve_and_load(env, args)
    print(f"target p99 <= {args.target_p99_ms:.0f} ms on every page, 0 errors: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
