"""Voting's pages, by audience: `public.py` (the vote button, a round's
ranking) and `console.py` (the review of votes, rankings, disqualification)."""
