"""Forms of the nurse workspace."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from web.audit import ACTIONS


class LoginForm(FlaskForm):
    """Staff sign-in."""

    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class ReviewForm(FlaskForm):
    """Mark a submission reviewed, with an optional note for the chart."""

    note = TextAreaField(_l("Review note"), validators=[Optional(), Length(max=2000)],
                         description=_l("Optional. Kept with the submission and shown on the printed summary."))


class EhrLinkForm(FlaskForm):
    """Link a submission to the patient's id in the EHR, so CDS Hooks cards reach the physician."""

    patient_id = StringField(_l("EHR patient id"), validators=[
        Optional(), Length(max=64),
        Regexp(r"^[A-Za-z0-9\-.]+$", message=_l("Use the EHR's FHIR Patient id: letters, digits, '-' and '.' only."))],
        description=_l("The FHIR Patient.id the EHR sends when a physician opens this patient's record. "
                       "Leave it empty to remove the link."),
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": "off", "spellcheck": "false"})


class AuditFilterForm(FlaskForm):
    """Filters of the audit log page (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    user = StringField(_l("User"), validators=[Optional(), Length(max=80)])
    action = SelectField(_l("Action"), validators=[Optional()],
                         choices=[SelectChoice("", _l("Any action"))]
                         + [SelectChoice(action, label) for action, label in ACTIONS.items()])
    code = StringField(_l("Check-in code"), validators=[Optional(), Length(max=6)])
    since = DateField(_l("From (date)"), validators=[Optional()])
    until = DateField(_l("To (date)"), validators=[Optional()])
