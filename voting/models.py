"""Votes, vote rules and anti-fraud, rankings per round."""
