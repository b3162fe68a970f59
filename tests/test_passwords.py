"""The staff password policy: length, variety, no pattern, no username, not a common password."""
import pytest

from web.passwords import common_passwords, password_problem

REFUSED = [
    ("short-pw", "nina", "at least 12 characters"),
    ("aaaaaaaaaaaa", "nina", "at least 5 different characters"),
    ("ababababababab", "nina", "at least 5 different characters"),
    ("abcdeabcdeabcde", "nina", "repeats one short part"),
    ("passwordpassword", "nina", "repeats one short part"),
    ("123456789012", "nina", "run of keys or letters"),
    ("ABCDEFGHIJKLMN", "nina", "run of keys or letters"),
    ("qwertyuiopasdf", "nina", "run of keys or letters"),
    ("zyxwvutsrqponm", "nina", "run of keys or letters"),
    ("nina.garcia-2024", "Nina.Garcia", "contains the username"),
    ("123qweasdzxc", "nina", "most common passwords"),
    ("SonyEricsson", "nina", "most common passwords"),
    ("1qaz2wsx3edc", "nina", "run of keys or letters"),
    ("Password2024!", "nina", "most common passwords"),
    ("iloveyou12345", "nina", "most common passwords"),
    ("!!Sunshine!!2026", "nina", "most common passwords"),
]
ACCEPTED = [
    ("correct-horse-battery", "nina"),
    ("a-long-enough-password", "ada"),
    ("tulip lantern oyster", "nina"),
    ("Zq8#mW2!vR5@", "nina"),
    ("nina-is-short", "al"),  # a two-letter username is too short to look for
]


@pytest.mark.parametrize("password, username, refusal", REFUSED)
def test_weak_passwords_are_refused_with_the_reason(password, username, refusal):
    problem = password_problem(password, username)
    assert problem is not None and refusal in problem


@pytest.mark.parametrize("password, username", ACCEPTED)
def test_strong_passwords_are_accepted(password, username):
    assert password_problem(password, username) is None


def test_the_bundled_list_holds_the_common_passwords():
    common = common_passwords()
    assert len(common) == 10_000
    assert {"123456", "password", "qwerty", "iloveyou", "sunshine"} <= common
    assert all(word == word.lower() and word.strip() == word and word for word in common)


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "Password2024!", "nina-nina-nina-1"])
def test_the_command_refuses_a_weak_password(db_app, password):
    runner = db_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--password-stdin", "nina"], input=password + "\n")
    assert result.exit_code != 0 and "The password" in result.output
    with db_app.app_context():
        from web.models import User
        assert User.query.count() == 0
