"""Form fields for the questionnaire: choices that treat tampering as garbage, not as a mistake.

A patient can forget to answer; only a tampered request can send a value that was never
offered, or two values for one radio group. The first is a message on the page; the second
is a 400.
"""
from flask import abort
from flask_babel import get_locale
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice

from triage.knowledge import label


def current_language():
    """Return the language of this request's patient text."""
    return str(get_locale() or "en")


class KnowledgeLabel:
    """The patient wording of one identifier, looked up when rendered, in the request's language."""

    def __init__(self, kind, ident):
        self.kind = kind
        self.ident = ident

    def __str__(self):
        return label(self.kind, self.ident, current_language())


def choices(pairs):
    """Return WTForms choices for (value, words) pairs."""
    return [SelectChoice(value, words) for value, words in pairs]


def knowledge_choices(kind, idents):
    """Return choices whose words come from the knowledge text."""
    return choices((ident, KnowledgeLabel(kind, ident)) for ident in idents)


def bucket_choices(buckets):
    """Return choices for answer buckets."""
    return choices((value, words) for value, _number, words in buckets)


class OneChoice(RadioField):
    """A radio group; missing is allowed here and judged later, foreign values are garbage."""

    def __init__(self, label=None, choices=(), **kwargs):
        super().__init__(label, choices=list(choices), validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        if len(valuelist) > 1:
            abort(400)
        self.data = valuelist[0] if valuelist else None

    def is_garbage(self):
        """Tell whether the value is one the page never offered."""
        return self.data is not None and self.data not in {choice.value for choice in self.choices}

    def options(self):
        """Yield (id, value, words, checked) for rendering."""
        for index, choice in enumerate(self.choices):
            yield f"{self.id}-{index}", choice.value, choice.label, choice.value == self.data


class ManyChoices(SelectMultipleField):
    """A checkbox group; repeated or foreign values are garbage."""

    def __init__(self, label=None, choices=(), **kwargs):
        super().__init__(label, choices=list(choices), validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        if len(set(valuelist)) != len(valuelist):
            abort(400)
        self.data = list(valuelist)

    def process_data(self, value):
        self.data = list(value or ())

    def is_garbage(self):
        """Tell whether any value is one the page never offered."""
        offered = {choice.value for choice in self.choices}
        return any(value not in offered for value in self.data)

    def options(self):
        """Yield (id, value, words, checked) for rendering."""
        chosen = set(self.data)
        for index, choice in enumerate(self.choices):
            yield f"{self.id}-{index}", choice.value, choice.label, choice.value in chosen


class ShortText(StringField):
    """A short typed answer; anything longer than any real answer is garbage."""

    def __init__(self, label=None, max_length=10, **kwargs):
        super().__init__(label, **kwargs)
        self.max_length = max_length

    def process_formdata(self, valuelist):
        if len(valuelist) > 1:
            abort(400)
        self.data = valuelist[0].strip() if valuelist else ""

    def is_garbage(self):
        """Tell whether the text is far longer than the question allows."""
        return len(self.data or "") > 10 * self.max_length
