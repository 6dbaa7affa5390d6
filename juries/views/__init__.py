"""The jury's pages, by audience: `jury.py` (the jurors' dashboard under /jury/)
and `console.py` (the brand's jury settings, shortlists and exports)."""
