"""Every write of the ideas app, one module per topic; import from here.

common.py       the error, limits, text cleaning, who may edit or withdraw
submission.py   submit, edit, withdraw, follow an idea
attachments.py  an idea's image or video file, stored and replaced
media_jobs.py   the rendition job (claims, retries, giving up)
moderation.py   hold rules, publish or hold, the moderation queue's actions, flags on ideas
comments.py     comments: post, moderate, withdraw, flag
coauthors.py    co-authors: invite, accept, remove
merge.py        merging a duplicate into another idea
search.py       the full-text index and the trending score
stages.py       what became of an idea: its stage, the team's labels, its owner
"""

from ideas.services.coauthors import coauthor_accept, coauthor_invite, coauthor_remove
from ideas.services.comments import (
    COMMENT_MODERATION,
    comment_flag,
    comment_post,
    comment_withdraw,
    comments_moderate,
)
from ideas.services.common import (
    COAUTHORS_MAX,
    COMMENT_MAX,
    MB,
    MODERATION_ACTIONS,
    TAG_MAX_CHARS,
    TAGS_MAX,
    TITLE_MAX,
    TITLE_MIN,
    IdeaError,
    _delete_files_on_commit,
    can_edit,
    can_withdraw,
    clean_tags,
    clean_text,
    is_author,
)
from ideas.services.media_jobs import CLAIM_SECONDS, media_give_up, media_process
from ideas.services.merge import idea_merge
from ideas.services.moderation import (
    IDEA_MODERATION,
    hold_reasons_for,
    idea_flag,
    ideas_moderate,
    moderation_rules,
    moderation_rules_update,
)
from ideas.services.search import (
    SEARCH_CONFIGS,
    TRENDING_GRAVITY,
    search_config,
    search_refresh,
    trending_formula,
    trending_now,
    trending_refresh,
)
from ideas.services.stages import (
    PUBLIC_STAGES,
    STAGE_MOVES,
    can_manage_stages,
    idea_label_remove,
    idea_stage_set,
    ideas_label_add,
    ideas_owner_set,
    ideas_stage_check,
    ideas_stage_set,
    label_create,
    label_delete,
)
from ideas.services.submission import idea_follow, idea_submit, idea_update, idea_withdraw

__all__ = [
    "CLAIM_SECONDS",
    "COAUTHORS_MAX",
    "COMMENT_MAX",
    "COMMENT_MODERATION",
    "IDEA_MODERATION",
    "MB",
    "MODERATION_ACTIONS",
    "PUBLIC_STAGES",
    "SEARCH_CONFIGS",
    "STAGE_MOVES",
    "TAGS_MAX",
    "TAG_MAX_CHARS",
    "TITLE_MAX",
    "TITLE_MIN",
    "TRENDING_GRAVITY",
    "IdeaError",
    "_delete_files_on_commit",
    "can_edit",
    "can_manage_stages",
    "can_withdraw",
    "clean_tags",
    "clean_text",
    "coauthor_accept",
    "coauthor_invite",
    "coauthor_remove",
    "comment_flag",
    "comment_post",
    "comment_withdraw",
    "comments_moderate",
    "hold_reasons_for",
    "idea_flag",
    "idea_follow",
    "idea_label_remove",
    "idea_merge",
    "idea_stage_set",
    "idea_submit",
    "idea_update",
    "idea_withdraw",
    "ideas_label_add",
    "ideas_moderate",
    "ideas_owner_set",
    "ideas_stage_check",
    "ideas_stage_set",
    "is_author",
    "label_create",
    "label_delete",
    "media_give_up",
    "media_process",
    "moderation_rules",
    "moderation_rules_update",
    "search_config",
    "search_refresh",
    "trending_formula",
    "trending_now",
    "trending_refresh",
]
