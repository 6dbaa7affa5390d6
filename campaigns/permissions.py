"""Named rules of the challenges, for templates ({% has_perm %}) and code alike.

Owners and administrators create, change and publish challenges; moderators
follow them in the console but cannot publish (accounts.permissions ranks the
roles). Loaded by CampaignsConfig.ready() (not named rules.py: the translation
script runs from the app's folder, where that name would hide the `rules`
package)."""

import rules

from accounts.permissions import is_console_member, is_tenant_admin

rules.add_perm("campaigns.view_challenges", is_console_member)
rules.add_perm("campaigns.manage_challenges", is_tenant_admin)
rules.add_perm("campaigns.publish_challenge", is_tenant_admin)
