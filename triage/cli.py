"""The `triage` command: evaluate intakes, print the rule base or the intake schema."""
import argparse
import json
import sys

from triage import RULEBASE_VERSION, InvalidIntake, evaluate
from triage import impact
from triage.report import result_text, rules_markdown, rules_sha256
from triage.schema import schema_json


def _read(path):
    """Read the intake JSON from a file or standard input."""
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def cmd_evaluate(args):
    """Print the result of one intake; exit 2 with every problem when it is invalid."""
    try:
        intake = json.loads(_read(args.file))
    except OSError as error:
        print(f"triage: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        print(f"triage: {args.file} is not valid JSON: {error}", file=sys.stderr)
        return 2
    if _is_case_file(intake):
        intake = intake["intake"]
    try:
        result = evaluate(intake)
    except InvalidIntake as error:
        for problem in error.problems:
            print(f"{problem.path or '(intake)'}: {problem.message}", file=sys.stderr)
        return 2
    if args.format == "text":
        sys.stdout.write(result_text(result.to_dict()))
    else:
        sys.stdout.write(result.to_json(indent=2) + "\n")
    return 0


def _is_case_file(data):
    """A golden-case file ({"intake": ..., "expect": ...}) is evaluated on its intake."""
    return isinstance(data, dict) and set(data) == {"intake", "expect"} and isinstance(data["intake"], dict)


def impact_items(lines, not_compared):
    """Yield (line number, intake, result) of each JSON line; note the lines that are not such a pair."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            not_compared.append((number, f"not valid JSON: {error.msg}"))
            continue
        if not isinstance(data, dict) or "intake" not in data or "result" not in data:
            not_compared.append((number, 'not an object with "intake" and "result"'))
            continue
        yield number, data["intake"], data["result"]


def cmd_impact(args):
    """Compare stored results with the current rule base; print the counts as Markdown or JSON."""
    try:
        with open(args.file, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        print(f"triage: cannot read {args.file}: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return 2
    unreadable = []
    report = impact.ImpactReport().extend(impact.assess_all(impact_items(lines, unreadable), workers=args.workers))
    report.not_compared = sorted(report.not_compared + unreadable)
    impact.write(report, args.format, f"`{args.file}`")
    return 0


def cmd_rules(args):
    """Print the rule base as Markdown, or the SHA-256 of that document (what a sign-off records)."""
    document = rules_markdown()
    sys.stdout.write(f"{rules_sha256(document)}  rule base {RULEBASE_VERSION}\n" if args.sha256 else document)
    return 0


def cmd_schema(args):
    """Print the intake JSON Schema."""
    sys.stdout.write(schema_json())
    return 0


def build_parser():
    """Describe the command line."""
    parser = argparse.ArgumentParser(prog="triage", description="Pain Triage rule engine.")
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate_parser = commands.add_parser("evaluate", help="evaluate an intake JSON file ('-' for stdin); a golden-case file is evaluated on its intake")
    evaluate_parser.add_argument("file")
    evaluate_parser.add_argument("--format", choices=("json", "text"), default="json")
    evaluate_parser.set_defaults(run=cmd_evaluate)
    impact_parser = commands.add_parser("impact", help="what the current rule base would conclude differently "
                                        "for stored results (JSON Lines of {\"intake\", \"result\"})")
    impact_parser.add_argument("file")
    impact_parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    impact_parser.add_argument("--workers", type=int, default=1, help="processes that evaluate (default 1)")
    impact_parser.set_defaults(run=cmd_impact)
    rules_parser = commands.add_parser("rules", help="print the rule base as Markdown")
    rules_parser.add_argument("--sha256", action="store_true", help="print only the document's SHA-256")
    rules_parser.set_defaults(run=cmd_rules)
    commands.add_parser("schema", help="print the intake JSON Schema").set_defaults(run=cmd_schema)
    return parser


def main(argv=None):
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
