"""The brand's exports: the files (kinds.py) and how one is asked for (download.py)."""
