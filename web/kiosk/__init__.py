"""Kiosk mode: a shared waiting-room tablet that forgets each patient."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
