"""Insights' writes: the daily figures, visits, exports' files and reports."""
