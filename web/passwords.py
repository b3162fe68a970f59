"""The staff password policy: long, and not guessable from a list, a pattern or the username."""
import re
from functools import cache
from pathlib import Path

MIN_PASSWORD_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 5
COMMON_PASSWORDS = Path(__file__).resolve().parent / "common-passwords.txt"
# Runs of keys that people type as a "random" password.
SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789" * 3, "qwertyuiopasdfghjklzxcvbnm",
             "qwertzuiopasdfghjklyxcvbnm", "azertyuiopqsdfghjklmwxcvbn", "1qaz2wsx3edc4rfv5tgb6yhn7ujm")
# Digits and symbols people wrap around a common word ("Password2024!").
PADDING = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")
SHORTEST_CORE = 4


@cache
def common_passwords():
    """Return the bundled set of common passwords (lower case)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password, username=""):
    """Return why a new staff password is refused, or None when it is acceptable."""
    lowered = password.lower()
    name = username.strip().lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password needs at least {MIN_PASSWORD_LENGTH} characters."
    if len(set(lowered)) < MIN_DISTINCT_CHARACTERS:
        return f"The password needs at least {MIN_DISTINCT_CHARACTERS} different characters."
    if re.fullmatch(r"(.+?)\1+", lowered):
        return "The password repeats one short part; choose one that does not."
    if any(lowered in run or lowered in run[::-1] for run in SEQUENCES):
        return "The password is a run of keys or letters in order; choose one that is not."
    if len(name) >= 3 and name in lowered:
        return "The password contains the username; choose one that does not."
    core = PADDING.match(lowered).group(1)
    if lowered in common_passwords() or (len(core) >= SHORTEST_CORE and core in common_passwords()):
        return "The password is one of the most common passwords; choose one that is not."
    return None
