"""The challenge pages, by audience: `public.py` (the tenant's home and the
challenge pages) and `console.py` (the brand's console)."""
