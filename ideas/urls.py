"""The ideas' URLs, mounted by config/urls.py: `public_urls` at the root of a
tenant's host (namespace "ideas"), `console_urls` inside the console
(namespace "console"), `api_urls` inside /api/v1/ (namespace "api")."""

from django.urls import path

from ideas import api, api_stages
from ideas.views import console, public

public_urls = [
    path("challenges/<slug:slug>/ideas/", public.gallery, name="gallery"),
    path("challenges/<slug:slug>/ideas/new/", public.submit, name="submit"),
    path("challenges/<slug:slug>/ideas/similar/", public.similar, name="similar"),
    path("ideas/mine/", public.mine, name="mine"),
    path("ideas/join/<str:token>/", public.coauthor_join, name="coauthor_join"),
    path("ideas/<uuid:public_id>/", public.detail, name="detail"),
    path("ideas/<uuid:public_id>/edit/", public.edit, name="edit"),
    path("ideas/<uuid:public_id>/withdraw/", public.withdraw, name="withdraw"),
    path("ideas/<uuid:public_id>/status/", public.status, name="status"),
    path("ideas/<uuid:public_id>/comments/", public.comment, name="comment"),
    path("ideas/<uuid:public_id>/flag/", public.flag, name="flag"),
    path("ideas/<uuid:public_id>/follow/", public.follow, name="follow"),
    path("ideas/<uuid:public_id>/coauthors/", public.coauthor_invite, name="coauthor_invite"),
    path("comments/<uuid:public_id>/flag/", public.comment_flag, name="comment_flag"),
    path("comments/<uuid:public_id>/delete/", public.comment_delete, name="comment_delete"),
    path("robots.txt", public.robots, name="robots"),
    path("sitemap.xml", public.sitemap_index, name="sitemap"),
    path("sitemap-challenges.xml", public.sitemap_challenges, name="sitemap_challenges"),
    path("sitemap-ideas-<int:page>.xml", public.sitemap_ideas, name="sitemap_ideas"),
]

console_urls = [
    path("moderation/", console.queue, name="moderation"),
    path("moderation/comments/", console.comment_queue, name="moderation_comments"),
    path("moderation/rules/", console.rules, name="moderation_rules"),
    path("moderation/ideas/<uuid:public_id>/", console.review, name="moderation_review"),
    path("moderation/ideas/<uuid:public_id>/decide/", console.decide, name="moderation_decide"),
    path("moderation/ideas/<uuid:public_id>/merge/", console.merge, name="moderation_merge"),
    path("moderation/ideas/<uuid:public_id>/stage/", console.idea_stage, name="idea_stage"),
    path("moderation/ideas/<uuid:public_id>/labels/", console.idea_labels, name="idea_labels"),
    path("moderation/ideas/<uuid:public_id>/owner/", console.idea_owner, name="idea_owner"),
    path("moderation/bulk/", console.ideas_bulk, name="ideas_bulk"),
    path("moderation/labels/", console.labels, name="idea_labels_manage"),
    path(
        "moderation/labels/<uuid:public_id>/delete/",
        console.label_delete,
        name="idea_label_delete",
    ),
]

api_urls = [
    path("challenges/<slug:slug>/ideas", api.IdeaListView.as_view(), name="idea-list"),
    path(
        "challenges/<slug:slug>/ideas/similar",
        api.SimilarIdeasView.as_view(),
        name="idea-similar",
    ),
    path("ideas/<uuid:public_id>", api.IdeaDetailView.as_view(), name="idea-detail"),
    path("ideas/<uuid:public_id>/withdraw", api.IdeaWithdrawView.as_view(), name="idea-withdraw"),
    path("ideas/<uuid:public_id>/comments", api.CommentListView.as_view(), name="idea-comments"),
    path("ideas/<uuid:public_id>/flags", api.IdeaFlagView.as_view(), name="idea-flag"),
    path("comments/<uuid:public_id>/flags", api.CommentFlagView.as_view(), name="comment-flag"),
    path(
        "console/moderation/ideas",
        api.ModerationIdeasView.as_view(),
        name="moderation-ideas",
    ),
    path(
        "console/moderation/ideas/decisions",
        api.ModerationIdeaDecisionView.as_view(),
        name="moderation-idea-decisions",
    ),
    path(
        "console/moderation/comments",
        api.ModerationCommentsView.as_view(),
        name="moderation-comments",
    ),
    path(
        "console/moderation/comments/decisions",
        api.ModerationCommentDecisionView.as_view(),
        name="moderation-comment-decisions",
    ),
    path("console/ideas/<uuid:public_id>/merge", api.IdeaMergeView.as_view(), name="idea-merge"),
    path(
        "console/ideas/<uuid:public_id>/stage",
        api_stages.IdeaStageView.as_view(),
        name="idea-stage",
    ),
    path(
        "console/ideas/<uuid:public_id>/triage",
        api_stages.IdeaTriageView.as_view(),
        name="idea-triage",
    ),
    path(
        "console/ideas/<uuid:public_id>/labels",
        api_stages.IdeaLabelsView.as_view(),
        name="idea-labels",
    ),
    path(
        "console/ideas/<uuid:public_id>/labels/<uuid:label_id>",
        api_stages.IdeaLabelView.as_view(),
        name="idea-label",
    ),
    path(
        "console/ideas/<uuid:public_id>/owner",
        api_stages.IdeaOwnerView.as_view(),
        name="idea-owner",
    ),
    path("console/ideas/bulk", api_stages.IdeasBulkView.as_view(), name="ideas-bulk"),
    path("console/labels", api_stages.LabelListView.as_view(), name="label-list"),
    path(
        "console/labels/<uuid:label_id>",
        api_stages.LabelDetailView.as_view(),
        name="label-detail",
    ),
    path(
        "console/ideas/<uuid:public_id>/history",
        api.IdeaHistoryView.as_view(),
        name="idea-history",
    ),
]
