"""Named rules of rewards, for templates ({% has_perm %}) and code alike.

    manage_payouts = owner or admin of the tenant (approve, export, pay, split)

Loaded by RewardsConfig.ready().
"""

import rules

from accounts.permissions import is_tenant_admin

rules.add_perm("rewards.manage_payouts", is_tenant_admin)
