"""Challenges (Campaign), their rounds and prize configuration; the console pages."""
