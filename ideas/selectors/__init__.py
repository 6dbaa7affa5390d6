"""The reads of the ideas app used by several views, one module per topic; import from here.

gallery.py        the gallery's pages, sorts and cursors; similar ideas
access.py         one idea for a viewer, an author or the console; its details
moderation.py     the moderation queues and history
sitemap.py        the sitemap's pages
stages.py         what became of the ideas: the public section, labels, owners
figures.py        the exports' rows and a period's counts, for the brand
activity.py       what happened over a period, for the dashboard's figures
"""

from ideas.selectors.access import (
    COUNTS_SECONDS,
    author_name,
    campaign_counts,
    coauthors_of,
    comments_of,
    idea_counts_by_campaign,
    idea_for_author,
    idea_for_console,
    idea_for_viewer,
    media_of,
    mine,
    ready_media_by_idea,
)
from ideas.selectors.activity import (
    comments_between,
    ideas_by_public_id,
    submissions_between,
)
from ideas.selectors.figures import comments_for_export, ideas_for_export, period_counts
from ideas.selectors.gallery import (
    DEFAULT_SORT,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    RELEVANCE,
    SORTS,
    VOTE_SORTS,
    GalleryPage,
    GalleryQuery,
    gallery_page,
    published_ideas,
    similar_ideas,
    sorts_offered,
    tags_of,
)
from ideas.selectors.moderation import (
    QUEUE_FILTERS,
    QueueQuery,
    comment_queue,
    comments_for_moderation,
    history_of,
    ideas_for_moderation,
    moderation_queue,
    waiting_count,
)
from ideas.selectors.sitemap import (
    SITEMAP_PAGE,
    sitemap_campaigns,
    sitemap_idea_pages,
    sitemap_ideas,
)
from ideas.selectors.stages import (
    OUTCOMES_PER_STAGE,
    OutcomeGroup,
    attach_labels,
    label_for_console,
    labels_of,
    labels_with_counts,
    next_stages,
    outcomes,
    owner_by_public_id,
    owner_choices,
    stage_changes,
)

__all__ = [
    "COUNTS_SECONDS",
    "DEFAULT_SORT",
    "MAX_PAGE_SIZE",
    "OUTCOMES_PER_STAGE",
    "PAGE_SIZE",
    "QUEUE_FILTERS",
    "RELEVANCE",
    "SITEMAP_PAGE",
    "SORTS",
    "VOTE_SORTS",
    "GalleryPage",
    "GalleryQuery",
    "OutcomeGroup",
    "QueueQuery",
    "attach_labels",
    "author_name",
    "campaign_counts",
    "coauthors_of",
    "comment_queue",
    "comments_between",
    "comments_for_export",
    "comments_for_moderation",
    "comments_of",
    "gallery_page",
    "history_of",
    "idea_counts_by_campaign",
    "idea_for_author",
    "idea_for_console",
    "idea_for_viewer",
    "ideas_by_public_id",
    "ideas_for_export",
    "ideas_for_moderation",
    "label_for_console",
    "labels_of",
    "labels_with_counts",
    "media_of",
    "mine",
    "moderation_queue",
    "next_stages",
    "outcomes",
    "owner_by_public_id",
    "owner_choices",
    "period_counts",
    "published_ideas",
    "ready_media_by_idea",
    "similar_ideas",
    "sitemap_campaigns",
    "sitemap_idea_pages",
    "sitemap_ideas",
    "sorts_offered",
    "stage_changes",
    "submissions_between",
    "tags_of",
    "waiting_count",
]
