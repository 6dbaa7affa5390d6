"""The exports through the API: the same files and rules as the console's page,
errors in the house's JSON format, documented in the schema."""

import pytest

# The rewards tests' challenge and people (over this folder's dashboard fixtures).
from .exports_support import *  # noqa: F403
from .exports_support import read_csv, read_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def an_idea(make_idea):
    return make_idea(title='=HYPERLINK("http://x","y")')


def test_the_api_serves_csv_and_xlsx(client_for, genios, owner, an_idea):
    client = client_for(genios.tenant, owner)
    csv_response = client.get("/api/v1/exports/ideas?format=csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(csv_response)
    assert rows[0][0] == "Identificador de la idea" and rows[1][3] == "'" + an_idea.title
    xlsx_response = client.get(f"/api/v1/exports/ideas?format=xlsx&challenge={genios.slug}")
    assert xlsx_response.status_code == 200
    assert xlsx_response["Content-Type"] == XLSX
    rows, sheet = read_xlsx(xlsx_response)
    assert rows[1][3] == an_idea.title and sheet.cell(row=2, column=4).data_type == "s"
    assert read_csv(client.get("/api/v1/exports/ideas"))[1][0] == str(an_idea.public_id)


def test_api_refusals_are_clear(client_for, genios, owner, moderator, participant, stranger):
    client = client_for(genios.tenant, owner)
    bad = client.get("/api/v1/exports/ideas?format=pdf")
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"format": ["csv or xlsx"]}
    brand_only = client.get(f"/api/v1/exports/participants?challenge={genios.slug}")
    assert brand_only.status_code == 400
    assert brand_only.json()["error"]["code"] == "export_brand_only"
    assert client.get("/api/v1/exports/nothing?format=csv").status_code == 404
    assert client.get("/api/v1/exports/ideas?challenge=nope").status_code == 404
    assert client_for(genios.tenant, moderator).get("/api/v1/exports/ideas").status_code == 403
    assert client_for(genios.tenant, participant).get("/api/v1/exports/ideas").status_code == 404
    assert client_for(genios.tenant, stranger).get("/api/v1/exports/ideas").status_code == 404
    assert client_for(genios.tenant).get("/api/v1/exports/ideas").status_code in (401, 403)


def test_the_schema_documents_the_exports(client_for, ing):
    schema = client_for(ing).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/exports/{kind}"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["format"]["schema"]["enum"] == ["csv", "xlsx"]
    assert "payouts" in parameters["kind"]["schema"]["enum"]
    assert set(operation["responses"]["200"]["content"]) == {"text/csv", XLSX}
