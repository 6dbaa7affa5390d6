"""Awards, payouts and their state machine, SEPA export, points."""
