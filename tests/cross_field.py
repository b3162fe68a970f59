"""Valid intakes broken by one rule between fields (intake.md, Validation).

Each break returns the rule it breaks: an area duration for an area without pain, a
region on a type that has none, more than 100 rows, a follow-up health item or a
drug name without its parent, a flag both given and retracted.
"""
from hypothesis import strategies as st

import spec_ids as ids
from scenarios import WEEKS_NEAR, near


def _area_without_location(draw, intake):
    touched = {ids.AREA_OF[location] for location in intake["locations"]}
    missing = [area for area in ids.AREAS if area not in touched]
    intake.setdefault("area_weeks", {})[draw(st.sampled_from(missing))] = draw(near(WEEKS_NEAR, 0, 2600))
    return "area_weeks"


def _region_on_other_type(draw, intake):
    kind = draw(st.sampled_from([t for t in ids.TREATMENT_TYPES if t not in ids.REGION_TYPES]))
    intake["treatments"] = list(intake.get("treatments", [])) + [
        {"type": kind, "relief_percent": 50, "region": draw(st.sampled_from(ids.SPINE_REGIONS))}]
    return "region"


def _too_many_rows(draw, intake):
    row = {"type": "massage", "relief_percent": 30, "weeks": 2}
    intake["treatments"] = [dict(row) for _ in range(draw(st.integers(101, 120)))]
    return "treatments"


def _orphan_follow_up(draw, intake):
    child = draw(st.sampled_from(sorted(ids.HEALTH_PARENT)))
    health = [item for item in intake.get("health", [])
              if item != ids.HEALTH_PARENT[child] and item not in ids.HEALTH_PARENT]
    intake["health"] = health + [child]
    return "health"


def _orphan_drug_name(draw, intake):
    name = draw(st.sampled_from(ids.BLOOD_THINNER_NAMES))
    parent = {"blood_thinner"} if name in ids.ANTICOAGULANTS else (
        {"antiplatelet"} if name in ids.ANTIPLATELETS else {"blood_thinner", "antiplatelet"})
    intake["health"] = [item for item in intake.get("health", []) if item not in parent]
    intake["blood_thinner_names"] = [name]
    return "blood_thinner_names"


def _flag_given_and_retracted(draw, intake):
    flag = draw(st.sampled_from(ids.RED_FLAGS))
    intake["red_flags"] = list(dict.fromkeys(list(intake["red_flags"]) + [flag]))
    intake["red_flags_retracted"] = [flag]
    return "red_flags_retracted"


CROSS_FIELD_BREAKS = (_area_without_location, _region_on_other_type, _too_many_rows, _orphan_follow_up,
                      _orphan_drug_name, _flag_given_and_retracted)


@st.composite
def broken_between_fields(draw, valid):
    """Draw (intake, rule) from a valid-intake strategy, broken by one rule between fields."""
    intake = dict(draw(valid))
    intake["treatments"] = [dict(row) for row in intake.get("treatments", [])]
    if set(ids.AREAS) <= {ids.AREA_OF[loc] for loc in intake["locations"]}:
        intake["locations"] = ["knee"]
        intake.pop("area_weeks", None)
    rule = draw(st.sampled_from(CROSS_FIELD_BREAKS))(draw, intake)
    return intake, rule
