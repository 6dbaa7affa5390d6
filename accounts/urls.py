"""URLs of the accounts app, included by config/urls.py (tenant hosts) and
config/urls_platform.py (the sign-in host)."""

from django.urls import path, re_path

from accounts import api
from accounts.views import api_keys, console, embed, public, signin

# Tenant hosts: the social sign-in buttons. They shadow allauth's provider login
# URLs so every button, allauth's own pages included, goes through the sign-in
# host (see accounts.signin); they must come before allauth's URLs.
signin_buttons = [
    re_path(r"^accounts/oidc/(?P<provider_id>[a-z0-9-]+)/login/$", signin.start),
    re_path(r"^accounts/(?P<provider>google|facebook|twitter_oauth2|dummy)/login/$", signin.start),
]

public_urls = [
    path("signin/complete/", signin.complete, name="signin_complete"),
    path("signin/failed/", signin.failed, name="signin_failed"),
    path("terms/", public.terms, name="terms"),
    path("consent/", public.consent, name="consent"),
    path("consent/accept/", public.consent_accept, name="consent_accept"),
    path("continue/", public.intent_continue, name="intent_continue"),
    path("me/", public.profile, name="profile"),
    path("me/data.json", public.data_export, name="data_export"),
    path("me/delete/", public.account_delete, name="account_delete"),
    path("team/invitations/<str:token>/", public.invitation, name="invitation"),
    path("embed/signin/", embed.signin, name="embed_signin"),
    path("embed/signin/done/", embed.signin_done, name="embed_signin_done"),
    path("embed/session/", embed.session, name="embed_session"),
]

console_urls = [
    path("team/", console.team, name="team"),
    path("team/invite/", console.invite, name="invite"),
    path(
        "team/invitations/<uuid:public_id>/withdraw/",
        console.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("team/<uuid:public_id>/", console.member_detail, name="member"),
    path("team/<uuid:public_id>/role/", console.member_role, name="member_role"),
    path("team/<uuid:public_id>/remove/", console.member_remove, name="member_remove"),
    path("sign-in/", console.signin_settings, name="signin"),
    path("sign-in/policy/", console.signin_policy, name="signin_policy"),
    path(
        "sign-in/<slug:provider>/",
        console.signin_credential,
        name="signin_credential",
    ),
    path("terms/", console.terms, name="terms"),
    path("api-keys/", api_keys.api_keys, name="api_keys"),
    path("api-keys/<uuid:public_id>/revoke/", api_keys.api_key_revoke, name="api_key_revoke"),
    path("people/", console.people, name="people"),
    path("people/news-contacts.csv", console.marketing_export, name="marketing_export"),
    path("people/<uuid:public_id>/", console.person_detail, name="person"),
    path("people/<uuid:public_id>/data.json", console.person_export, name="person_export"),
    path("people/<uuid:public_id>/erase/", console.person_erase, name="person_erase"),
]

api_urls = [
    path("me", api.MeView.as_view(), name="me"),
    path("me/token", api.TokenView.as_view(), name="me-token"),
    path("me/consent", api.ConsentView.as_view(), name="me-consent"),
    path("me/export", api.ExportView.as_view(), name="me-export"),
    path("me/delete", api.DeleteAccountView.as_view(), name="me-delete"),
    path("console/team", api.TeamListView.as_view(), name="team-list"),
    path("console/api-keys", api.BrandApiKeyListView.as_view(), name="api-key-list"),
    path("console/api-keys/<uuid:public_id>", api.BrandApiKeyView.as_view(), name="api-key"),
    path("console/team/invitations", api.InvitationListView.as_view(), name="invitation-list"),
    path(
        "console/team/invitations/<uuid:public_id>",
        api.InvitationView.as_view(),
        name="invitation",
    ),
    path("console/team/<uuid:public_id>", api.TeamMemberView.as_view(), name="team-member"),
    path("console/people", api.PeopleListView.as_view(), name="people-list"),
    path("console/people/<uuid:public_id>", api.PersonView.as_view(), name="person"),
    path(
        "console/people/<uuid:public_id>/export",
        api.PersonExportView.as_view(),
        name="person-export",
    ),
    path(
        "console/people/<uuid:public_id>/erase", api.PersonEraseView.as_view(), name="person-erase"
    ),
]

# The sign-in host (PLATFORM_DOMAIN).
platform_urls = [
    path("signin/start/", signin.platform_start, name="signin_platform_start"),
    path("signin/handoff/", signin.handoff, name="signin_handoff"),
]
