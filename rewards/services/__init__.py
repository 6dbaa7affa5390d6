"""Every write of the rewards app, one module per topic; import from here.

common.py         the errors, the payout state machine's driver (one or many), small helpers
awards.py         awards and how their prize is split into payouts
payouts.py        payout details, approval, cancellation, failures
bank.py           the SEPA credit-transfer file and marking a batch paid
"""

from rewards.services.awards import award_ensure, award_split_set, contributors_of, default_split
from rewards.services.bank import _execution_date, batch_export, batch_file, batch_mark_paid
from rewards.services.common import (
    CONSOLE_PAYOUTS_URL,
    MY_PAYOUTS_URL,
    REASON_MAX,
    PayoutStateError,
    RewardsError,
    money_text,
    payout_move,
    payouts_move,
)
from rewards.services.payouts import (
    payout_cancel,
    payout_details_save,
    payout_mark_failed,
    payout_settings_save,
    payouts_approve,
    rewards_erase,
)

__all__ = [
    "CONSOLE_PAYOUTS_URL",
    "MY_PAYOUTS_URL",
    "REASON_MAX",
    "PayoutStateError",
    "RewardsError",
    "_execution_date",
    "award_ensure",
    "award_split_set",
    "batch_export",
    "batch_file",
    "batch_mark_paid",
    "contributors_of",
    "default_split",
    "money_text",
    "payout_cancel",
    "payout_details_save",
    "payout_mark_failed",
    "payout_move",
    "payout_settings_save",
    "payouts_approve",
    "payouts_move",
    "rewards_erase",
]
