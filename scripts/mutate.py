"""Check the suite by mutation: apply one source mutant at a time and see whether the tests notice.

    .venv/bin/python scripts/mutate.py --list
    .venv/bin/python scripts/mutate.py                          # every mutant, default tests
    .venv/bin/python scripts/mutate.py --only asra --only 3.4   # mutants whose name contains a word
    .venv/bin/python scripts/mutate.py --tests tests/test_engine.py -k sciatica

The repository is copied once to a temporary folder (without .git, .venv or
instance data); each mutant edits one file of the copy, runs the chosen tests
(`pytest -x -q`) against the copy, and puts the file back before the next one.
The working tree is never touched, and the copy is removed on exit, Ctrl-C or
error. A mutant whose text is not found (the engine changed) is skipped with a
message; one that does not compile is reported and not counted.

Mutants are data: (file, old, new, name). `old` is literal text, or a regular
expression when it starts with "re:". Several rows with the same name are
alternatives (for the version 1 and version 2 engines): the first that matches
is applied. Every threshold in triage/knowledge/thresholds.yaml also gets a +1
and a -1 mutant.
"""
import argparse
import os
import py_compile
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
THRESHOLDS = "triage/knowledge/thresholds.yaml"
DEFAULT_TESTS = ("tests/test_golden.py", "tests/test_engine.py", "tests/test_properties.py", "tests/test_text_numbers.py",
                 "tests/test_nurse_text.py")
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "instance", "__pycache__", ".hypothesis",
                                     ".pytest_cache", "node_modules", "*.sqlite3")

# (file, old, new, name)
MUTANTS = [
    # Drop one element of a pattern (rules.md §1).
    ("triage/terms.py", '"buttock" in self.locations and "radiates_below_knee" not in self.symptoms',
     '"buttock" in self.locations', "si_pattern ignores radiating pain"),
    ("triage/terms.py", 're:"leg_pain_walking_eased_sitting" in self\\.symptoms and bool\\(\\s*'
                        'self\\.locations & \\{"lower_back", "buttock"\\}\\)',
     '"leg_pain_walking_eased_sitting" in self.symptoms', "claudication without back or buttock"),
    ("triage/terms.py", 're:\\s*or self\\.interference_activity >= threshold\\("baseline_interference"\\)\\)',
     ")", "baseline ignores interference with activity"),
    ("triage/terms.py", 'self.limb and "pain_out_of_proportion" in self.symptoms', "self.limb",
     "crps_pattern without pain out of proportion"),
    ("triage/terms.py", "self.spine and not self.radicular and not self.claudication",
     "self.spine and not self.radicular", "axial_spine ignores claudication"),
    ("triage/terms.py", '{"knee_osteoarthritis", "knee_replacement"}', '{"knee_osteoarthritis"}',
     "knee_pattern without a replaced knee"),
    ("triage/terms.py", "re:\\s*or self\\.spine_procedure_undated\\b", "",
     "recent_spine_procedure ignores undated rows"),
    ("triage/terms.py", 're:,\\s*"psoriasis"', "", "ibp_criteria without psoriasis"),
    # A rule body recording another rule's id.
    ("triage/rules/spine.py", 'self.consider("facet.confirmatory_block"', 'self.consider("facet.diagnostic_block"',
     "confirmatory block records the diagnostic block's rule id"),
    ("triage/rules/spine.py", '@rule_id("facet.confirmatory_block")', '@rule_id("facet.diagnostic_block")',
     "confirmatory block records the diagnostic block's rule id"),
    ("triage/rules/repeat.py", 'self.consider("rfa.facet_repeat"', 'self.consider("rfa.genicular_repeat"',
     "facet repeat ablation records the genicular repeat's rule id"),
    ("triage/rules/repeat.py", '@rule_id("rfa.facet_repeat")', '@rule_id("rfa.genicular_repeat")',
     "facet repeat ablation records the genicular repeat's rule id"),
    ("triage/rules/safety.py", 're:(raise_alert\\("possible_malignancy", "urgent",\\s*)"alert\\.possible_malignancy\\.spine"',
     '\\1"alert.possible_malignancy.new_pain"', "malignancy spine clause records the new_pain clause"),
    ("triage/rules/safety.py", '@rule_id("alert.possible_malignancy.spine")',
     '@rule_id("alert.possible_malignancy.new_pain")', "malignancy spine clause records the new_pain clause"),
    # Drop a caution rule.
    ("triage/rules/cautions.py", 'self.add_caution("transport", "caution.transport", consultation)', "pass",
     "drop the transport caution"),
    ("triage/rules/cautions.py", 'self.add_caution([consultation], ["no_driver"])', "pass",
     "drop the transport caution"),
    ("triage/rules/cautions.py", 're:self\\.add_caution\\("night_pain"[^\\n]*', "pass",
     "drop the night_pain caution"),
    ("triage/rules/cautions.py", 'self.add_caution(self.present_consultations(), ["night_rest_pain"])', "pass",
     "drop the night_pain caution"),
    ("triage/rules/cautions.py", 're:self\\.add_caution\\("opioid_safety"[^\\n]*', "pass",
     "drop the opioid_safety caution"),
    ("triage/rules/cautions.py", 'self.add_caution(self.present_consultations(), ["daily_opioid_or_sedative"])',
     "pass", "drop the opioid_safety caution"),
    # 3.4 names every failing condition instead of the first.
    ("triage/rules/repeat.py", "else [first_failure]", "else [check for check in ordered if not check.ok]",
     "3.4 lists every failing condition"),
    ("triage/rules/repeat.py",
     "        for make in ordered:\n            check = make()\n            if not check.ok:\n"
     "                return [check]\n            passed.append(check)\n        return passed",
     "        failed = []\n        for make in ordered:\n            try:\n                check = make()\n"
     "            except (AttributeError, TypeError):\n                break\n            if not check.ok:\n"
     "                failed.append(check)\n                continue\n            passed.append(check)\n"
     "        return failed or passed",
     "3.4 lists every failing condition"),
    # The ASRA class ignores the neck.
    ("triage/rules/cautions.py", 'neck = "neck" in self.case.locations', "neck = False",
     "ASRA class ignores the neck"),
    ("triage/rules/cautions.py", '(facet_item and "neck" in regions)', "(facet_item and False)",
     "ASRA class ignores the neck"),
    ("triage/rules/cautions.py", 're:"neck" in \\(?[\\w.\\[\\]"\']*regions[\\w.\\[\\]"\']*( or \\(\\)| or \\[\\])?\\)?',
     "False", "ASRA class ignores the neck"),
]


def threshold_mutants(root):
    """One +1 and one -1 mutant per integer threshold in thresholds.yaml."""
    path = root / THRESHOLDS
    if not path.exists():
        return []
    rows = []
    for name, entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        pattern = f"re:(?m)(^{re.escape(name)}:[ \\t]*\\n(?:[ \\t]+.*\\n)*?[ \\t]+value:[ \\t]*){value}\\b"
        for step in (1, -1):
            rows.append((THRESHOLDS, pattern, f"\\g<1>{value + step}", f"threshold {name} {value}→{value + step}"))
    return rows


def grouped(rows):
    """Group mutant rows by name, keeping first-seen order: each group is one mutant."""
    groups = {}
    for row in rows:
        groups.setdefault(row[3], []).append(row)
    return groups


def mutated(text, old, new):
    """Return text with the first match of old replaced by new, or None when old is absent."""
    if old.startswith("re:"):
        result, count = re.subn(old[3:], new, text, count=1)
        return result if count else None
    return text.replace(old, new, 1) if old in text else None


def run_tests(root, tests, keyword, timeout):
    """Run pytest -x -q in the copy; return (passed, first failing test or reason)."""
    shutil.rmtree(root / ".hypothesis", ignore_errors=True)
    command = [sys.executable, "-m", "pytest", *tests, "-x", "-q", "-p", "no:cacheprovider"]
    if keyword:
        command += ["-k", keyword]
    env = dict(os.environ, PYTHONPATH=str(root),
               TRIAGE_SPEC_DIR=os.environ.get("TRIAGE_SPEC_DIR", str(REPO.parent / "shared" / "spec")))
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return False, f"timed out after {timeout} s"
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    failed = [line for line in output.splitlines() if line.startswith(("FAILED", "ERROR"))]
    summary = output.strip().splitlines()[-1] if output.strip() else "no output"
    return process.returncode == 0, (failed[0] if failed else summary)


def try_mutant(root, rows, tests, keyword, timeout):
    """Apply the first matching row of one mutant, run the tests, restore the file."""
    for relative, old, new, _name in rows:
        path = root / relative
        if not path.exists():
            continue
        original = path.read_text(encoding="utf-8")
        changed = mutated(original, old, new)
        if changed is None or changed == original:
            continue
        try:
            path.write_text(changed, encoding="utf-8")
            if path.suffix == ".py":
                try:
                    py_compile.compile(str(path), doraise=True)
                except py_compile.PyCompileError:
                    return "invalid", f"{relative}: the mutant does not compile"
            passed, detail = run_tests(root, tests, keyword, timeout)
            return ("survived" if passed else "killed"), detail
        finally:
            path.write_text(original, encoding="utf-8")
    return "skipped", "pattern not found in " + ", ".join(sorted({row[0] for row in rows}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", nargs="+", default=list(DEFAULT_TESTS), help="test files or node ids")
    parser.add_argument("-k", dest="keyword", default=None, help="pytest -k expression")
    parser.add_argument("--only", action="append", default=[], help="run mutants whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per test run (a hang counts as killed)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    args = parser.parse_args(argv)

    mutants = grouped(threshold_mutants(REPO) + MUTANTS)
    if args.only:
        mutants = {name: rows for name, rows in mutants.items() if any(word in name for word in args.only)}
    if args.list:
        for name, rows in mutants.items():
            print(f"{name}  [{', '.join(sorted({row[0] for row in rows}))}]")
        return 0
    tally = {"killed": 0, "survived": 0, "skipped": 0, "invalid": 0}
    with tempfile.TemporaryDirectory(prefix="triage-mutants-") as folder:
        root = Path(folder) / "repo"
        shutil.copytree(REPO, root, ignore=COPY_IGNORE)
        if not args.no_baseline:
            passed, detail = run_tests(root, args.tests, args.keyword, args.timeout)
            print(f"baseline (no mutant): {'passes' if passed else 'FAILS'} — {detail}", flush=True)
            if not passed:
                print("the unmutated suite fails, so no mutant can be judged; fix it or choose other --tests")
                return 2
        for name, rows in mutants.items():
            outcome, detail = try_mutant(root, rows, args.tests, args.keyword, args.timeout)
            tally[outcome] += 1
            print(f"{outcome.upper():9} {name} — {detail}", flush=True)
    judged = tally["killed"] + tally["survived"]
    print(f"\n{len(mutants)} mutants: {tally['killed']} killed, {tally['survived']} survived, "
          f"{tally['skipped']} skipped (pattern not found), {tally['invalid']} invalid (did not compile); "
          f"kill rate {100 * tally['killed'] / judged:.0f} % of {judged} judged" if judged else
          f"\n{len(mutants)} mutants, none judged: {tally}")
    return 1 if tally["survived"] else 0


if __name__ == "__main__":
    sys.exit(main())
