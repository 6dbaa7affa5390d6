"""The brand's exports: each file's columns and rows (hand-checked), CSV and
XLSX, formulas defused, voters pseudonymous, only consenting participants,
streamed at a constant query count, and every persona's answer."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from accounts import services as account_services
from ideas import services as idea_services
from insights import services
from insights.models import PseudonymKey
from voting import services as voting_services

from ..campaigns.conftest import this_monday

# The rewards tests' challenge and people (over this folder's dashboard fixtures).
from .exports_support import *  # noqa: F403
from .exports_support import body_of, read_csv, read_xlsx

FORMULA = '=HYPERLINK("http://x","y")'
FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get(client_for, tenant, user, kind, file_format="csv", challenge=""):
    path = f"/console/exports/{kind}.{file_format}"
    if challenge:
        path += f"?challenge={challenge}"
    return client_for(tenant, user).get(path)


@pytest.fixture
def two_ideas(genios, owner, make_idea, make_person):
    """ "Redondea" (2 votes, by Ana and Ben) and a title that is a formula (1 vote, by Ana)."""
    ana, ben = make_person("Ana"), make_person("Ben")
    plain = make_idea(title="Redondea tus compras", tags=["ahorro"])
    formula = make_idea(title=FORMULA)
    with scope(tenant=genios.tenant):
        # Held for its link, then approved by a moderator.
        idea_services.ideas_moderate(ideas=[formula], actor=owner, action="approve")
        formula.refresh_from_db()
        voting_services.vote_cast(idea=plain, voter=ana)
        voting_services.vote_cast(idea=plain, voter=ben)
        voting_services.vote_cast(idea=formula, voter=ana)
    return plain, formula, ana, ben


# --- Ideas --------------------------------------------------------------------------------------


def test_ideas_csv_holds_each_idea_headers_in_the_brands_language(
    client_for, genios, owner, two_ideas
):
    plain, _formula, _ana, _ben = two_ideas
    response = get(client_for, genios.tenant, owner, "ideas")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ing-all-ideas-')
    rows = read_csv(response)
    # ING speaks Spanish: the headers too, whatever the reader's language.
    assert rows[0] == [
        "Identificador de la idea", "Reto", "Ronda", "Título", "Texto", "Tipo", "Estado", "Autor",
        "Etiquetas", "Votos", "Comentarios", "Enviada el", "Publicada el",
    ]  # fmt: skip
    assert len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[0] == str(plain.public_id)
    assert first[1:4] == ["Genios del Ahorro", "Semana 1", "Redondea tus compras"]
    assert first[5:7] == ["Texto", "Publicada"]
    assert first[7] == plain.author.display_name
    assert first[8:11] == ["ahorro", "2", "0"]
    assert first[11].endswith("+01:00") or first[11].endswith("+02:00")  # Madrid's clock
    # The formula is text: a spreadsheet shows it, never runs it.
    assert second[3] == "'" + FORMULA
    assert second[9] == "1"


def test_ideas_xlsx_opens_with_the_same_rows_and_no_formula(client_for, genios, owner, two_ideas):
    _plain, _formula, _ana, _ben = two_ideas
    response = get(client_for, genios.tenant, owner, "ideas", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="ing-all-ideas-')
    rows, sheet = read_xlsx(response)
    assert sheet.title == "Ideas" or sheet.title == "Ideas"[:31]
    assert rows[0][:4] == ["Identificador de la idea", "Reto", "Ronda", "Título"]
    assert [r[3] for r in rows[1:]] == ["Redondea tus compras", FORMULA]
    formula_cell = sheet.cell(row=3, column=4)
    assert formula_cell.data_type == "s"  # a string cell, not a formula ("f")
    assert rows[1][9] == 2 and rows[2][9] == 1  # numbers stay numbers
    assert isinstance(rows[1][11], dt.datetime)


def test_a_challenges_file_holds_only_its_ideas(
    client_for, genios, owner, make_challenge, make_idea, two_ideas
):
    other = make_challenge(title="Otro reto", slug="otro-reto")
    make_idea(title="Elsewhere", campaign=other)
    rows = read_csv(get(client_for, genios.tenant, owner, "ideas", challenge=genios.slug))
    assert [r[3] for r in rows[1:]] == ["Redondea tus compras", "'" + FORMULA]
    every = read_csv(get(client_for, genios.tenant, owner, "ideas"))
    assert len(every) == 1 + 3


# --- Votes --------------------------------------------------------------------------------------


def test_votes_name_voters_by_a_stable_pseudonym_never_their_id(
    client_for, genios, owner, two_ideas
):
    _plain, _formula, ana, ben = two_ideas
    rows = read_csv(get(client_for, genios.tenant, owner, "votes"))
    assert rows[0][5] == "Votante (id seudónimo)"
    assert len(rows) == 1 + 3
    voter_of = {}
    for row in rows[1:]:
        voter_of.setdefault(row[5], []).append(row[2])
    # Ana voted twice, Ben once: two pseudonyms, Ana's on both of her votes.
    assert sorted(len(v) for v in voter_of.values()) == [1, 2]
    with scope(tenant=genios.tenant):
        key = services.pseudonym_key(tenant=genios.tenant)
    ana_id = services.pseudonym(key, ana.pk)
    assert sorted(voter_of[ana_id]) == sorted(["Redondea tus compras", "'" + FORMULA])
    assert [r[6] for r in rows[1:]] == ["Contado"] * 3
    text = body_of(get(client_for, genios.tenant, owner, "votes")).decode()
    for person in (ana, ben):
        assert person.email not in text
        assert str(person.public_id) not in text
        assert f",{person.pk}," not in text
    # Stable: the next file names Ana the same way; one key per tenant.
    again = read_csv(get(client_for, genios.tenant, owner, "votes", "csv"))
    assert {r[5] for r in again[1:]} == set(voter_of)
    with scope(tenant=genios.tenant):
        assert PseudonymKey.objects.count() == 1


def test_the_same_person_has_another_pseudonym_in_another_tenant(ing, decathlon, participant):
    with scope(tenant=ing):
        ing_key = services.pseudonym_key(tenant=ing)
    with scope(tenant=decathlon):
        decathlon_key = services.pseudonym_key(tenant=decathlon)
    assert services.pseudonym(ing_key, participant.pk) != services.pseudonym(
        decathlon_key, participant.pk
    )
    assert str(participant.pk) != services.pseudonym(ing_key, participant.pk)


# --- Comments, participants -----------------------------------------------------------------------


def test_comments_export(client_for, genios, owner, two_ideas):
    plain, _formula, ana, ben = two_ideas
    with scope(tenant=genios.tenant):
        first = idea_services.comment_post(idea=plain, author=ana, body="Muy buena idea")
        idea_services.comment_post(idea=plain, author=ben, body="-1 no me gusta", parent=first)
    rows = read_csv(get(client_for, genios.tenant, owner, "comments"))
    assert rows[0][:3] == ["Identificador del comentario", "Identificador de la idea", "Idea"]
    assert len(rows) == 3
    assert rows[1][2] == "Redondea tus compras"
    assert rows[1][4:7] == ["", "Ana", "Muy buena idea"]
    assert rows[2][4:7] == [str(first.public_id), "Ben", "'-1 no me gusta"]


def test_only_participants_who_agreed_to_be_contacted_are_exported(
    client_for, ing, owner, make_user
):
    def take_part(email, name, marketing):
        user = make_user(email)
        with scope(tenant=ing):
            account_services.consent_accept(
                tenant=ing, user=user, version=1, display_name=name, marketing_opt_in=marketing
            )
        return user

    take_part("yes@example.com", "Sí", True)
    take_part("no@example.com", "No", False)
    take_part("evil@example.com", "@SUM(1)", True)
    rows = read_csv(get(client_for, ing, owner, "participants"))
    assert rows[0] == ["Correo electrónico", "Nombre público", "Idioma", "Aceptó el",
                       "Participa desde"]  # fmt: skip
    assert [r[:2] for r in rows[1:]] == [
        ["yes@example.com", "Sí"],
        ["evil@example.com", "'@SUM(1)"],
    ]
    xlsx, _sheet = read_xlsx(get(client_for, ing, owner, "participants", "xlsx"))
    assert [r[0] for r in xlsx[1:]] == ["yes@example.com", "evil@example.com"]


# --- Awards and payouts ---------------------------------------------------------------------------


def test_awards_and_payouts_exports(client_for, genios, owner, admin, announced):
    _round, winner, _other, _now = announced
    awards = read_csv(get(client_for, genios.tenant, owner, "awards"))
    assert awards[0][:4] == ["Identificador del premio", "Reto", "Ronda", "Puesto"]
    assert len(awards) == 2
    assert awards[1][1:5] == ["Genios del Ahorro", "Semana 1", "1", "Idea A"]
    assert awards[1][6:8] == ["500.00", "EUR"]
    payouts, _sheet = read_xlsx(get(client_for, genios.tenant, admin, "payouts", "xlsx"))
    assert len(payouts) == 2
    row = payouts[1]
    assert row[4] == "Idea A"
    assert row[5] == winner.author.display_name
    assert Decimal(str(row[6])) == Decimal("100") and Decimal(str(row[7])) == Decimal("500")
    assert row[8:10] == ["EUR", "Esperando los datos bancarios"]
    assert "IBAN" not in " ".join(str(h) for h in payouts[0])


# --- The daily series -------------------------------------------------------------------------


def test_the_daily_series_holds_one_line_a_day_with_running_totals(
    client_for, genios, owner, two_ideas, fold
):
    today = timezone.localdate(timezone=ZoneInfo("Europe/Madrid"))
    fold(genios.tenant, [today])
    rows = read_csv(get(client_for, genios.tenant, owner, "daily", challenge=genios.slug))
    assert rows[0][:9] == [
        "Día", "Visitantes", "Registros", "Condiciones aceptadas", "Ideas", "Votos",
        "Comentarios", "Compartidos", "Páginas vistas",
    ]  # fmt: skip
    assert rows[0][9] == "Visitantes, en total"
    monday = this_monday().date()
    days = [dt.date.fromisoformat(r[0]) for r in rows[1:]]
    assert days == [monday + dt.timedelta(days=n) for n in range((today - monday).days + 1)]
    last = rows[-1]
    # Today: Ana, Ben and the two authors signed up and accepted the terms; the
    # two ideas and three votes of `two_ideas`; the same in all so far.
    assert last[1:6] == ["0", "4", "4", "2", "3"]
    assert last[10:14] == ["4", "4", "2", "3"]
    assert all(r[4] == "0" for r in rows[1:-1])
    xlsx, _sheet = read_xlsx(get(client_for, genios.tenant, owner, "daily", "xlsx"))
    assert xlsx[-1][4:6] == [2, 3]


# --- Streaming and queries ------------------------------------------------------------------------


def _queries_of(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        body_of(response)
    return len(queries)


def test_exports_cost_the_same_queries_for_10_or_200_rows(
    client_for, genios, owner, make_idea, make_person
):
    voter = make_person("Vera")

    def add(n):
        with scope(tenant=genios.tenant):
            for i in range(n):
                idea = make_idea(title=f"Idea {i}", author=voter)
                voting_services.vote_cast(idea=idea, voter=make_person())

    add(10)
    client = client_for(genios.tenant, owner)
    paths = [
        f"/console/exports/{kind}.{fmt}" for kind in ("ideas", "votes") for fmt in ("csv", "xlsx")
    ]
    _queries_of(client, paths[-1])  # the tenant's pseudonym key is made on the first export
    small = {path: _queries_of(client, path) for path in paths}
    add(190)
    large = {path: _queries_of(client, path) for path in paths}
    assert large == small
    rows = read_csv(client.get("/console/exports/votes.csv"))
    assert len(rows) == 1 + 200


# --- Who may download -----------------------------------------------------------------------------

KINDS = ["ideas", "votes", "comments", "participants", "awards", "payouts", "daily"]


@pytest.mark.parametrize("kind", KINDS)
def test_owners_and_admins_download_moderators_403_others_404(
    client_for, genios, owner, admin, moderator, juror, participant, stranger, kind
):
    tenant = genios.tenant
    for person in (owner, admin):
        assert get(client_for, tenant, person, kind).status_code == 200
        assert get(client_for, tenant, person, kind, "xlsx").status_code == 200
    assert get(client_for, tenant, moderator, kind).status_code == 403
    assert get(client_for, tenant, juror, kind).status_code == 403
    assert get(client_for, tenant, participant, kind).status_code == 404
    assert get(client_for, tenant, stranger, kind).status_code == 404
    visitor = get(client_for, tenant, None, kind)
    assert visitor.status_code == 302 and "/login/" in visitor["Location"]


def test_another_tenants_challenge_is_404(
    client_for, genios, make_challenge, decathlon, make_member
):
    decathlon_owner = make_member(decathlon, "owner", "boss@decathlon.example")
    theirs = make_challenge(tenant=decathlon, actor=decathlon_owner, slug="corre")
    response = get(client_for, genios.tenant, None, "ideas")
    assert response.status_code == 302
    owner_client = client_for(decathlon, decathlon_owner)
    assert (
        owner_client.get(f"/console/exports/ideas.csv?challenge={genios.slug}").status_code == 404
    )
    assert (
        owner_client.get(f"/console/exports/ideas.csv?challenge={theirs.slug}").status_code == 200
    )


def test_bad_kind_format_or_scope_is_a_clear_refusal(client_for, genios, owner):
    client = client_for(genios.tenant, owner)
    assert client.get("/console/exports/secrets.csv").status_code == 404
    bad_format = client.get("/console/exports/ideas.pdf")
    assert bad_format.status_code == 400
    assert "CSV" in bad_format.content.decode()
    brand_only = client.get(f"/console/exports/participants.csv?challenge={genios.slug}")
    assert brand_only.status_code == 400


# --- The page -------------------------------------------------------------------------------------


def test_the_exports_page_lists_each_file_for_the_brand_and_a_challenge(
    client_for, genios, owner, moderator, participant, stranger
):
    client = client_for(genios.tenant, owner)
    page = client.get("/console/exports/").content.decode()
    assert 'href="/console/exports/"' in page  # in the console's nav
    for kind in KINDS:
        assert f'href="/console/exports/{kind}.csv"' in page
        assert f'href="/console/exports/{kind}.xlsx"' in page
    page = client.get(f"/console/exports/?challenge={genios.slug}").content.decode()
    assert f'href="/console/exports/ideas.xlsx?challenge={genios.slug}"' in page
    assert "participants.csv" not in page  # a brand-wide file only
    assert client_for(genios.tenant, moderator).get("/console/exports/").status_code == 403
    assert client_for(genios.tenant, participant).get("/console/exports/").status_code == 404
    assert client_for(genios.tenant, stranger).get("/console/exports/").status_code == 404
    assert client.get("/console/exports/?challenge=nope").status_code == 404
