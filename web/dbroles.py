"""PostgreSQL roles: an owner that migrates, and an app role that cannot rewrite the audit trail.

The owner of a table can always disable its triggers or drop them, so the role the app
connects as must not own anything. `flask --app web init`, run as the owner with
`PAIN_TRIAGE_DATABASE_APP_ROLE` set, grants that role what the app needs after every upgrade:
reading and writing the working tables, and only reading and adding to `audit_event`.
"""
from sqlalchemy import text

AUDIT_TABLE = "audit_event"
# Alembic's own bookkeeping: the app may read which revision it runs on, never change it.
READ_ONLY_TABLES = ("alembic_version",)


class RoleError(Exception):
    """The configured app role cannot be used safely."""


def grant_app_role(connection, role, tables):
    """Grant the app role its rights on the given tables (the audit table: SELECT and INSERT only)."""
    quote = connection.dialect.identifier_preparer.quote
    owner = connection.execute(text("SELECT current_user")).scalar_one()
    if role == owner:
        raise RoleError(f"the app role {role!r} is the owner: it could disable the audit triggers")
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    who = quote(role)
    statements = [f"GRANT USAGE ON SCHEMA {quote(schema)} TO {who}"]
    for table in tables:
        name = quote(table)
        statements.append(f"REVOKE ALL ON {name} FROM {who}")
        if table == AUDIT_TABLE or table in READ_ONLY_TABLES:
            rights = "SELECT, INSERT" if table == AUDIT_TABLE else "SELECT"
        else:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {rights} ON {name} TO {who}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {who}")
    for statement in statements:
        connection.execute(text(statement))
