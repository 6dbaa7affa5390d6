"""People's data held by rewards (accounts.personal_data): their payouts and
payment details. Erasing keeps paid prizes in the books without the person."""

from rewards import services
from rewards.models import Payout, PayoutDetails


def payouts_export(*, user, tenant) -> dict:
    details = PayoutDetails.objects.filter(tenant=tenant, user=user).first()
    return {
        "payment_details": None
        if details is None
        else {
            "holder_name": details.holder_name,
            "iban": details.masked_iban,
            "bic": details.bic,
            "updated_at": details.updated_at.isoformat(),
        },
        "payouts": [
            {
                "idea": p.award.idea_title,
                "amount": str(p.amount),
                "currency": p.currency,
                "share_percent": str(p.share_bp / 100),
                "state": p.state,
                "paid_at": p.paid_at.isoformat() if p.paid_at else None,
            }
            for p in Payout.objects.filter(tenant=tenant, recipient=user)
            .select_related("award")
            .order_by("created_at", "pk")
        ],
    }


def payouts_erase(*, user, tenant, mode) -> None:
    services.rewards_erase(user=user, tenant=tenant)
