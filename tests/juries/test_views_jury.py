"""The jurors' pages under /jury/: who gets in (personas, another tenant,
another challenge's jury), scoring with autosave, submitting, conflicts of
interest, and the chair's aggregate and decision."""

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scope

from accounts import services as account_services
from accounts.models import Membership
from campaigns.models import Campaign, Round
from ideas.models import Idea
from juries import services
from juries.models import (
    Assignment,
    Decision,
    JuryMember,
    RoundCriterion,
    Score,
    Shortlist,
    ShortlistEntry,
)

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_my_rounds_with_progress_and_deadline(
    client_for, ing, scored_round, chair, score
):
    result, ideas = scored_round
    score(result.assignment(chair, ideas[0]), chair, [5, 5, 5])
    page = client_for(ing, chair).get("/jury/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Genios del Ahorro · Week 1" in html
    assert f"/jury/rounds/{result.round.public_id}/" in html
    assert '<progress max="3" value="1"' in html
    assert "1 of 3 ideas done" in html
    assert "Deadline:" in html


def test_the_jury_speaks_spanish_on_ings_site(client_for, ing, scored_round, chair):
    result, ideas = scored_round
    client = client_for(ing, chair, language="es")
    home = client.get("/jury/").content.decode()
    assert "0 de 3 ideas hechas" in home
    page = client.get(f"/jury/assignments/{result.assignment(chair, ideas[0]).public_id}/")
    html = page.content.decode()
    assert "Enviar mis puntuaciones" in html
    assert "Declarar un conflicto de intereses" in html
    assert (
        "Cómo se calcula el resultado"
        in client.get(f"/jury/rounds/{result.round.public_id}/").content.decode()
    )


def test_a_juror_without_a_seat_sees_an_empty_dashboard(client_for, ing, juror):
    page = client_for(ing, juror).get("/jury/")
    assert page.status_code == 200
    assert "Nothing to score yet" in page.content.decode()


def test_the_header_shows_jurors_the_way_to_their_dashboard(client_for, ing, juror, moderator):
    assert 'href="/jury/"' in client_for(ing, juror).get("/").content.decode()
    assert 'href="/jury/"' not in client_for(ing, moderator).get("/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client_for, ing, scored_round):
    result, _ideas = scored_round
    for path in ("/jury/", f"/jury/rounds/{result.round.public_id}/"):
        response = client_for(ing).get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def pages_of(result, juror):
    assignment = result.assignments(juror)[0]
    return [
        ("get", f"/jury/rounds/{result.round.public_id}/"),
        ("get", f"/jury/rounds/{result.round.public_id}/scores.csv"),
        ("post", f"/jury/rounds/{result.round.public_id}/decision/"),
        ("get", f"/jury/assignments/{assignment.public_id}/"),
        ("post", f"/jury/assignments/{assignment.public_id}/save/"),
        ("post", f"/jury/assignments/{assignment.public_id}/submit/"),
        ("post", f"/jury/assignments/{assignment.public_id}/recuse/"),
    ]


@pytest.mark.parametrize("persona", ["participant", "stranger", "moderator", "owner"])
def test_people_not_on_this_jury_get_404(request, client_for, ing, scored_round, chair, persona):
    result, _ideas = scored_round
    client = client_for(ing, request.getfixturevalue(persona))
    for method, path in pages_of(result, chair):
        assert getattr(client, method)(path).status_code == 404, path


def test_a_juror_of_another_tenant_gets_404(
    client_for, ing, decathlon, scored_round, chair, make_member
):
    result, _ideas = scored_round
    theirs = make_member(decathlon, Membership.Role.JUROR, "juror@decathlon.example")
    client = client_for(ing, theirs)
    for method, path in pages_of(result, chair):
        assert getattr(client, method)(path).status_code == 404, path
    # Nor on their own host, with this tenant's ids.
    client = client_for(decathlon, theirs)
    for method, path in pages_of(result, chair):
        assert getattr(client, method)(path).status_code == 404, path


def test_a_juror_of_another_challenge_of_the_same_tenant_gets_404(
    client_for, ing, scored_round, chair, make_challenge, make_member, seat
):
    result, _ideas = scored_round
    other = make_challenge(slug="otro-reto", title="Otro reto")
    other_juror = make_member(ing, Membership.Role.JUROR, "otro@ing.example")
    seat(other, other_juror, JuryMember.Role.CHAIR)
    client = client_for(ing, other_juror)
    assert client.get("/jury/").status_code == 200
    for method, path in pages_of(result, chair):
        assert getattr(client, method)(path).status_code == 404, path


def test_a_fellow_juror_cannot_open_my_assignment(client_for, ing, scored_round, chair, jorge):
    result, _ideas = scored_round
    mine = result.assignments(chair)[0]
    client = client_for(ing, jorge)
    assert client.get(f"/jury/assignments/{mine.public_id}/").status_code == 404
    assert client.post(f"/jury/assignments/{mine.public_id}/save/").status_code == 404


def test_someone_taken_off_the_team_loses_the_jury(client_for, ing, owner, scored_round, jorge):
    result, _ideas = scored_round
    with scope(tenant=ing):
        membership = Membership.objects.get(tenant=ing, user=jorge)
        account_services.membership_remove(membership=membership, actor=owner)
    client = client_for(ing, jorge)
    assert client.get("/jury/").status_code == 404
    assert client.get(f"/jury/rounds/{result.round.public_id}/").status_code == 404


def test_the_scoring_page_shows_the_idea_rubric_and_keyboard_help(
    client_for, ing, scored_round, chair
):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[1])
    page = client_for(ing, chair).get(f"/jury/assignments/{assignment.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 id="idea-title">Idea B</h1>' in html
    assert ideas[1].body in html
    for criterion in result.criteria():
        assert f'name="score-{criterion.public_id}"' in html
        assert f"{criterion.name} <span" in html
    assert html.count('type="radio"') == 30  # three criteria, 1 to 10
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "Idea 2 of 3" in html
    assert "juries/js/jury.js" in html
    assert "<script>" not in html  # strict CSP: no inline script
    assert 'hx-post="/jury/assignments/' in html


def form_values(result, values, note=None):
    data = {f"score-{c.public_id}": v for c, v in zip(result.criteria(), values, strict=True)}
    if note is not None:
        data["note"] = note
    return data


def test_autosave_through_htmx_answers_the_status_line(client_for, ing, scored_round, chair):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    client = client_for(ing, chair)
    url = f"/jury/assignments/{assignment.public_id}/save/"
    data = form_values(result, [8, "", ""], note="Buena")
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "1 of 3 criteria scored" in response.content.decode()
    with scope(tenant=ing):
        assert list(Score.objects.values_list("value", flat=True)) == [8]
        assignment.refresh_from_db()
        assert assignment.note == "Buena"

    bad = client.post(url, form_values(result, [11, 3, 3]), HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    assert "choose a score from 1 to 10" in bad.content.decode()
    with scope(tenant=ing):
        assert list(Score.objects.values_list("value", flat=True)) == [8]


def test_the_save_button_works_without_javascript(client_for, ing, scored_round, chair):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    response = client_for(ing, chair).post(
        f"/jury/assignments/{assignment.public_id}/save/", form_values(result, [3, 4, 5])
    )
    assert response.status_code == 302
    assert response["Location"] == f"/jury/assignments/{assignment.public_id}/"


def test_submitting_goes_to_the_next_idea_to_score(client_for, ing, scored_round, chair):
    result, ideas = scored_round
    first, second = result.assignment(chair, ideas[0]), result.assignment(chair, ideas[1])
    client = client_for(ing, chair)
    response = client.post(
        f"/jury/assignments/{first.public_id}/submit/", form_values(result, [9, 8, 7])
    )
    assert response.status_code == 302
    assert response["Location"] == f"/jury/assignments/{second.public_id}/"
    with scope(tenant=ing):
        first.refresh_from_db()
    assert first.state == Assignment.State.SUBMITTED


def test_submitting_with_a_criterion_missing_says_which(client_for, ing, scored_round, chair):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    response = client_for(ing, chair).post(
        f"/jury/assignments/{assignment.public_id}/submit/", form_values(result, [9, 8, ""])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Score every criterion before submitting (missing: Claridad)." in html
    assert 'value="9" checked' in html  # what was sent is kept
    with scope(tenant=ing):
        assignment.refresh_from_db()
        assert assignment.state == Assignment.State.PENDING
        assert Score.objects.count() == 2  # the scores given are saved


def test_the_last_submission_leads_back_to_the_round(client_for, ing, scored_round, chair, score):
    result, ideas = scored_round
    for idea in ideas[:2]:
        score(result.assignment(chair, idea), chair, [5, 5, 5])
    last = result.assignment(chair, ideas[2])
    response = client_for(ing, chair).post(
        f"/jury/assignments/{last.public_id}/submit/", form_values(result, [5, 5, 5])
    )
    assert response["Location"] == f"/jury/rounds/{result.round.public_id}/"


def test_a_conflict_of_interest_from_the_page(client_for, ing, scored_round, chair):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    client = client_for(ing, chair)
    url = f"/jury/assignments/{assignment.public_id}/recuse/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Write the reason." in refused.content.decode()
    assert client.post(url, {"reason": "It is my sister's idea"}).status_code == 302
    with scope(tenant=ing):
        assignment.refresh_from_db()
    assert assignment.state == Assignment.State.RECUSED
    page = client.get(f"/jury/assignments/{assignment.public_id}/").content.decode()
    assert "You declared a conflict of interest: It is my sister&#x27;s idea" in page


def test_jurors_see_each_others_scores_only_after_submitting_theirs(
    client_for, ing, scored_round, chair, jorge, score
):
    result, ideas = scored_round
    score(result.assignment(jorge, ideas[0]), jorge, [10, 10, 10])
    mine = result.assignment(chair, ideas[0])
    client = client_for(ing, chair)
    before = client.get(f"/jury/assignments/{mine.public_id}/").content.decode()
    assert "The other jurors' scores" not in before
    assert "100.0" not in before
    score(mine, chair, [1, 1, 1])
    after = client.get(f"/jury/assignments/{mine.public_id}/").content.decode()
    assert "The other jurors' scores" in after
    assert "Jorge: <strong>100.0</strong>" in after


def test_the_chair_sees_progress_but_no_aggregate_before_scoring(
    client_for, ing, scored_round, chair, jorge
):
    result, _ideas = scored_round
    chair_page = client_for(ing, chair).get(f"/jury/rounds/{result.round.public_id}/")
    html = chair_page.content.decode()
    assert "The jury's progress" in html
    assert "Jorge" in html
    assert "Aggregate" not in html
    assert "How the aggregate is computed" in html  # the rules, for everyone
    member_page = client_for(ing, jorge).get(f"/jury/rounds/{result.round.public_id}/")
    assert "The jury's progress" not in member_page.content.decode()


def test_the_chair_confirms_the_winner_from_the_round_page(client_for, ing, all_scored, chair):
    result, (_a, b, _c) = all_scored
    client = client_for(ing, chair)
    page = client.get(f"/jury/rounds/{result.round.public_id}/").content.decode()
    assert "Aggregate" in page
    assert "Confirm the proposal" in page
    assert "80.0" in page  # Idea B's mean
    response = client.post(
        f"/jury/rounds/{result.round.public_id}/decision/", {"action": "confirm"}
    )
    assert response.status_code == 302
    with scope(tenant=ing):
        decision = Decision.objects.get()
        assert [w.idea_id for w in decision.winners.all()] == [b.pk]
    page = client.get(f"/jury/rounds/{result.round.public_id}/").content.decode()
    assert "Confirmed the aggregate&#x27;s proposal" in page


def test_an_override_without_a_reason_is_refused_on_the_page(client_for, ing, all_scored, chair):
    result, _ideas = all_scored
    with scope(tenant=ing):
        entry = result.shortlist.entries.order_by("pk").first()
    response = client_for(ing, chair).post(
        f"/jury/rounds/{result.round.public_id}/decision/",
        {"action": "override", "winner-1": str(entry.public_id), "reason": ""},
    )
    assert response.status_code == 400
    assert "Write the reason." in response.content.decode()
    with scope(tenant=ing):
        assert not Decision.objects.exists()


def test_a_member_cannot_decide(client_for, ing, all_scored, jorge):
    result, _ideas = all_scored
    response = client_for(ing, jorge).post(
        f"/jury/rounds/{result.round.public_id}/decision/", {"action": "confirm"}
    )
    assert response.status_code == 403
    assert "Only the jury&#x27;s chair decides." in response.content.decode()


def test_scores_export_waits_until_my_own_are_in(client_for, ing, scored_round, chair, score):
    result, ideas = scored_round
    client = client_for(ing, chair)
    url = f"/jury/rounds/{result.round.public_id}/scores.csv"
    assert client.get(url).status_code == 404
    for idea in ideas:
        score(result.assignment(chair, idea), chair, [6, 6, 6])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "Idea A" in response.getvalue().decode()


def test_the_jury_pages_cost_the_same_number_of_queries_with_more_ideas(
    client_for, ing, moderator, owner, genios, jury, chair, jorge, make_idea, vote, review, score
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        vote(make_idea(title=f"Idea {n}"), 6 - n)
    spare = [make_idea(title=f"Spare {n}") for n in range(4)]
    result = review()
    chair_client, jorge_client, owner_client = (
        client_for(ing, chair),
        client_for(ing, jorge),
        client_for(ing, owner),
    )
    campaign = result.round.campaign

    def costs():
        for assignment in result.assignments(chair):
            if assignment.state == "pending":
                score(assignment, chair, [5, 6, 7])
        paths = [
            (chair_client, "/jury/"),
            (chair_client, f"/jury/rounds/{result.round.public_id}/"),  # with the aggregate
            (jorge_client, f"/jury/rounds/{result.round.public_id}/"),
            (jorge_client, f"/jury/assignments/{result.assignments(jorge)[-1].public_id}/"),
            (owner_client, f"/console/challenges/{campaign.slug}/jury/"),
            (
                owner_client,
                f"/console/challenges/{campaign.slug}/jury/rounds/{result.round.public_id}/",
            ),
        ]
        counts = []
        for client, path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200, path
            counts.append(len(queries))
        return counts

    before = costs()
    with scope(tenant=ing):
        for idea in spare:
            services.shortlist_add_wildcard(
                round=result.round, idea=idea, actor=moderator, reason="One more"
            )
    after = costs()
    assert len(result.assignments(jorge)) == 7
    assert after == before, (before, after)


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_ids_are_404(client_for, ing, chair, bad, scored_round):
    client = client_for(ing, chair)
    assert client.get(f"/jury/rounds/{bad}/").status_code == 404
    assert client.get(f"/jury/assignments/{bad}/").status_code == 404


def test_a_decided_round_cannot_be_scored_any_more(client_for, ing, all_scored, chair, jorge):
    result, ideas = all_scored
    with scope(tenant=ing):
        services.decision_confirm(round=result.round, actor=chair)
    assignment = result.assignment(jorge, ideas[0])
    client = client_for(ing, jorge)
    page = client.get(f"/jury/assignments/{assignment.public_id}/").content.decode()
    assert "Submit my scores" not in page
    response = client.post(
        f"/jury/assignments/{assignment.public_id}/recuse/", {"reason": "Too late"}
    )
    assert response.status_code == 400
    assert "The jury of this round has decided." in response.content.decode()


@pytest.fixture
def large_round(genios, jury, chair, jorge, elena, seat, make_member, make_person):
    """`make(ideas)`: round 1 under review with a shortlist of that many ideas,
    each scored by five jurors (the chair, jorge, elena and two more). The rows
    are written directly, as benchmarks/bench_jury.py does: a hundred ideas
    scored through the services would take minutes, and the page's reads are
    what is measured here."""

    def make(count):
        ing = genios.tenant
        with scope(tenant=ing):
            Campaign.objects.filter(pk=genios.pk).update(jury_size=5)
        more = [make_member(ing, Membership.Role.JUROR, f"juror{n}@ing.example") for n in (4, 5)]
        for user in more:
            seat(genios, user)
        jurors = [chair, jorge, elena, *more]
        author = make_person()
        now = timezone.now()
        with scope(tenant=ing):
            round_ = Round.objects.get(campaign=genios, index=1)
            ideas = Idea.objects.bulk_create(
                Idea(
                    tenant=ing,
                    campaign=genios,
                    round=round_,
                    author=author,
                    title=f"Idea {n}",
                    body="Save a little every week.",
                    state="published",
                    published_at=now,
                    submitted_at=now - dt.timedelta(minutes=n),
                )
                for n in range(count)
            )
            shortlist = Shortlist.objects.create(
                tenant=ing, round=round_, jury=jury, size=count, deadline=now + dt.timedelta(days=3)
            )
            criteria = RoundCriterion.objects.bulk_create(
                RoundCriterion(
                    tenant=ing,
                    shortlist=shortlist,
                    position=i,
                    name=c.name,
                    weight=c.weight,
                    scale_min=c.scale_min,
                    scale_max=c.scale_max,
                )
                for i, c in enumerate(genios.criteria.order_by("position"))
            )
            entries = ShortlistEntry.objects.bulk_create(
                ShortlistEntry(
                    tenant=ing,
                    shortlist=shortlist,
                    idea=idea,
                    source="ranking",
                    ranking_rank=n + 1,
                    round_votes=count - n,
                )
                for n, idea in enumerate(ideas)
            )
            assignments = Assignment.objects.bulk_create(
                Assignment(
                    tenant=ing,
                    round=round_,
                    entry=entry,
                    idea_id=entry.idea_id,
                    juror=juror,
                    position=n + 1,
                    state="submitted",
                    submitted_at=now,
                )
                for juror in jurors
                for n, entry in enumerate(entries)
            )
            Score.objects.bulk_create(
                Score(tenant=ing, assignment=a, criterion=c, value=1 + (a.pk + c.pk) % 10)
                for a in assignments
                for c in criteria
            )
            Round.objects.filter(pk=round_.pk).update(state="in_review")
        return round_

    return make


@pytest.mark.parametrize("ideas", [10, 100])
def test_the_chair_s_page_costs_at_most_twelve_queries_with_10_or_100_ideas(
    client_for, ing, chair, large_round, ideas, django_assert_max_num_queries
):
    round_ = large_round(ideas)
    client = client_for(ing, chair)
    url = f"/jury/rounds/{round_.public_id}/"
    client.get(url)  # the session and the caches are warm, as for a person reading along
    with django_assert_max_num_queries(12):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('name="action" value="confirm"') == 1  # the aggregate, ready to decide
    assert f"Idea {ideas - 1}" in html  # the whole shortlist in the aggregate
