"""The issue's "done when", through the API as a new team would: A signs up, creates a
workspace and a project, invites B as editor and R as reviewer; B and R accept from their
mails and see the project; B generates a post; R can read it but gets 403 on generate and
delete; an outsider gets 404 on all of it; A removes B, and B gets 404."""

from __future__ import annotations

import re

from ..conftest import wait_for

LINK = re.compile(r"https?://\S+/invitations/(\S+)")


class Person:
    def __init__(self, client, auth, email, name, signs_up=True):
        if signs_up:
            auth.register(email=email, name=name)
            self.headers = {"Authorization": f"Bearer {auth.tokens(email)['access_token']}"}
        else:  # the factory: sign-up is limited to 3 a minute per address
            self.headers = auth.headers(email)
        self.client = client

    def get(self, path):
        return self.client.get(f"/api/v1{path}", headers=self.headers)

    def post(self, path, **body):
        return self.client.post(f"/api/v1{path}", headers=self.headers, json=body)

    def delete(self, path):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)


def invitation_token(outbox, email) -> str:
    for message in outbox.settle():
        if message["To"] == email:
            return LINK.search(message.get_content()).group(1)
    raise AssertionError(f"no invitation mailed to {email}")


def code_of(response):
    return response.get_json()["detail"]["code"]


def test_a_team_works_on_one_project(client, auth, outbox, worker):
    a = Person(client, auth, "a@example.com", "Ann")
    workspace = a.post("/workspaces", name="Acme marketing")
    assert workspace.status_code == 201, workspace.get_json()
    workspace_id = workspace.get_json()["id"]
    project = a.post("/projects", name="Launch", workspace_id=workspace_id).get_json()
    assert project["workspace_id"] == workspace_id
    for email, role in (("b@example.com", "editor"), ("r@example.com", "reviewer")):
        invited = a.post(f"/workspaces/{workspace_id}/invitations", email=email, role=role)
        assert invited.status_code == 201, invited.get_json()

    b = Person(client, auth, "b@example.com", "Ben")
    r = Person(client, auth, "r@example.com", "Rae")
    outsider = Person(client, auth, "o@example.com", "Otto", signs_up=False)
    for person, email, role in ((b, "b@example.com", "editor"), (r, "r@example.com", "reviewer")):
        accepted = person.post("/invitations/accept", token=invitation_token(outbox, email))
        assert accepted.get_json() == {"workspace_id": workspace_id, "role": role}
        listed = person.get("/projects").get_json()["projects"]
        assert [p["id"] for p in listed] == [project["id"]]

    generation = b.post(
        "/posts/generate", project_id=project["id"], topic="Launch day", voice="professional"
    )
    assert generation.status_code == 202, generation.get_json()
    job_id = generation.get_json()["job_id"]
    job = wait_for(
        lambda: (body := b.get(f"/jobs/{job_id}").get_json())["status"] == "completed" and body,
        timeout=60,
        interval=0.2,
    )
    post_id = job["result"]["post_id"]

    assert r.get(f"/posts/{post_id}").status_code == 200
    again = r.post("/posts/generate", project_id=project["id"], topic="Other", voice="professional")
    assert (again.status_code, code_of(again)) == (403, "INSUFFICIENT_ROLE")
    removal = r.delete(f"/posts/{post_id}")
    assert (removal.status_code, code_of(removal)) == (403, "INSUFFICIENT_ROLE")

    for path in (f"/projects/{project['id']}", f"/posts/{post_id}", f"/jobs/{job_id}"):
        assert outsider.get(path).status_code == 404
    assert outsider.get(f"/workspaces/{workspace_id}/members").status_code == 404
    assert outsider.get("/projects").get_json()["total"] == 0
    sneaky = outsider.post(
        "/posts/generate", project_id=project["id"], topic="x", voice="professional"
    )
    assert sneaky.status_code == 404
    assert outsider.delete(f"/posts/{post_id}").status_code == 404

    member_id = b.get("/users/me").get_json()["id"]
    assert a.delete(f"/workspaces/{workspace_id}/members/{member_id}").status_code == 204
    assert b.get(f"/projects/{project['id']}").status_code == 404
    assert b.get(f"/posts/{post_id}").status_code == 404
    assert b.get("/projects").get_json()["total"] == 0
    assert a.get(f"/posts/{post_id}").status_code == 200  # B's post stays with the team
