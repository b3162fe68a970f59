"""Kiosk mode: a shared waiting-room tablet that forgets each patient."""
from web.kiosk.views import bp

__all__ = ["bp"]
