"""Write the version-1 engine's results of the golden intakes as JSON Lines, for `triage impact`.

    python scripts/golden_v1_results.py [--commit 1c03e18] [--out tests/fixtures/golden-v1-results.jsonl]

The version-1 engine is taken from git (`git archive <commit> triage` into a temporary
folder) and run in a child process with that folder first on the import path. Every
golden intake of tests/golden and ../shared/spec/cases (TRIAGE_SPEC_DIR) that version 1
accepts is evaluated once (identical intakes once), in file-name order; one line
`{"intake": ..., "result": ...}` each.
"""
import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = Path(os.environ.get("TRIAGE_SPEC_DIR", REPO.parent / "shared" / "spec"))
VERSION_1 = "1c03e18"
OUT = REPO / "tests" / "fixtures" / "golden-v1-results.jsonl"

# Runs under the version-1 package: intakes (a JSON list) in, one JSON line per v1-valid intake out.
CHILD = """
import json, sys
from triage import evaluate, validate, CONTRACT
assert CONTRACT == "pain-triage/1", CONTRACT
for intake in json.load(sys.stdin):
    if not validate(intake):
        print(json.dumps({"intake": intake, "result": evaluate(intake).to_dict()}, sort_keys=True))
"""


def golden_intakes():
    """Return the intakes of every golden-case file, each distinct intake once, in file-name order."""
    seen, intakes = set(), []
    for folder in (REPO / "tests" / "golden", SPEC_DIR / "cases"):
        for path in sorted(folder.glob("*.json")):
            intake = json.loads(path.read_text(encoding="utf-8"))["intake"]
            key = json.dumps(intake, sort_keys=True)
            if key not in seen:
                seen.add(key)
                intakes.append(intake)
    return intakes


def version_1_tree(commit, folder):
    """Extract the version-1 `triage` package from git into folder."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "triage"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default=VERSION_1)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    intakes = golden_intakes()
    with tempfile.TemporaryDirectory() as folder:
        version_1_tree(args.commit, folder)
        env = {**os.environ, "PYTHONPATH": folder}
        lines = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(intakes), text=True,
                               check=True, capture_output=True, env=env, cwd=folder).stdout
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(lines, encoding="utf-8")
    print(f"{args.out}: {len(lines.splitlines())} version-1 results of {len(intakes)} distinct golden intakes")


if __name__ == "__main__":
    main()
