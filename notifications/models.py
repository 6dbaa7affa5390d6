"""In-app and e-mail notifications, preferences and digests."""
