"""What a person does in many browser tests: press a button and wait for the next page; sign in at the desk."""
from conftest import STAFF_PASSWORD


def press(page, name):
    """Press a button and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def sign_in(page, username):
    """Sign a staff member in through the login form (password: the tests' STAFF_PASSWORD)."""
    page.goto("/nurse/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
