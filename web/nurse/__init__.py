"""The nurse review workspace: sign-in, the queue, a submission's detail, the audit log."""
from web.nurse import account, admin, governance, review, stops  # noqa: F401  (each adds its routes to bp)
from web.nurse.blueprint import bp

__all__ = ["bp"]
