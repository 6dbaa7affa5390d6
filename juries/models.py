"""Juries, rubric criteria, assignments, scores and decisions."""
