"""The ideas pages, by audience: `public.py` (participants) and `console.py` (moderators)."""
