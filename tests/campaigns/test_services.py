"""Writes on challenges: validation, rounds, the publication lifecycle, the audit trail."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope
from PIL import Image

from accounts.models import AuditEntry
from campaigns import lifecycle, services
from campaigns.models import Campaign, Criterion, Invitation, Prize, Round
from campaigns.services import CampaignError
from tests.campaigns.conftest import MADRID, local_midnight, next_monday

pytestmark = pytest.mark.django_db


def reload(campaign):
    with scope(tenant=campaign.tenant):
        return Campaign.objects.get(pk=campaign.pk)


def rounds_of(campaign):
    with scope(tenant=campaign.tenant):
        return list(Round.objects.filter(campaign=campaign).order_by("index"))


def audit_actions(tenant):
    with scope(tenant=tenant):
        return list(AuditEntry.objects.order_by("created_at").values_list("action", flat=True))


def image_upload(name="cover.png", size=(120, 80), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (255, 98, 0)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- Creating ----------------------------------------------------------------------------


def test_create_makes_a_draft_with_four_weekly_rounds_from_next_monday(ing, owner):
    with scope(tenant=ing):
        campaign = services.campaign_create(tenant=ing, actor=owner, title="Ideas for 2031")
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.slug == "ideas-for-2031"
    start = campaign.starts_at.astimezone(MADRID)
    assert (start.weekday(), start.hour, start.minute) == (0, 0, 0)
    assert start > timezone.now()
    rounds = rounds_of(campaign)
    assert [(r.index, r.kind, r.state) for r in rounds] == [
        (1, "weekly", "scheduled"),
        (2, "weekly", "scheduled"),
        (3, "weekly", "scheduled"),
        (4, "weekly", "scheduled"),
        (5, "grand", "scheduled"),
    ]
    assert audit_actions(ing) == ["membership.grant", "campaign.create"]


def test_the_reference_challenge_is_stored_as_configured(genios):
    with scope(tenant=genios.tenant):
        prizes = list(Prize.objects.filter(campaign=genios).order_by("round_kind"))
        criteria = list(Criterion.objects.filter(campaign=genios).order_by("position"))
    assert [(p.round_kind, p.amount, p.currency) for p in prizes] == [
        ("grand", Decimal("1500.00"), "EUR"),
        ("weekly", Decimal("500.00"), "EUR"),
    ]
    assert [(c.name, c.weight) for c in criteria] == [
        ("Originalidad", 40),
        ("Utilidad", 40),
        ("Claridad", 20),
    ]
    assert genios.text_max_chars == 500
    assert genios.submission_kinds == ["text", "image", "video"]
    assert genios.moderation == "post"
    assert len([r for r in rounds_of(genios) if r.kind == "weekly"]) == 4


def test_slugs_made_from_titles_do_not_collide(ing, owner, make_challenge):
    first = make_challenge(ing, owner, title="Genios del Ahorro")
    second = make_challenge(ing, owner, title="Genios del ahorro")
    assert (first.slug, second.slug) == ("genios-del-ahorro", "genios-del-ahorro-2")


def test_the_same_slug_is_free_in_another_tenant(ing, decathlon, owner, stranger, make_challenge):
    make_challenge(ing, owner, title="Ideas", slug="ideas")
    assert make_challenge(decathlon, stranger, title="Idées", slug="ideas").slug == "ideas"


def test_description_is_sanitised(ing, owner, make_challenge):
    campaign = make_challenge(
        ing,
        owner,
        description='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">'
        'bad</a> <a href="https://ing.es">good</a><img src=x onerror=alert(1)></p>',
    )
    assert "script" not in campaign.description
    assert "onclick" not in campaign.description
    assert "javascript:" not in campaign.description
    assert "<img" not in campaign.description
    assert 'href="https://ing.es"' in campaign.description
    assert 'rel="noopener noreferrer nofollow"' in campaign.description


def test_plain_text_description_becomes_paragraphs(ing, owner, make_challenge):
    campaign = make_challenge(ing, owner, description="Tom & Jerry\nsave\n\nSecond")
    assert campaign.description == "<p>Tom &amp; Jerry<br>save</p>\n\n<p>Second</p>"


# --- Bad input: a clear message per field, nothing written -------------------------------


def assert_refused(field, call, *, code="campaign_invalid"):
    with pytest.raises(CampaignError) as caught:
        call()
    assert field in caught.value.fields, caught.value.fields
    assert caught.value.code == code
    return caught.value.fields[field][0]


def test_end_before_start_is_refused(ing, owner):
    with scope(tenant=ing):
        message = assert_refused(
            "ends_at",
            lambda: services.campaign_create(
                tenant=ing,
                actor=owner,
                title="Backwards",
                starts_at=next_monday(weeks=2),
                ends_at=next_monday(),
            ),
        )
        assert message == "The end must come after the start."
        assert not Campaign.objects.exists()


def test_a_round_longer_than_the_challenge_is_refused(ing, owner):
    with scope(tenant=ing):
        message = assert_refused(
            "cadence_days",
            lambda: services.campaign_create(
                tenant=ing,
                actor=owner,
                title="Short",
                starts_at=next_monday(),
                ends_at=next_monday() + dt.timedelta(days=10),
                cadence="days",
                cadence_days=14,
            ),
        )
        assert "cannot last longer than the challenge" in message
        assert_refused(
            "cadence",
            lambda: services.campaign_create(
                tenant=ing,
                actor=owner,
                title="Short",
                starts_at=next_monday(),
                ends_at=next_monday() + dt.timedelta(days=5),
            ),
        )
        assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("prize", "field", "message"),
    [
        ({"amount": "-500", "currency": "EUR"}, "weekly_prize", "A prize must be more than zero."),
        ({"amount": "0", "currency": "EUR"}, "weekly_prize", "A prize must be more than zero."),
        ({"amount": "abc", "currency": "EUR"}, "weekly_prize", "Enter an amount such as 500"),
        ({"amount": "10.001", "currency": "EUR"}, "weekly_prize", "at most two decimals"),
        (
            {"amount": "500", "currency": "BTC"},
            "currency",
            "Choose a supported currency: EUR, USD, GBP, CHF.",
        ),
    ],
)
def test_bad_prizes_are_refused_and_nothing_is_written(ing, owner, prize, field, message):
    with scope(tenant=ing):
        text = assert_refused(
            field,
            lambda: services.campaign_create(
                tenant=ing, actor=owner, title="Prizes", prizes=[{"round_kind": "weekly", **prize}]
            ),
        )
        assert message in text
        assert not Campaign.objects.exists()
        assert not Prize.objects.exists()


def test_a_slug_already_used_in_the_tenant_is_refused(ing, owner, make_challenge):
    make_challenge(ing, owner, title="Genios", slug="genios")
    with scope(tenant=ing):
        message = assert_refused(
            "slug",
            lambda: services.campaign_create(tenant=ing, actor=owner, title="Other", slug="genios"),
        )
    assert message == "Another challenge of yours already uses this address."


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"allow_text": False, "allow_image": False, "allow_video": False}, "allow_text"),
        ({"text_max_chars": 5}, "text_max_chars"),
        ({"votes_per_round": 0}, "votes_per_round"),
        ({"shortlist_size": 0}, "shortlist_size"),
        (
            {"audience": "employees", "employee_email_domains": "not a domain"},
            "employee_email_domains",
        ),
        ({"cadence": "days"}, "cadence_days"),
        ({"cadence": "hourly"}, "cadence"),
        ({"ends_at": "tomorrow"}, "ends_at"),
    ],
)
def test_bad_settings_name_their_field_and_change_nothing(genios, owner, changes, field):
    before = reload(genios)
    with scope(tenant=genios.tenant):
        assert_refused(
            field, lambda: services.campaign_update(campaign=genios, actor=owner, **changes)
        )
    after = reload(genios)
    assert after.updated_at == before.updated_at
    assert (after.title, after.slug, after.audience) == (before.title, before.slug, before.audience)


def test_a_bad_prize_leaves_the_settings_untouched(genios, owner):
    with scope(tenant=genios.tenant):
        assert_refused(
            "weekly_prize",
            lambda: services.campaign_update(
                campaign=genios,
                actor=owner,
                title="Renamed",
                prizes=[{"round_kind": "weekly", "amount": "-1", "currency": "EUR"}],
            ),
        )
        assert Prize.objects.filter(campaign=genios).count() == 2
    assert reload(genios).title == "Genios del Ahorro"


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ([{"name": "A", "weight": 50}, {"name": "B", "weight": 40}], "add up to 100"),
        ([{"name": "", "weight": 100}], "needs a name"),
        ([{"name": "A", "weight": 100, "scale_min": 5, "scale_max": 5}], "lower to a higher"),
        ([{"name": "A", "weight": "heavy"}], "whole numbers"),
    ],
)
def test_bad_rubrics_are_refused(genios, owner, criteria, message):
    with scope(tenant=genios.tenant):
        text = assert_refused(
            "criteria",
            lambda: services.campaign_update(campaign=genios, actor=owner, criteria=criteria),
        )
        assert message in text
        assert Criterion.objects.filter(campaign=genios).count() == 3


def test_a_weekly_prize_needs_weekly_rounds(genios, owner):
    with scope(tenant=genios.tenant):
        assert_refused(
            "cadence",
            lambda: services.campaign_update(campaign=genios, actor=owner, cadence="single"),
        )
        assert_refused(
            "weekly_prize",
            lambda: services.campaign_update(
                campaign=genios,
                actor=owner,
                cadence="single",
                prizes=[{"round_kind": "weekly", "amount": "5", "currency": "EUR"}],
            ),
        )
        services.campaign_update(
            campaign=genios,
            actor=owner,
            cadence="single",
            prizes=[{"round_kind": "grand", "amount": "5", "currency": "EUR"}],
        )
    assert [(r.index, r.kind) for r in rounds_of(genios)] == [(1, "grand")]


def test_unknown_settings_are_refused(genios, owner):
    with scope(tenant=genios.tenant), pytest.raises(CampaignError) as caught:
        services.campaign_update(campaign=genios, actor=owner, status="open")
    assert caught.value.code == "unknown_setting"


# --- Cover images ------------------------------------------------------------------------


def test_a_cover_is_stored_re_encoded(genios, owner):
    with scope(tenant=genios.tenant):
        campaign = services.campaign_update(campaign=genios, actor=owner, cover=image_upload())
    assert campaign.cover.name.startswith("campaigns/covers/")
    assert campaign.cover.name.endswith(".png")
    with Image.open(campaign.cover.path) as stored:
        assert stored.size == (120, 80)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.jpg", b"<?php system($_GET['c']); ?>", "not an image we can read"),
        ("empty.png", b"", "The file is empty."),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "not an image"),
    ],
)
def test_files_that_are_not_images_are_refused(genios, owner, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    with scope(tenant=genios.tenant):
        text = assert_refused(
            "cover", lambda: services.campaign_update(campaign=genios, actor=owner, cover=upload)
        )
    assert message in text
    assert not reload(genios).cover


def png_bomb(width=30000, height=30000) -> bytes:
    """A small PNG file that claims to hold width by height pixels."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(30000, 30000), (8000, 6000)])
def test_decompression_bombs_are_refused(genios, owner, size):
    upload = SimpleUploadedFile("bomb.png", png_bomb(*size), content_type="image/png")
    with scope(tenant=genios.tenant):
        message = assert_refused(
            "cover", lambda: services.campaign_update(campaign=genios, actor=owner, cover=upload)
        )
    assert message == "The image has too many pixels."
    assert not reload(genios).cover


def test_a_truncated_image_is_refused(genios, owner):
    data = image_upload(fmt="JPEG", size=(400, 400)).read()
    upload = SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")
    with scope(tenant=genios.tenant):
        assert_refused(
            "cover", lambda: services.campaign_update(campaign=genios, actor=owner, cover=upload)
        )


# --- Publishing ----------------------------------------------------------------------------


def test_publish_schedules_a_challenge_that_starts_later(genios, owner):
    with scope(tenant=genios.tenant):
        campaign = services.campaign_publish(campaign=genios, actor=owner)
    assert campaign.status == Campaign.Status.SCHEDULED
    assert campaign.published_at is not None
    assert {r.state for r in rounds_of(campaign)} == {"scheduled"}
    assert audit_actions(genios.tenant)[-1] == "campaign.publish"


def test_publish_opens_a_challenge_whose_start_has_passed(open_genios):
    assert open_genios.status == Campaign.Status.OPEN
    states = {r.index: r.state for r in rounds_of(open_genios)}
    assert states == {1: "open", 2: "scheduled", 3: "scheduled", 4: "scheduled", 5: "open"}


def test_publishing_twice_changes_nothing(genios, owner):
    with scope(tenant=genios.tenant):
        services.campaign_publish(campaign=genios, actor=owner)
        services.campaign_publish(campaign=genios, actor=owner)
    assert audit_actions(genios.tenant).count("campaign.publish") == 1


def test_publish_lists_what_is_missing(ing, owner, make_challenge):
    campaign = make_challenge(ing, owner, title="Bare")
    with scope(tenant=ing), pytest.raises(CampaignError) as caught:
        services.campaign_publish(campaign=campaign, actor=owner)
    assert set(caught.value.fields) == {"pitch", "terms_text"}
    assert reload(campaign).status == Campaign.Status.DRAFT


def test_publish_refuses_a_challenge_whose_first_round_is_over(
    ing, owner, make_challenge, ready_settings
):
    campaign = make_challenge(
        ing,
        owner,
        starts_at=local_midnight(-10),
        ends_at=local_midnight(18),
        **ready_settings(),
    )
    with scope(tenant=ing), pytest.raises(CampaignError) as caught:
        services.campaign_publish(campaign=campaign, actor=owner)
    assert "starts_at" in caught.value.fields


def test_unpublish_before_the_start_returns_to_draft(genios, owner):
    with scope(tenant=genios.tenant):
        services.campaign_publish(campaign=genios, actor=owner)
        campaign = services.campaign_unpublish(campaign=genios, actor=owner, reason="typo")
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.published_at is None


def test_an_open_challenge_cannot_be_unpublished(open_genios, owner):
    with scope(tenant=open_genios.tenant), pytest.raises(CampaignError) as caught:
        services.campaign_unpublish(campaign=open_genios, actor=owner)
    assert caught.value.code == "started"
    assert reload(open_genios).status == Campaign.Status.OPEN


# --- Changing a published challenge ------------------------------------------------------


def test_extending_an_open_challenge_adds_rounds_and_keeps_the_past(open_genios, owner):
    before = rounds_of(open_genios)
    new_end = open_genios.ends_at + dt.timedelta(days=14)
    with scope(tenant=open_genios.tenant):
        services.campaign_update(campaign=open_genios, actor=owner, ends_at=new_end)
    after = rounds_of(open_genios)
    assert [(r.index, r.kind) for r in after] == [(i, "weekly") for i in range(1, 7)] + [
        (7, "grand")
    ]
    assert [r.pk for r in after[:4]] == [r.pk for r in before[:4]]
    assert after[0].starts_at == before[0].starts_at and after[0].state == "open"
    grand = after[-1]
    assert grand.pk == before[-1].pk
    assert grand.ends_at == grand.voting_ends_at == new_end
    assert after[5].ends_at == new_end


def test_a_published_challenge_cannot_be_shortened(open_genios, owner):
    with scope(tenant=open_genios.tenant):
        message = assert_refused(
            "ends_at",
            lambda: services.campaign_update(
                campaign=open_genios,
                actor=owner,
                ends_at=open_genios.ends_at - dt.timedelta(days=7),
            ),
        )
    assert message == "A published challenge can be extended, not shortened."


def test_a_started_challenge_keeps_its_start(open_genios, owner):
    with scope(tenant=open_genios.tenant):
        assert_refused(
            "starts_at",
            lambda: services.campaign_update(
                campaign=open_genios,
                actor=owner,
                starts_at=open_genios.starts_at + dt.timedelta(hours=1),
            ),
        )


def test_a_scheduled_challenge_cannot_start_in_the_past(genios, owner):
    with scope(tenant=genios.tenant):
        services.campaign_publish(campaign=genios, actor=owner)
        message = assert_refused(
            "starts_at",
            lambda: services.campaign_update(
                campaign=genios, actor=owner, starts_at=local_midnight(-2)
            ),
        )
    assert message == "The start cannot move into the past."


def test_moving_a_scheduled_challenge_later_moves_its_rounds(genios, owner):
    with scope(tenant=genios.tenant):
        services.campaign_publish(campaign=genios, actor=owner)
        services.campaign_update(campaign=genios, actor=owner, starts_at=next_monday(weeks=1))
    rounds = rounds_of(genios)
    assert [(r.index, r.kind) for r in rounds] == [
        (1, "weekly"),
        (2, "weekly"),
        (3, "weekly"),
        (4, "grand"),
    ]
    assert rounds[0].starts_at == next_monday(weeks=1)


@pytest.mark.parametrize("field", ["slug", "cadence"])
def test_address_and_cadence_are_fixed_once_published(genios, owner, field):
    value = {"slug": "other", "cadence": "single"}[field]
    with scope(tenant=genios.tenant):
        services.campaign_publish(campaign=genios, actor=owner)
        message = assert_refused(
            field,
            lambda: services.campaign_update(campaign=genios, actor=owner, **{field: value}),
        )
    assert message == "This cannot change once the challenge is published."


def test_new_terms_make_a_new_version_once_published(genios, owner):
    with scope(tenant=genios.tenant):
        services.campaign_update(campaign=genios, actor=owner, terms_text="Draft terms v2")
        assert reload(genios).terms_version == 1
        services.campaign_publish(campaign=genios, actor=owner)
        services.campaign_update(campaign=genios, actor=owner, terms_text="Final terms")
    assert reload(genios).terms_version == 2


def test_drafts_derive_their_rounds_again(genios, owner):
    with scope(tenant=genios.tenant):
        services.campaign_update(campaign=genios, actor=owner, cadence="days", cadence_days=14)
    assert [(r.index, r.kind) for r in rounds_of(genios)] == [
        (1, "weekly"),
        (2, "weekly"),
        (3, "grand"),
    ]


# --- Closing, archiving, duplicating -------------------------------------------------------


def test_close_early_cuts_the_running_round_and_drops_later_ones(open_genios, owner):
    with scope(tenant=open_genios.tenant):
        campaign = services.campaign_close(campaign=open_genios, actor=owner, reason="budget")
    assert campaign.status == Campaign.Status.CLOSED
    rounds = rounds_of(campaign)
    assert [(r.index, r.kind) for r in rounds] == [(1, "weekly"), (2, "grand")]
    assert rounds[0].ends_at == rounds[0].voting_ends_at == campaign.ends_at
    assert rounds[1].ends_at == campaign.ends_at
    assert campaign.ends_at <= timezone.now()
    assert lifecycle.campaign_phase(campaign) == lifecycle.Phase.CLOSED
    with scope(tenant=campaign.tenant):
        entry = AuditEntry.objects.get(action="campaign.close_early")
    assert entry.reason == "budget" and entry.actor == owner


def test_only_an_open_challenge_closes_early(genios, owner):
    with scope(tenant=genios.tenant), pytest.raises(CampaignError) as caught:
        services.campaign_close(campaign=genios, actor=owner)
    assert caught.value.code == "not_open"


def test_a_closed_challenge_no_longer_changes_and_can_be_archived(open_genios, owner):
    with scope(tenant=open_genios.tenant):
        services.campaign_close(campaign=open_genios, actor=owner)
        with pytest.raises(CampaignError):
            services.campaign_update(campaign=open_genios, actor=owner, title="Late")
        campaign = services.campaign_archive(campaign=open_genios, actor=owner)
    assert campaign.status == Campaign.Status.ARCHIVED


def test_duplicate_copies_settings_prizes_and_rubric_into_a_future_draft(open_genios, owner):
    with scope(tenant=open_genios.tenant):
        copy = services.campaign_duplicate(campaign=open_genios, actor=owner)
        prizes = sorted(copy.prizes.values_list("round_kind", "amount"))
        criteria = list(copy.criteria.values_list("name", "weight"))
    assert copy.status == Campaign.Status.DRAFT
    assert copy.slug == "genios-del-ahorro-2"
    assert copy.title == "Genios del Ahorro (copy)"
    assert copy.starts_at > timezone.now()
    original_start = open_genios.starts_at.astimezone(MADRID)
    copy_start = copy.starts_at.astimezone(MADRID)
    assert (copy_start.weekday(), copy_start.time()) == (
        original_start.weekday(),
        original_start.time(),
    )
    assert copy.ends_at - copy.starts_at == open_genios.ends_at - open_genios.starts_at
    assert prizes == [("grand", Decimal("1500.00")), ("weekly", Decimal("500.00"))]
    assert criteria == [("Originalidad", 40), ("Utilidad", 40), ("Claridad", 20)]


# --- The tick ---------------------------------------------------------------------------------


def test_the_tick_opens_then_closes_a_challenge_once(genios, owner):
    with scope(tenant=genios.tenant):
        services.campaign_publish(campaign=genios, actor=owner)
        start, end = genios.starts_at, genios.ends_at
        assert (
            services.campaign_advance(campaign=genios, now=start - dt.timedelta(minutes=1)) is False
        )
        assert services.campaign_advance(campaign=genios, now=start) is True
        assert services.campaign_advance(campaign=genios, now=start) is False
        assert reload(genios).status == Campaign.Status.OPEN
        # Rounds are the round cycle's: the challenge's status alone moved.
        assert {r.state for r in rounds_of(genios)} == {"scheduled"}

        assert services.campaign_advance(campaign=genios, now=end) is True
        assert services.campaign_advance(campaign=genios, now=end) is False
    assert reload(genios).status == Campaign.Status.CLOSED
    actions = audit_actions(genios.tenant)
    assert actions.count("campaign.open") == 1 and actions.count("campaign.closed") == 1


def test_the_tick_leaves_drafts_alone(genios):
    with scope(tenant=genios.tenant):
        assert services.campaign_advance(campaign=genios, now=genios.ends_at) is False
    assert reload(genios).status == Campaign.Status.DRAFT
    assert {r.state for r in rounds_of(genios)} == {"scheduled"}


# --- Invitation links -----------------------------------------------------------------------


def test_invitation_links_are_for_invite_only_challenges(genios, owner):
    with scope(tenant=genios.tenant):
        with pytest.raises(CampaignError):
            services.invitation_create(campaign=genios, actor=owner)
        services.campaign_update(campaign=genios, actor=owner, audience="invite_only")
        campaign = reload(genios)
        invitation = services.invitation_create(campaign=campaign, actor=owner, label="Newsletter")
        assert services.invitation_use(campaign=campaign, token=invitation.token) == invitation
        assert services.invitation_use(campaign=campaign, token="wrong") is None
        services.invitation_revoke(invitation=invitation, actor=owner)
        assert services.invitation_use(campaign=campaign, token=invitation.token) is None
        assert Invitation.objects.get(pk=invitation.pk).uses == 1
    assert len(invitation.token) >= 32


# --- Brand settings --------------------------------------------------------------------------


def test_brand_update_changes_the_tenant_and_is_audited(ing, owner):
    with scope(tenant=ing):
        tenant = services.brand_update(
            tenant=ing,
            actor=owner,
            name="ING España",
            primary_colour="#FF6200",
            time_zone="Atlantic/Canary",
            logo=image_upload("logo.png"),
        )
    assert (tenant.name, tenant.primary_colour, tenant.time_zone) == (
        "ING España",
        "#ff6200",
        "Atlantic/Canary",
    )
    assert tenant.logo.name.startswith("tenants/logos/")
    assert audit_actions(ing)[-1] == "brand.update"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"primary_colour": "orange"}, "primary_colour"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"default_language": "de"}, "default_language"),
    ],
)
def test_bad_brand_settings_are_refused(ing, owner, changes, field):
    with scope(tenant=ing):
        assert_refused(field, lambda: services.brand_update(tenant=ing, actor=owner, **changes))
    assert ing.__class__.objects.get(pk=ing.pk).name == "ING Direct"


def test_custom_domains_go_through_the_tenants_rules(ing, decathlon, owner):
    with scope(tenant=ing):
        domain = services.brand_domain_add(tenant=ing, actor=owner, hostname="Ideas.ING.es")
        assert domain.hostname == "ideas.ing.es"
        assert_refused(
            "hostname",
            lambda: services.brand_domain_add(tenant=ing, actor=owner, hostname="not a host"),
            code="bad_hostname",
        )
        assert_refused(
            "hostname",
            lambda: services.brand_domain_add(
                tenant=ing, actor=owner, hostname="decathlon.localhost"
            ),
            code="hostname_taken",
        )
