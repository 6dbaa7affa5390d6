"""Ideas, their media, moderation, comments, flags and search."""
