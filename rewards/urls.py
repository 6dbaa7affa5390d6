"""Rewards' URLs, mounted by config/urls.py: `public_urls` at the root of a
tenant's host (namespace "rewards"), `console_urls` inside the console
(namespace "console"), `api_urls` inside /api/v1/ (namespace "api")."""

from django.urls import path

from rewards import api
from rewards.views import console, public

public_urls = [
    path("challenges/<slug:slug>/winners/", public.winners, name="winners"),
    path("challenges/<slug:slug>/winners/card.jpg", public.winners_card, name="winners_card"),
    path("challenges/<slug:slug>/leaderboard/", public.campaign_leaderboard, name="leaderboard"),
    path("leaderboard/", public.tenant_leaderboard, name="tenant_leaderboard"),
    path("me/payouts/", public.my_payouts, name="my_payouts"),
]

console_urls = [
    path("payouts/", console.payouts, name="payouts"),
    path("payouts/approve/", console.approve, name="payouts_approve"),
    path("payouts/export/", console.export, name="payouts_export"),
    path("payouts/settings/", console.payout_settings, name="payout_settings"),
    path("payouts/books/", console.books, name="payout_books"),
    path("payouts/batches/<uuid:public_id>/", console.batch, name="payout_batch"),
    path(
        "payouts/batches/<uuid:public_id>/file/", console.batch_download, name="payout_batch_file"
    ),
    path("payouts/batches/<uuid:public_id>/paid/", console.batch_paid, name="payout_batch_paid"),
    path("payouts/<uuid:public_id>/fail/", console.payout_fail, name="payout_fail"),
    path("payouts/<uuid:public_id>/cancel/", console.payout_cancel, name="payout_cancel"),
    path("awards/<uuid:public_id>/", console.award, name="award"),
]

api_urls = [
    path("challenges/<slug:slug>/winners", api.WinnersView.as_view(), name="challenge-winners"),
    path(
        "challenges/<slug:slug>/leaderboard",
        api.LeaderboardView.as_view(),
        name="challenge-leaderboard",
    ),
    path("leaderboard", api.LeaderboardView.as_view(), name="tenant-leaderboard"),
    path("me/payouts", api.MyPayoutsView.as_view(), name="my-payouts"),
    path("me/payout-details", api.MyPayoutDetailsView.as_view(), name="my-payout-details"),
    path("console/payouts", api.ConsolePayoutsView.as_view(), name="console-payouts"),
    path("console/payouts/approve", api.ApproveView.as_view(), name="console-payouts-approve"),
    path(
        "console/payouts/<uuid:public_id>/fail", api.FailView.as_view(), name="console-payout-fail"
    ),
    path(
        "console/payouts/<uuid:public_id>/cancel",
        api.CancelView.as_view(),
        name="console-payout-cancel",
    ),
    path("console/payout-batches", api.BatchesView.as_view(), name="console-payout-batches"),
    path(
        "console/payout-batches/<uuid:public_id>/file",
        api.BatchFileView.as_view(),
        name="console-payout-batch-file",
    ),
    path(
        "console/payout-batches/<uuid:public_id>/paid",
        api.BatchPaidView.as_view(),
        name="console-payout-batch-paid",
    ),
    path("console/payout-settings", api.SettingsView.as_view(), name="console-payout-settings"),
    path("console/challenges/<slug:slug>/books", api.BooksView.as_view(), name="console-books"),
    path("console/awards/<uuid:public_id>/split", api.SplitView.as_view(), name="console-split"),
]
