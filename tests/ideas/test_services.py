"""Submitting, editing, withdrawing; holds and moderation; flags; merge;
co-authors; comments and who is told — through the services."""

import pytest
from django.db import transaction
from django_scopes import scope

from accounts.models import AuditEntry
from campaigns.models import Campaign
from core.errors import NotAllowed
from ideas import extensions, services
from ideas.models import Coauthor, Comment, Flag, Idea
from notifications.models import Notification
from notifications.selectors import is_following

pytestmark = pytest.mark.django_db


def _events(user, tenant):
    with scope(tenant=tenant):
        return list(
            Notification.objects.filter(recipient=user)
            .order_by("pk")
            .values_list("event", flat=True)
        )


# --- Submitting ---------------------------------------------------------------------------------


def test_a_text_idea_is_published_at_once_under_post_moderation(genios, pat, submit, ing):
    idea = submit(tags="#Compras, hogar , compras")
    assert idea.state == Idea.State.PUBLISHED
    assert idea.kind == Idea.Kind.TEXT
    assert idea.tags == ["compras", "hogar"]
    assert idea.published_at is not None and idea.submitted_at is not None
    with scope(tenant=ing):
        assert idea.round is not None and idea.round.campaign_id == genios.pk
        assert AuditEntry.objects.filter(
            action="idea.submit", target_id=str(idea.public_id)
        ).exists()
        idea.refresh_from_db()
        assert idea.search_vector is not None


def test_pre_moderation_holds_the_idea_pending(ing, make_campaign, pat, submit):
    campaign = make_campaign(ing, slug="pre", title="Pre", moderation=Campaign.Moderation.PRE)
    idea = submit(campaign=campaign)
    assert idea.state == Idea.State.PENDING
    assert idea.hold_reasons == [Idea.Hold.PRE_MODERATION]


def test_a_draft_is_kept_and_submitted_later(genios, pat, submit, ing):
    idea = submit(draft=True, body="")
    assert idea.state == Idea.State.DRAFT and idea.submitted_at is None
    with scope(tenant=ing):
        idea = services.idea_update(idea=idea, actor=pat, body="Now with text.", submit=True)
    assert idea.state == Idea.State.PUBLISHED


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "ab"}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"body": "x" * 501}, "body"),
        ({"body": ""}, "body"),
        ({"tags": "a,b,c,d,e,f"}, "tags"),
        ({"video_url": "https://example.com/video"}, "video_url"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
    ],
)
def test_bad_input_is_refused_with_a_field_message_and_nothing_written(
    genios, pat, submit, ing, values, field
):
    with pytest.raises(services.IdeaError) as refused:
        submit(**values)
    assert field in refused.value.fields
    with scope(tenant=ing):
        assert Idea.objects.count() == 0


def test_titles_bodies_and_comments_lose_direction_changing_characters(sam, submit, ing):
    idea = submit(
        title="\u202eAhorra\u202c en \u2067casa\u2069", body="Cada\u200f euro\u061c cuenta"
    )
    assert idea.title == "Ahorra en casa"
    assert idea.body == "Cada euro cuenta"
    with scope(tenant=ing):
        comment = services.comment_post(idea=idea, author=sam, body="\u202d¡Bien\u202a!\u2066")
    assert comment.body == "¡Bien!"


def test_someone_who_has_not_accepted_the_terms_cannot_submit(genios, participant, ing):
    with scope(tenant=ing), pytest.raises(NotAllowed) as refused:
        services.idea_submit(campaign=genios, author=participant, title="Hola", body="Texto")
    assert refused.value.code == "terms_not_accepted"


def test_submissions_follow_the_lifecycle(ing, make_campaign, pat, submit):
    from tests.campaigns.conftest import next_monday

    upcoming = make_campaign(ing, slug="later", title="Later", starts_at=next_monday())
    with pytest.raises(services.IdeaError) as refused:
        submit(campaign=upcoming)
    assert refused.value.code == "submissions_closed"
    draft = submit(campaign=upcoming, draft=True)  # drafts may be written before it opens
    assert draft.state == Idea.State.DRAFT
    unpublished = make_campaign(ing, slug="draft", title="Draft", publish=False)
    with pytest.raises(services.IdeaError):
        submit(campaign=unpublished, draft=True)


def test_a_text_idea_is_refused_where_the_challenge_wants_media(ing, make_campaign, submit):
    campaign = make_campaign(ing, slug="pics", title="Pics", allow_text=False)
    with pytest.raises(services.IdeaError) as refused:
        submit(campaign=campaign)
    assert "image" in refused.value.fields


def test_a_video_link_is_stored_as_provider_and_id(submit):
    idea = submit(video_url="https://youtu.be/dQw4w9WgXcQ?t=3")
    assert (idea.kind, idea.video_provider, idea.video_ref) == ("video", "youtube", "dQw4w9WgXcQ")


# --- Rules that hold a submission ---------------------------------------------------------------


def test_blocked_words_and_links_hold_a_submission(ing, owner, pat, submit):
    with scope(tenant=ing):
        services.moderation_rules_update(
            tenant=ing,
            actor=owner,
            blocked_words="estafa\ncasino",
            links="hold_unlisted",
            allowed_domains="ing.es",
        )
    assert submit(title="Gana en el CASINO", body="Ok").hold_reasons == [Idea.Hold.BLOCKED_WORD]
    assert submit(title="Nada", body="Una Estáfa total").state == Idea.State.PENDING  # accents
    assert submit(title="Mira", body="Ver http://spam.example.com/x").hold_reasons == ["link"]
    assert submit(title="Mira esto", body="Según www.ing.es/ahorro").state == "published"
    assert submit(title="Casinos", body="No es una palabra entera").state == "published"


def test_only_admins_change_the_rules(ing, moderator):
    with scope(tenant=ing), pytest.raises(NotAllowed):
        services.moderation_rules_update(
            tenant=ing, actor=moderator, blocked_words="", links="allow", allowed_domains=""
        )


def test_bad_domains_are_refused(ing, owner):
    with scope(tenant=ing), pytest.raises(services.IdeaError) as refused:
        services.moderation_rules_update(
            tenant=ing, actor=owner, blocked_words="", links="hold", allowed_domains="not a domain"
        )
    assert "allowed_domains" in refused.value.fields


# --- Editing and withdrawing --------------------------------------------------------------------


def test_the_author_edits_until_the_first_vote(ing, pat, sam, submit):
    idea = submit()
    with scope(tenant=ing):
        with pytest.raises(NotAllowed):
            services.idea_update(idea=idea, actor=sam, title="Not mine")
        idea = services.idea_update(idea=idea, actor=pat, title="Redondeo al euro")
        assert idea.title == "Redondeo al euro"
        Idea.objects.filter(pk=idea.pk).update(vote_count=1)  # what the voting app does
        idea.refresh_from_db()
        with pytest.raises(NotAllowed) as refused:
            services.idea_update(idea=idea, actor=pat, title="Too late")
    assert refused.value.code == "idea_locked"


def test_an_edit_that_adds_a_blocked_word_goes_back_to_review(ing, owner, pat, submit):
    idea = submit()
    with scope(tenant=ing):
        services.moderation_rules_update(
            tenant=ing, actor=owner, blocked_words="estafa", links="allow", allowed_domains=""
        )
        idea = services.idea_update(idea=idea, actor=pat, body="Una estafa")
    assert idea.state == Idea.State.PENDING and idea.hold_reasons == ["blocked_word"]


def test_the_author_withdraws_at_any_time(ing, pat, sam, submit):
    idea = submit()
    with scope(tenant=ing):
        with pytest.raises(NotAllowed):
            services.idea_withdraw(idea=idea, actor=sam)
        Idea.objects.filter(pk=idea.pk).update(vote_count=3)
        idea.refresh_from_db()
        idea = services.idea_withdraw(idea=idea, actor=pat)
        assert idea.state == Idea.State.WITHDRAWN
        assert services.idea_withdraw(idea=idea, actor=pat).state == Idea.State.WITHDRAWN
        assert AuditEntry.objects.filter(action="idea.withdraw").count() == 1


# --- Moderation ---------------------------------------------------------------------------------


def test_a_moderator_approves_hides_and_rejects_in_bulk_and_authors_are_told(
    ing, make_campaign, moderator, pat, sam, submit
):
    campaign = make_campaign(ing, slug="pre", title="Pre", moderation=Campaign.Moderation.PRE)
    first, second, third = (submit(campaign=campaign, title=f"Idea {n}") for n in range(3))
    with scope(tenant=ing):
        result = services.ideas_moderate(ideas=[first, second], actor=moderator, action="approve")
        assert len(result["done"]) == 2
        result = services.ideas_moderate(
            ideas=[first, third], actor=moderator, action="reject", reason="Off topic"
        )
        assert {i.pk for i in result["done"]} == {first.pk, third.pk}
        second = services.ideas_moderate(
            ideas=[second], actor=moderator, action="hide", reason="Spam"
        )["done"][0]
        assert second.state == Idea.State.HIDDEN and second.moderation_reason == "Spam"
        entries = AuditEntry.objects.filter(target_type="ideas.idea", action__startswith="idea.")
        decisions = entries.exclude(action="idea.submit")
        assert decisions.count() == 5
        assert all(e.actor_id == moderator.pk for e in decisions)
        assert set(decisions.values_list("reason", flat=True)) == {"", "Off topic", "Spam"}
    assert _events(pat, ing).count("idea.approved") == 2
    assert _events(pat, ing).count("idea.rejected") == 2
    assert _events(pat, ing).count("idea.hidden") == 1


def test_hiding_or_rejecting_needs_a_reason_and_a_moderator(ing, moderator, juror, pat, submit):
    idea = submit()
    with scope(tenant=ing):
        with pytest.raises(services.IdeaError) as refused:
            services.ideas_moderate(ideas=[idea], actor=moderator, action="hide", reason=" ")
        assert "reason" in refused.value.fields
        with pytest.raises(NotAllowed):
            services.ideas_moderate(ideas=[idea], actor=juror, action="hide", reason="x")
        with pytest.raises(NotAllowed):
            services.ideas_moderate(ideas=[idea], actor=pat, action="approve")
        idea.refresh_from_db()
    assert idea.state == Idea.State.PUBLISHED


def test_flags_hide_an_idea_at_the_challenges_threshold(ing, genios, make_user, consent, submit):
    idea = submit()
    assert genios.flags_to_hide == 3
    people = [consent(make_user(), ing) for _ in range(3)]
    with scope(tenant=ing):
        services.idea_flag(idea=idea, reporter=people[0], reason="spam")
        with pytest.raises(services.IdeaError) as again:
            services.idea_flag(idea=idea, reporter=people[0], reason="spam")
        assert again.value.code == "already_flagged"
        services.idea_flag(idea=idea, reporter=people[1], reason="abuse", note="insults")
        idea.refresh_from_db()
        assert idea.state == Idea.State.PUBLISHED and idea.flag_count == 2
        services.idea_flag(idea=idea, reporter=people[2], reason="off_topic")
        idea.refresh_from_db()
        assert idea.state == Idea.State.HIDDEN and idea.hold_reasons == ["flags"]
        assert AuditEntry.objects.filter(action="idea.auto_hide", actor=None).count() == 1


def test_flag_reasons_and_own_content(ing, pat, sam, submit):
    idea = submit()
    with scope(tenant=ing):
        with pytest.raises(services.IdeaError) as refused:
            services.idea_flag(idea=idea, reporter=sam, reason="because")
        assert "reason" in refused.value.fields
        with pytest.raises(services.IdeaError) as own:
            services.idea_flag(idea=idea, reporter=pat, reason="spam")
        assert own.value.code == "own_content"
        assert Flag.objects.count() == 0


def test_approving_a_flagged_idea_resolves_its_flags(ing, moderator, sam, submit):
    idea = submit()
    with scope(tenant=ing):
        services.idea_flag(idea=idea, reporter=sam, reason="spam")
        services.ideas_moderate(ideas=[idea], actor=moderator, action="approve")
        idea.refresh_from_db()
        assert idea.flag_count == 0
        assert Flag.objects.filter(resolved_at__isnull=True).count() == 0


# --- Merge --------------------------------------------------------------------------------------


def test_merging_a_duplicate_credits_its_author_and_calls_the_voting_hook(
    ing, moderator, pat, sam, submit
):
    keep = submit(title="Redondeo automático")
    duplicate = submit(author=sam, title="Redondear compras")
    calls = []

    def votes_merge(*, duplicate, into):
        calls.append((duplicate.pk, into.pk, transaction.get_connection().in_atomic_block))
        into.vote_count += 7
        into.save(update_fields=["vote_count"])

    extensions.register_merge_handler(votes_merge)
    try:
        with scope(tenant=ing):
            services.comment_post(idea=duplicate, author=pat, body="¡Buena!")
            services.idea_merge(duplicate=duplicate, into=keep, actor=moderator, reason="Same")
            duplicate.refresh_from_db()
            keep.refresh_from_db()
            assert duplicate.state == Idea.State.MERGED and duplicate.merged_into_id == keep.pk
            assert keep.vote_count == 7 and keep.comment_count == 1
            coauthor = Coauthor.objects.get(idea=keep)
            assert coauthor.user_id == sam.pk and coauthor.via_merge
            assert AuditEntry.objects.filter(action="idea.merge").count() == 2
            with pytest.raises(services.IdeaError):
                services.idea_merge(duplicate=duplicate, into=keep, actor=moderator)
    finally:
        extensions.unregister_merge_handler(votes_merge)
    assert calls == [(duplicate.pk, keep.pk, True)]
    assert "idea.merged" in _events(sam, ing)


def test_a_failing_merge_hook_leaves_both_ideas_as_they_were(ing, moderator, pat, sam, submit):
    keep, duplicate = submit(title="Uno"), submit(author=sam, title="Dos")

    def refuse(*, duplicate, into):
        raise services.IdeaError("votes could not move")

    extensions.register_merge_handler(refuse)
    try:
        with scope(tenant=ing), pytest.raises(services.IdeaError):
            services.idea_merge(duplicate=duplicate, into=keep, actor=moderator)
    finally:
        extensions.unregister_merge_handler(refuse)
    with scope(tenant=ing):
        duplicate.refresh_from_db()
        assert duplicate.state == Idea.State.PUBLISHED
        assert Coauthor.objects.count() == 0


def test_merge_needs_the_same_challenge(ing, make_campaign, moderator, sam, submit):
    other = make_campaign(ing, slug="other", title="Other")
    with scope(tenant=ing), pytest.raises(services.IdeaError) as refused:
        services.idea_merge(
            duplicate=submit(author=sam), into=submit(campaign=other), actor=moderator
        )
    assert refused.value.code == "merge_campaign"


# --- Co-authors ---------------------------------------------------------------------------------


def test_an_author_invites_a_coauthor_by_link(ing, pat, sam, submit):
    idea = submit()
    with scope(tenant=ing):
        with pytest.raises(NotAllowed):
            services.coauthor_invite(idea=idea, actor=sam)
        invitation = services.coauthor_invite(idea=idea, actor=pat)
        with pytest.raises(services.IdeaError):
            services.coauthor_accept(invitation=invitation, user=pat)
        services.coauthor_accept(invitation=invitation, user=sam)
        invitation.refresh_from_db()
        assert invitation.status == Coauthor.Status.ACCEPTED and invitation.user_id == sam.pk
        with pytest.raises(services.IdeaError):
            services.coauthor_accept(invitation=invitation, user=sam)


def test_following_needs_the_terms_accepted(submit, make_user, consent, ing):
    idea = submit()
    newcomer = make_user("lee@example.com", display_name="Lee")
    with scope(tenant=ing), pytest.raises(NotAllowed) as refused:
        services.idea_follow(idea=idea, user=newcomer)
    assert refused.value.code == "terms_not_accepted"
    with scope(tenant=ing):
        assert not is_following(
            tenant=ing, user=newcomer, target_type="idea", target_id=idea.public_id
        )
        services.idea_follow(idea=idea, user=consent(newcomer, ing))
        assert is_following(tenant=ing, user=newcomer, target_type="idea", target_id=idea.public_id)


# --- Comments -----------------------------------------------------------------------------------


def test_comments_notify_the_author_the_person_answered_and_followers(
    ing, make_user, consent, pat, sam, submit
):
    idea = submit()
    follower = consent(make_user("fan@example.com", display_name="Fan"), ing)
    with scope(tenant=ing):
        services.idea_follow(idea=idea, user=follower)
        first = services.comment_post(idea=idea, author=sam, body="¿Y con tarjeta?")
        assert first.state == Comment.State.PUBLISHED
        reply = services.comment_post(idea=idea, author=pat, body="Sí.", parent=first)
        deeper = services.comment_post(idea=idea, author=follower, body="Yo también", parent=reply)
        assert deeper.parent_id == first.pk  # one level of replies
        idea.refresh_from_db()
        assert idea.comment_count == 3
    assert _events(pat, ing).count("comment.on_my_idea") == 2
    assert "comment.reply" in _events(sam, ing)
    assert _events(follower, ing).count("comment.on_followed_idea") == 2


def test_comments_are_moderated_like_ideas(ing, make_campaign, moderator, pat, sam, submit):
    campaign = make_campaign(ing, slug="pre", title="Pre", moderation=Campaign.Moderation.PRE)
    idea = submit(campaign=campaign)
    with scope(tenant=ing):
        services.ideas_moderate(ideas=[idea], actor=moderator, action="approve")
        idea.refresh_from_db()
        comment = services.comment_post(idea=idea, author=sam, body="Genial")
        assert comment.state == Comment.State.PENDING
        assert "comment.on_my_idea" not in _events(pat, ing)
        services.comments_moderate(comments=[comment], actor=moderator, action="approve")
        idea.refresh_from_db()
        assert idea.comment_count == 1
        assert "comment.on_my_idea" in _events(pat, ing)
        services.comments_moderate(comments=[comment], actor=moderator, action="hide", reason="No")
        idea.refresh_from_db()
        assert idea.comment_count == 0
        assert AuditEntry.objects.filter(target_type="ideas.comment").count() == 2


def test_bad_comments_are_refused(ing, pat, sam, submit, participant):
    idea = submit()
    with scope(tenant=ing):
        for body in ("", "   ", "x" * 2001):
            with pytest.raises(services.IdeaError):
                services.comment_post(idea=idea, author=sam, body=body)
        services.idea_withdraw(idea=idea, actor=pat)
        idea.refresh_from_db()
        with pytest.raises(services.IdeaError):
            services.comment_post(idea=idea, author=sam, body="Hola")
        assert Comment.objects.count() == 0


def test_comment_flags_hide_at_the_threshold(ing, make_user, consent, pat, submit):
    idea = submit()
    with scope(tenant=ing):
        comment = services.comment_post(idea=idea, author=pat, body="Compra aquí: oferta")
        for _n in range(3):
            services.comment_flag(
                comment=comment, reporter=consent(make_user(), ing), reason="spam"
            )
        comment.refresh_from_db()
        idea.refresh_from_db()
    assert comment.state == Comment.State.HIDDEN and idea.comment_count == 0


# --- Trending -----------------------------------------------------------------------------------


def test_trending_refresh_orders_recent_activity_first(ing, pat, submit):
    old, fresh = submit(title="Antigua"), submit(title="Reciente")
    with scope(tenant=ing):
        from django.utils import timezone

        Idea.objects.filter(pk=old.pk).update(
            published_at=timezone.now() - timezone.timedelta(days=3), vote_count=5
        )
        Idea.objects.filter(pk=fresh.pk).update(vote_count=2)
        assert services.trending_refresh(tenant=ing) == 2
        old.refresh_from_db()
        fresh.refresh_from_db()
    assert fresh.trending_score > old.trending_score > 0
