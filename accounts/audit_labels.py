"""What an audit entry's action code means, in words people read: one mapping for
every page that shows a history. A code without a label shows as itself."""

from django.utils.translation import pgettext_lazy

# Labels have a context of their own: "Submitted" or "Disqualified" mean other
# things (and take other genders) on other pages.

ACTION_LABELS = {
    # An idea's life
    "idea.submit": pgettext_lazy("audit action", "Submitted"),
    "idea.edit": pgettext_lazy("audit action", "Edited by its author"),
    "idea.withdraw": pgettext_lazy("audit action", "Withdrawn by its author"),
    "idea.media_ready": pgettext_lazy("audit action", "Image or video processed"),
    "idea.media_failed": pgettext_lazy("audit action", "Image or video could not be used"),
    "idea.coauthor_invite": pgettext_lazy("audit action", "Co-author invited"),
    "idea.coauthor_accept": pgettext_lazy("audit action", "Co-author joined"),
    "idea.coauthor_remove": pgettext_lazy("audit action", "Co-author removed"),
    # Moderation of ideas
    "idea.approve": pgettext_lazy("audit action", "Approved by a moderator"),
    "idea.hide": pgettext_lazy("audit action", "Hidden by a moderator"),
    "idea.reject": pgettext_lazy("audit action", "Rejected by a moderator"),
    "idea.auto_hide": pgettext_lazy("audit action", "Hidden automatically after flags"),
    "idea.merge": pgettext_lazy("audit action", "Merged into a similar idea"),
    "idea.disqualify": pgettext_lazy("audit action", "Disqualified"),
    "idea.requalify": pgettext_lazy("audit action", "Qualified again"),
    # What the brand made of an idea
    "idea.stage": pgettext_lazy("audit action", "Stage changed"),
    "idea.owner": pgettext_lazy("audit action", "Owner changed"),
    "idea.label_add": pgettext_lazy("audit action", "Label added"),
    "idea.label_remove": pgettext_lazy("audit action", "Label removed"),
    "label.create": pgettext_lazy("audit action", "Label created"),
    "label.delete": pgettext_lazy("audit action", "Label deleted"),
    # Moderation of comments
    "comment.approve": pgettext_lazy("audit action", "Comment approved"),
    "comment.hide": pgettext_lazy("audit action", "Comment hidden"),
    "comment.reject": pgettext_lazy("audit action", "Comment rejected"),
    "comment.auto_hide": pgettext_lazy("audit action", "Comment hidden automatically after flags"),
    # The brand's API keys
    "api_key.create": pgettext_lazy("audit action", "API key created"),
    "api_key.revoke": pgettext_lazy("audit action", "API key revoked"),
    "api_key.read": pgettext_lazy("audit action", "API key used to read"),
    "api_key.write": pgettext_lazy("audit action", "API key used to change"),
}


def action_label(code: str) -> str:
    """The label of an action code, or the code itself for one not listed here
    (an action added since, or retired): never an empty cell."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
