"""The `triage` command: evaluate intakes, print the rule base or the intake schema."""
import argparse
import json
import sys

from triage import InvalidIntake, evaluate
from triage.report import result_text, rules_markdown
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


def cmd_rules(args):
    """Print the rule base as Markdown."""
    sys.stdout.write(rules_markdown())
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
    commands.add_parser("rules", help="print the rule base as Markdown").set_defaults(run=cmd_rules)
    commands.add_parser("schema", help="print the intake JSON Schema").set_defaults(run=cmd_schema)
    return parser


def main(argv=None):
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
