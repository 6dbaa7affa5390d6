"""What a challenge produced: visits counted without trackers, daily figures,
the brand's dashboard, exports and the weekly report.

Sits above rewards (it reads every app below it) and below demo.
"""
