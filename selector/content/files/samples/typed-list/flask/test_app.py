from typing import Any

import pytest
from flask.testing import FlaskClient

from app import create_app

# The same cases in all four samples of this task.
ACCEPTED = [
    ("", list(range(1, 11))),
    ("?limit=5&offset=20", [21, 22, 23, 24, 25]),
    ("?limit=100&offset=24", [25]),
    ("?offset=30", []),
]
REFUSED = ["?limit=0", "?limit=101", "?limit=ten", "?offset=-1"]


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


@pytest.mark.parametrize(("query", "ids"), ACCEPTED)
def test_a_page_of_items(client: FlaskClient, query: str, ids: list[int]) -> None:
    response = client.get(f"/items{query}")
    assert response.status_code == 200
    page = response.get_json()
    assert [item["id"] for item in page["items"]] == ids
    assert page["total"] == 25


@pytest.mark.parametrize("query", REFUSED)
def test_a_bad_limit_or_offset_is_refused(client: FlaskClient, query: str) -> None:
    response = client.get(f"/items{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/json"
    # The JSON error names the parameter at fault.
    assert query[1:].split("=")[0] in response.get_data(as_text=True)


def test_the_published_document_describes_the_list(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    operation = document["paths"]["/items"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {p["in"] for p in parameters.values()} == {"query"}
    limit = resolve(document, parameters["limit"]["schema"])
    assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, 100)
    assert resolve(document, parameters["offset"]["schema"])["minimum"] == 0
    content = operation["responses"]["200"]["content"]["application/json"]
    page = resolve(document, content["schema"])
    assert set(page["properties"]) == {"items", "total", "limit", "offset"}
    item = resolve(document, page["properties"]["items"]["items"])
    assert set(item["properties"]) == {"id", "name"}
