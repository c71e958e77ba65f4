"""The API reference: operations grouped by section, each with a request and a response
example, and the same examples in the OpenAPI document."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup


def operations(spec: dict):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_of_the_document_carries_examples(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, method, operation in operations(spec):
        curl = operation["x-codeSamples"][0]["source"]
        assert curl.startswith(f"curl -X {method.upper()} "), (method, path)
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            assert "example" in body, (method, path)
            assert (
                "-d '" in curl
                and json.loads(curl.split("-d '", 1)[1].rstrip("'")) == (body["example"])
            )
        for status, response in operation["responses"].items():
            if "application/json" in response.get("content", {}):
                assert "example" in response["content"]["application/json"], (method, status)


def test_examples_follow_the_schemas(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    create = spec["paths"]["/api/v1/projects"]["post"]
    assert create["requestBody"]["content"]["application/json"]["example"]["name"]
    created = create["responses"]["201"]["content"]["application/json"]["example"]
    assert {"id", "name", "workspace_id", "created_at"} <= created.keys()
    not_found = create["responses"]["404"]["content"]["application/json"]["example"]
    assert not_found["detail"]["code"] in create["responses"]["404"]["x-error-codes"]
    upload = spec["paths"]["/api/v1/sources/projects/{project_id}/sources"]["post"]
    assert "-F file=@" in upload["x-codeSamples"][0]["source"]


def test_docs_page_groups_operations_by_section_with_examples(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    page = BeautifulSoup(client.get("/api/docs").get_data(as_text=True), "html.parser")
    index = [a.get_text() for a in page.select("nav.api-sections a")]
    assert index[:6] == ["Authentication", "Projects", "Sources", "Posts", "Jobs", "Workflows"]
    assert index == [tag["name"] for tag in spec["tags"]]
    for path, method, operation in operations(spec):
        article = page.find("article", id=operation["operationId"])
        assert article is not None, (method, path)
        section = article.find_parent("section", class_="api-section")
        assert section.find("h2").get_text() == operation["tags"][0]
        request = article.select_one(".request-example pre").get_text()
        response = article.select_one(".response-example pre").get_text()
        assert request.startswith(f"curl -X {method.upper()} "), (method, path)
        assert response.startswith("HTTP/1.1 2"), (method, path)
        if "requestBody" in operation and "application/json" in operation["requestBody"]["content"]:
            assert "Content-Type: application/json" in request and "-d '{" in request
    create = page.find("article", id=spec["paths"]["/api/v1/projects"]["post"]["operationId"])
    assert '"name": "Spring launch"' in create.select_one(".request-example").get_text()
    assert '"workspace_id"' in create.select_one(".response-example").get_text()
