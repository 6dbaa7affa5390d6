"""The dashboard's reads, one module per panel; each answers in a fixed number
of queries whatever the number of ideas, votes and people."""
