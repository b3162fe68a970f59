"""Check an intake against the contract and report every problem at once."""
from dataclasses import asdict, dataclass

from triage import contract as c

_ALLOWED_KEYS = set(c.INTAKE_INTEGERS) | set(c.INTAKE_LISTS) | {"treatments", "area_weeks"}
_TREATMENT_KEYS = set(c.TREATMENT_INTEGERS) | {"type", "region"}
FIELD_NAMES = {
    "age": "Age",
    "duration_weeks": "How long the pain has lasted",
    "newest_pain_weeks": "When the newest pain began",
    "pain_average": "Average pain",
    "interference_enjoyment": "How much pain got in the way of enjoying life",
    "interference_activity": "How much pain got in the way of daily activity",
    "locations": "Where it hurts",
    "symptoms": "What the pain is like",
    "red_flags": "Safety questions",
    "health": "Health questions",
    "treatments": "Treatments tried",
    "area_weeks": "How long the pain in each body area has lasted",
    "red_flags_retracted": "Safety answers changed back to no",
    "blood_thinner_names": "Which blood thinners",
    "region": "Where on the spine it was done",
    "type": "Treatment",
    "relief_percent": "How much it helped",
    "weeks": "How long it was tried",
    "count": "How many times",
    "relief_weeks": "How long the relief lasted",
    "weeks_ago": "How long ago",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an intake: where, what kind, and a plain sentence."""

    path: str
    code: str
    message: str

    def to_dict(self):
        """Return the problem as JSON-ready data."""
        return asdict(self)

    def __str__(self):
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidIntake(ValueError):
    """Raised by `evaluate` when an intake breaks the contract."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def validate(intake):
    """Return every problem with the intake; an empty list means it is valid."""
    if not isinstance(intake, dict):
        return [Problem("", "not_object", "The intake must be a JSON object of answers.")]
    problems = []
    for key in sorted((k for k in intake if k not in _ALLOWED_KEYS), key=str):
        problems.append(_unknown_key(key, ""))
    for key in c.INTAKE_REQUIRED:
        if key not in intake:
            problems.append(Problem(key, "required", f"{FIELD_NAMES[key]}: please answer this question."))
    for key, bounds in c.INTAKE_INTEGERS.items():
        if key in intake:
            problems += _check_integer(intake[key], key, key, bounds)
    for key, (vocabulary, low, high) in c.INTAKE_LISTS.items():
        if key in intake:
            problems += _check_list(intake[key], key, vocabulary, low, high)
    if "area_weeks" in intake:
        problems += _check_area_weeks(intake["area_weeks"], intake.get("locations"))
    if "treatments" in intake:
        problems += _check_treatments(intake["treatments"])
    problems += _check_follow_ups(intake)
    return problems


def _choices(intake, key):
    """The valid string choices of a list answer, for cross-field checks."""
    value = intake.get(key, [])
    return {item for item in value if isinstance(item, str)} if isinstance(value, list) else set()


def _check_area_weeks(value, locations):
    if not isinstance(value, dict):
        return [Problem("area_weeks", "not_object",
                        f"{FIELD_NAMES['area_weeks']}: the answer must give weeks for each body area.")]
    chosen = ({c.AREA_OF[place] for place in locations if isinstance(place, str) and place in c.AREA_OF}
              if isinstance(locations, list) else None)
    problems = []
    for area in sorted(value, key=str):
        path = f"area_weeks.{area}"
        if area not in c.AREAS:
            problems.append(_unknown_key(area, "area_weeks."))
            continue
        problems += _check_integer(value[area], path, "area_weeks", c.AREA_WEEKS)
        if chosen is not None and area not in chosen:
            problems.append(Problem(path, "area_not_chosen",
                                    f"{FIELD_NAMES['area_weeks']}: a duration was given for an area "
                                    "where no pain was marked."))
    return problems


def _check_follow_ups(intake):
    """Follow-up answers need the answer they follow, and a flag cannot be both raised and retracted."""
    health = _choices(intake, "health")
    problems = []
    for index, item in enumerate(intake.get("health", []) if isinstance(intake.get("health"), list) else []):
        parent = c.HEALTH_PARENTS.get(item) if isinstance(item, str) else None
        if parent and parent not in health:
            problems.append(Problem(f"health[{index}]", "needs_parent",
                                    f"{FIELD_NAMES['health']}: '{item}' needs the answer '{parent}'."))
    names = intake.get("blood_thinner_names", [])
    for index, name in enumerate(names if isinstance(names, list) else []):
        parents = c.BLOOD_THINNER_PARENTS.get(name) if isinstance(name, str) else None
        if parents and not health & set(parents):
            wanted = " or ".join(f"'{parent}'" for parent in parents)
            problems.append(Problem(f"blood_thinner_names[{index}]", "needs_parent",
                                    f"{FIELD_NAMES['blood_thinner_names']}: '{name}' needs the answer {wanted}."))
    raised = _choices(intake, "red_flags")
    retracted = intake.get("red_flags_retracted", [])
    for index, flag in enumerate(retracted if isinstance(retracted, list) else []):
        if isinstance(flag, str) and flag in raised:
            problems.append(Problem(f"red_flags_retracted[{index}]", "retracted_and_raised",
                                    f"{FIELD_NAMES['red_flags_retracted']}: '{flag}' is also answered yes."))
    return problems


def _label(path):
    """Name a field the way a patient or nurse would."""
    if path.startswith("area_weeks."):
        return FIELD_NAMES["area_weeks"]
    return FIELD_NAMES.get(path.rsplit(".", 1)[-1].split("[")[0], path)


def _unknown_key(key, prefix):
    path = f"{prefix}{key}"
    shown = key if isinstance(key, str) and len(key) <= 60 else "(a long name)"
    return Problem(path, "unknown_key",
                   f"There is no question called '{shown}'. Check the spelling; nothing was evaluated.")


def _check_integer(value, path, key, bounds):
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int):
        return [Problem(path, "not_integer", f"{_label(path)}: please give a whole number from {low} to {high}.")]
    if key == "age" and value < c.ADULT_AGE:
        return [Problem(path, "under_18",
                        "This questionnaire is for adults (18 and over). Please speak with your care team, "
                        "who will help you another way.")]
    if not low <= value <= high:
        return [Problem(path, "out_of_range", f"{_label(path)}: please give a number from {low} to {high}.")]
    return []


def _check_list(value, path, vocabulary, low, high):
    if not isinstance(value, list):
        return [Problem(path, "not_list", f"{_label(path)}: the answer must be a list of choices.")]
    problems = []
    seen = set()
    for index, item in enumerate(value):
        item_path = f"{path}[{index}]"
        if not isinstance(item, str) or item not in vocabulary:
            shown = item if isinstance(item, str) and len(item) <= 60 else "this answer"
            problems.append(Problem(item_path, "unknown_choice",
                                    f"{_label(path)}: '{shown}' is not one of the choices."))
        elif item in seen:
            problems.append(Problem(item_path, "duplicate", f"{_label(path)}: '{item}' is listed twice."))
        else:
            seen.add(item)
    if len(value) < low:
        problems.append(Problem(path, "too_few", f"{_label(path)}: please choose at least {low}."))
    elif len(value) > high:
        problems.append(Problem(path, "too_many", f"{_label(path)}: please choose at most {high}."))
    return problems


def _check_treatments(value):
    if not isinstance(value, list):
        return [Problem("treatments", "not_list", "Treatments tried: the answer must be a list of treatments.")]
    if len(value) > c.MAX_TREATMENTS:
        return [Problem("treatments", "too_many",
                        f"Treatments tried: please list at most {c.MAX_TREATMENTS} treatments.")]
    problems = []
    for index, row in enumerate(value):
        problems += _check_treatment(row, f"treatments[{index}]")
    return problems


def _check_treatment(row, prefix):
    if not isinstance(row, dict):
        return [Problem(prefix, "not_object", "Treatments tried: each treatment must be a set of answers.")]
    problems = [_unknown_key(key, f"{prefix}.") for key in sorted((k for k in row if k not in _TREATMENT_KEYS), key=str)]
    for key in c.TREATMENT_REQUIRED:
        if key not in row:
            problems.append(Problem(f"{prefix}.{key}", "required", f"{FIELD_NAMES[key]}: please answer this question."))
    if "type" in row and (not isinstance(row["type"], str) or row["type"] not in c.TREATMENT_TYPES):
        shown = row["type"] if isinstance(row["type"], str) and len(row["type"]) <= 60 else "this answer"
        problems.append(Problem(f"{prefix}.type", "unknown_choice", f"Treatment: '{shown}' is not one of the choices."))
    for key, bounds in c.TREATMENT_INTEGERS.items():
        if key in row:
            problems += _check_integer(row[key], f"{prefix}.{key}", key, bounds)
    if "region" in row:
        problems += _check_region(row, f"{prefix}.region")
    return problems


def _check_region(row, path):
    region = row["region"]
    if not isinstance(region, str) or region not in c.REGIONS:
        shown = region if isinstance(region, str) and len(region) <= 60 else "this answer"
        return [Problem(path, "unknown_choice", f"{FIELD_NAMES['region']}: '{shown}' is not one of the choices.")]
    kind = row.get("type")
    if isinstance(kind, str) and kind in c.TREATMENT_TYPES and kind not in c.REGION_TYPES:
        return [Problem(path, "region_not_allowed",
                        f"{FIELD_NAMES['region']}: this is asked only for spine procedures, not for '{kind}'.")]
    return []
