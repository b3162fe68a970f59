"""Share of drawn intakes in which each consultation and variant is suggested or withheld.

    python scripts/strategy_coverage.py                 # 2000 version 2 intakes
    python scripts/strategy_coverage.py -n 900 --strategy v1 --min-share 1

Draws N intakes from a strategy of tests/strategies.py, evaluates each with the
engine and prints, per consultation and variant of rules.md §3, the share of
intakes that suggest it and that withhold it, plus the share the engine
rejected (an engine that does not know a version 2 field rejects those intakes).
With --min-share, exits 1 when some variant is suggested in fewer than that
percentage of the intakes.
"""
import argparse
import sys
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import spec_ids  # noqa: E402
import strategies  # noqa: E402

STRATEGIES = {"valid": strategies.valid_intakes, "v1": strategies.v1_intakes,
              "targeted": lambda: __import__("scenarios").targeted_intakes()}


def draw_and_count(strategy, count, random_seed):
    """Evaluate `count` drawn intakes; count suggested, withheld and rejected."""
    import triage

    tally = {"suggested": Counter(), "withheld": Counter(), "rejected": 0, "drawn": 0, "alerted": 0}

    @seed(random_seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy())
    def tally_one(intake):
        tally["drawn"] += 1
        try:
            result = triage.evaluate(intake).to_dict()
        except triage.InvalidIntake:
            tally["rejected"] += 1
            return
        tally["alerted"] += bool(result["alerts"])
        for kind in ("suggested", "withheld"):
            items = result["suggestions" if kind == "suggested" else "withheld"]
            tally[kind].update({(item["consultation"], item["variant"]) for item in items})

    tally_one()
    return tally


def report(tally, min_share):
    """Print the table; return the variants suggested in fewer than min_share % of intakes."""
    drawn = tally["drawn"] or 1
    print(f"intakes drawn {tally['drawn']}, rejected by the engine {100 * tally['rejected'] / drawn:.1f} %, "
          f"with an alert {100 * tally['alerted'] / drawn:.1f} %")
    print(f"{'consultation':28} {'variant':20} {'suggested %':>12} {'withheld %':>11}")
    rare = []
    for consultation, variant in spec_ids.VARIANTS:
        suggested = 100 * tally["suggested"][(consultation, variant)] / drawn
        withheld = 100 * tally["withheld"][(consultation, variant)] / drawn
        flag = "  < min" if min_share is not None and suggested < min_share else ""
        print(f"{consultation:28} {str(variant):20} {suggested:12.1f} {withheld:11.1f}{flag}")
        if flag:
            rare.append((consultation, variant))
    return rare


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="intakes to draw (default 2000)")
    parser.add_argument("--strategy", choices=sorted(STRATEGIES), default="valid")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-share", type=float, default=None,
                        help="exit 1 if a variant is suggested in fewer than this %% of intakes")
    args = parser.parse_args(argv)
    tally = draw_and_count(STRATEGIES[args.strategy], args.n, args.seed)
    rare = report(tally, args.min_share)
    return 1 if rare else 0


if __name__ == "__main__":
    sys.exit(main())
