"""Named rules of insights, for templates ({% has_perm %}) and code alike.

    export = owner or admin of the tenant (every file but payouts, which ask
             rewards.manage_payouts)

Loaded by InsightsConfig.ready().
"""

import rules

from accounts.permissions import is_tenant_admin

rules.add_perm("insights.export", is_tenant_admin)
