"""The blueprint every nurse page hangs on."""
from flask import Blueprint

bp = Blueprint("nurse", __name__, url_prefix="/nurse")
