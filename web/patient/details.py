"""Step 5, second page: one group of questions per treatment tried (a repeatable row without JS).

The rows follow from the first page: one per type, and one per remembered block for the types
whose blocks the rules count one by one. Answers already given are kept when the list of
types changes: the k-th row of a type keeps the k-th stored answers of that type.
"""
from collections import defaultdict, deque
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from triage.contract import PROCEDURE_TYPES, REGION_TYPES
from web.patient.fields import KnowledgeLabel, OneChoice, bucket_choices
from web.patient.forms import StepForm, row_plan
from web.patient.steps import (COUNT_BUCKETS, REGION_BUCKETS, RELIEF_BUCKETS, RELIEF_WEEKS_BUCKETS,
                               SEPARATE_ROW_TYPES, TRIED_WEEKS_BUCKETS, WEEKS_AGO_BUCKETS, bucket_number)

# Which questions each kind of row asks, and the buckets that answer them.
ROW_QUESTIONS = {
    "care": ("weeks", "relief_percent"),
    "procedure": ("relief_percent", "count", "relief_weeks", "weeks_ago"),
    "separate": ("relief_percent", "relief_weeks", "weeks_ago"),
}
BUCKETS = {
    "weeks": TRIED_WEEKS_BUCKETS,
    "relief_percent": RELIEF_BUCKETS,
    "count": COUNT_BUCKETS,
    "relief_weeks": RELIEF_WEEKS_BUCKETS,
    "weeks_ago": WEEKS_AGO_BUCKETS,
    "region": REGION_BUCKETS,
}
QUESTIONS = {
    "weeks": _l("How long did you try it?"),
    "relief_percent": _l("At its best, how much did it ease your pain?"),
    "count": _l("How many times have you had it in the past 12 months?"),
    "relief_weeks": _l("How long did the relief last?"),
    "weeks_ago": _l("How long ago was the most recent one?"),
    "region": _l("Where on the spine was it done?"),
}
HINTS = {
    "relief_percent": _l("Compare your pain before with your pain when it helped most. "
                         "Half means the pain was half as bad."),
    "weeks_ago": _l("If you had it more than once, think of the last time."),
}
# "I don't know" is a real answer for these; the contract reads a missing key as unknown.
EXPLICIT = ("weeks", "count", "relief_weeks", "weeks_ago", "region")


def row_kind(kind):
    """Return which set of questions a treatment type gets."""
    if kind in SEPARATE_ROW_TYPES:
        return "separate"
    return "procedure" if kind in PROCEDURE_TYPES else "care"


def row_questions(kind):
    """Return the questions a row of this treatment type asks, in page order."""
    spine = ("region",) if kind in REGION_TYPES else ()
    return spine + ROW_QUESTIONS[row_kind(kind)]


def align_rows(plan, stored_rows):
    """Give each planned row the stored answers of the same type, in order."""
    pools = defaultdict(deque)
    for row in stored_rows:
        pools[row.get("type")].append(row)
    return [dict(pools[kind].popleft()) if pools[kind] else {"type": kind} for kind in plan]


def treatment_from(row):
    """Turn one row of raw answers into a TREATMENT object of the contract."""
    item = {"type": row["type"]}
    for key in row_questions(row["type"]):
        if row.get(key) is not None:
            number = bucket_number(BUCKETS[key], row[key])
            if number is not None:
                item[key] = number
    return item


class DetailsBase(StepForm):
    """The shared behaviour of every details form; the fields depend on the row plan."""

    step = "details"
    keys = ("treatments",)
    plan = ()

    @classmethod
    def part_from(cls, answers):
        rows = align_rows(row_plan(answers), answers.get(cls.step, {}).get("rows") or ())
        return {"treatments": [treatment_from(row) for row in rows]}

    @classmethod
    def data_from(cls, answers):
        """Return the form data of the stored rows, aligned with the current plan."""
        rows = align_rows(cls.plan, answers.get(cls.step, {}).get("rows") or ())
        return {f"row{index}_{key}": value for index, row in enumerate(rows)
                for key, value in row.items() if key != "type"}

    def answers(self):
        rows = []
        for index, kind in enumerate(self.plan):
            row = {"type": kind}
            for key in row_questions(kind):
                row[key] = self[f"row{index}_{key}"].data
            rows.append(row)
        return {"rows": rows}

    def answer_checks(self):
        for index, kind in enumerate(self.plan):
            for key in row_questions(kind):
                if key in EXPLICIT:
                    self.require(self[f"row{index}_{key}"], key)

    def field_for(self, path):
        head, _dot, key = path.partition(".")
        if head.startswith("treatments[") and key:
            return self._fields.get(f"row{head[len('treatments['):-1]}_{key}")
        return None

    def summary_text(self, field):
        """Name the treatment a message is about."""
        index = int(field.name[len("row"):].split("_", 1)[0])
        legend = list(self.rows())[index][0]
        return f"{legend} — {super().summary_text(field)}"

    def rows(self):
        """Yield (legend, fields) for each row, in page order."""
        totals = {kind: self.plan.count(kind) for kind in self.plan}
        seen = defaultdict(int)
        for index, kind in enumerate(self.plan):
            seen[kind] += 1
            legend = str(KnowledgeLabel("treatment", kind))
            if totals[kind] > 1:
                legend = _("%(treatment)s: block %(number)s of %(total)s",
                           treatment=legend, number=seen[kind], total=totals[kind])
            yield legend, [self[f"row{index}_{key}"] for key in row_questions(kind)]


@lru_cache(maxsize=512)
def details_form_class(plan):
    """Build the details form for one row plan."""
    fields = {"plan": plan}
    for index, kind in enumerate(plan):
        for key in row_questions(kind):
            question = QUESTIONS[key]
            if key == "weeks_ago" and row_kind(kind) == "separate":
                question = _l("How long ago was this block?")
            fields[f"row{index}_{key}"] = OneChoice(question, bucket_choices(BUCKETS[key]),
                                                    description=HINTS.get(key))
    return type("DetailsForm", (DetailsBase,), fields)
