"""The team's chat: an event as a message people read, for a Slack or
Microsoft Teams incoming webhook (WebhookEndpoint.kind), in the brand's
language, with a link to act on it — a new idea to moderate, a shortlist
ready for the jury, a payout to approve.

Everything else about such an endpoint is a webhook's: the events it picked,
the retries, the log, the SSRF guard, the disabling."""

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from integrations.events import CATALOGUE, TEST_EVENT
from integrations.models import WebhookEndpoint
from tenants.selectors import tenant_url

# Where the team acts on each kind of event, when the event carries no page.
_CONSOLE_PAGES = {
    "round": "/console/",
    "shortlist": "/jury/",
    "winner": "/console/",
    "payout": "/console/payouts/",
    "participant": "/console/",
}


def _detail(event: str, data: dict) -> str:
    """One line on what happened, from the event's data."""
    if "title" in data:
        line = f"“{data['title']}”"
        if event == "idea.submitted" and data.get("state") != "published":
            line += " — " + _("waiting for moderation")
        return line
    if "amount" in data:
        return f"{number_format(data['amount'], 2, force_grouping=True)} {data.get('currency', '')}"
    if "round_index" in data:
        return _("Round %(number)s") % {"number": data["round_index"]}
    if event == TEST_EVENT:
        return _("Messages from your Ruche challenges will appear here.")
    return ""


def message_parts(*, tenant, payload: dict) -> tuple[str, str, str]:
    """(headline, detail, link) of an event, in the brand's language."""
    event, data = payload["type"], payload.get("data", {})
    with translation.override(tenant.default_language):
        if event == TEST_EVENT:
            headline = _("A test message from %(brand)s on Ruche") % {"brand": tenant.name}
        elif event in CATALOGUE:
            headline = str(CATALOGUE[event].label)
        else:
            headline = event
        detail = _detail(event, data)
    link = data.get("url") or tenant_url(tenant, _CONSOLE_PAGES.get(event.split(".")[0], "/"))
    return headline, detail, link


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_body(headline: str, detail: str, link: str, *, brand: str, open_label: str) -> dict:
    """Slack's incoming-webhook message (`text` for notifications, blocks for
    the chat); Mattermost and Rocket.Chat read the same."""
    text = f"*{_slack_escape(headline)}*"
    if detail:
        text += f"\n{_slack_escape(detail)}"
    text += f"\n<{link}|{_slack_escape(open_label)}>"
    return {
        "text": _slack_escape(f"{headline}: {detail}" if detail else headline),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(brand)}]},
        ],
    }


def _plain(text: str, **style) -> dict:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def teams_body(headline: str, detail: str, link: str, *, brand: str, open_label: str) -> dict:
    """A Teams message with an Adaptive Card, as Teams' incoming webhooks and
    Workflows ("post to a channel when a webhook request is received") take it."""
    # Participants' words go in TextRuns, which Teams shows as typed (a
    # TextBlock would read their [text](links) and *stars* as markdown).
    blocks = [_plain(headline, weight="Bolder")]
    if detail:
        blocks.append(_plain(detail))
    blocks.append({"type": "TextBlock", "text": brand, "isSubtle": True, "size": "Small"})
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": blocks,
                    "actions": [{"type": "Action.OpenUrl", "title": open_label, "url": link}],
                },
            }
        ],
    }


_BODIES = {WebhookEndpoint.Kind.SLACK: slack_body, WebhookEndpoint.Kind.TEAMS: teams_body}


def chat_body(*, endpoint: WebhookEndpoint, payload: dict) -> dict:
    """What a chat endpoint receives for the event `payload`."""
    tenant = endpoint.tenant
    headline, detail, link = message_parts(tenant=tenant, payload=payload)
    with translation.override(tenant.default_language):
        open_label = _("Open in Ruche")
    return _BODIES[endpoint.kind](headline, detail, link, brand=tenant.name, open_label=open_label)
