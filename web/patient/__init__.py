"""The patient questionnaire."""
from web.patient.views import bp

__all__ = ["bp"]
