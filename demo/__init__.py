"""The demo platform behind `make run`: `seed_demo` and the start-up banner.

It sits above every other app (the only one allowed to import them all) so the
demo can be built through each app's services.
"""
