"""One voice across the pages, as the server renders them (no JavaScript): the first
invalid field takes the focus, password rules are a checklist, statuses read as words,
times carry their exact UTC moment, and sign-in and reset never tell whether an address
has an account."""

import re

from webapp.extensions import db
from webapp.models import Source
from webapp.services.passwords import PASSWORD_RULES
from webapp.vocabulary import SourceStatus

from ..factories import make_project, make_sources, make_user


def tag(page: str, element_id: str) -> str:
    found = re.search(rf'<[a-z]+ [^>]*\bid="{element_id}"[^>]*>', page)
    assert found, element_id
    return found.group(0)


def test_the_first_invalid_field_takes_the_focus_and_names_its_message(client, csrf, app):
    token = csrf(client.get("/signup"))
    response = client.post(
        "/signup",
        data={"name": "Ada", "email": "ada-at-example", "password": "weak", "csrf_token": token},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    email = tag(page, "email")
    assert "autofocus" in email and 'aria-invalid="true"' in email
    assert 'aria-describedby="email-error"' in email
    assert '<small id="email-error" class="field-error">Enter an email address like' in page
    assert page.count("autofocus") == 1  # not the name field the empty form focuses
    password = tag(page, "password")
    assert 'aria-invalid="true"' in password and "autofocus" not in password
    assert 'aria-describedby="password-rules password-error"' in password
    # Before any submission, the form's first field has the focus.
    fresh = client.get("/signup").get_data(as_text=True)
    assert "autofocus" in tag(fresh, "name") and fresh.count("autofocus") == 1


def test_an_empty_form_asks_for_each_thing_by_name(client, auth, app, csrf):
    auth.signed_in()
    token = csrf(client.get("/settings/password"))
    page = client.post("/settings/password", data={"csrf_token": token}).get_data(as_text=True)
    assert "Enter your current password." in page and "Choose a new password." in page
    assert "This field is required" not in page
    assert "autofocus" in tag(page, "current_password")


def test_password_rules_are_a_checklist_that_names_the_unmet_rule(client, auth, app, csrf):
    listed = [rule.text for rule in PASSWORD_RULES if rule.listed]
    signup = client.get("/signup").get_data(as_text=True)
    auth.signed_in()
    change = client.get("/settings/password").get_data(as_text=True)
    for html in (signup, change):
        items = re.findall(r'<li data-pattern="[^"]*" class="[^"]*"><small>([^<]+)<', html)
        assert items == listed
    token = csrf(client.get("/settings/password"))
    weak = client.post(
        "/settings/password",
        data={"current_password": "x", "new_password": "lowercase1!", "csrf_token": token},
    ).get_data(as_text=True)
    assert "Password must contain an uppercase letter." in weak
    assert re.search(r'class="unmet"><small>An uppercase letter<span[^>]*> \(missing\)', weak)
    assert re.search(r'class="met"><small>A number<span[^>]*> \(done\)', weak)


def test_statuses_read_as_words_and_keep_their_raw_class(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    make_sources(app, user, project)
    with app.app_context():
        source = Source(
            project_id=project.id,
            user_id=user.id,
            filename="broken.pdf",
            file_type="pdf",
            file_size=10,
            status=SourceStatus.FAILED,
            error_message="The PDF is damaged.",
        )
        db.session.add(source)
        db.session.commit()
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert '<span class="badge status-parsed">Ready</span>' in page
    assert '<span class="badge status-failed">Couldn’t read</span>' in page


def test_times_carry_the_exact_utc_moment(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert re.search(
        r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" title="\d\d \w{3} \d{4}, \d\d:\d\d UTC"'
        r' data-local="datetime">\d\d \w{3} \d{4}, \d\d:\d\d UTC</time>',
        page,
    )


def test_sign_in_and_reset_never_tell_whether_an_address_has_an_account(client, csrf, app):
    make_user(app, email="known@example.com")

    def without_token(html: str) -> str:
        html = re.sub(r"[\w-]{20,}\.[\w-]+\.[\w-]+", "", html)  # CSRF tokens
        return html.replace("known@", "@").replace("nobody@", "@")

    answers = {}
    for email in ("known@example.com", "nobody@example.com"):
        token = csrf(client.get("/login"))
        login = client.post(
            "/login", data={"email": email, "password": "Wrong1!x", "csrf_token": token}
        )
        token = csrf(client.get("/forgot-password"))
        forgot = client.post("/forgot-password", data={"email": email, "csrf_token": token})
        sent = client.get(forgot.headers["Location"])
        answers[email] = (
            login.status_code,
            without_token(login.get_data(as_text=True)),
            forgot.status_code,
            without_token(sent.get_data(as_text=True)),
        )
    assert answers["known@example.com"] == answers["nobody@example.com"]
    assert "Sign in instead" not in answers["known@example.com"][1]
