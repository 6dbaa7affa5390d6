"""The API's JSON parser (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES), in a module
of its own: DRF reads the setting while core.api is still being imported."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, bounded in depth: a body nested deeper than MAX_DEPTH is
    a 400 (Python's parser recurses once per level and runs out of stack near a
    thousand, which was a 500). Its size is bounded before this runs: DRF reads
    JSON through `request.body`, over DATA_UPLOAD_MAX_MEMORY_SIZE a 400."""

    MAX_DEPTH = 32

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
        else:
            if _nesting(data, self.MAX_DEPTH) <= self.MAX_DEPTH:
                return data
        raise exceptions.ParseError(
            _("The JSON is nested too deeply (more than %(n)s levels).") % {"n": self.MAX_DEPTH}
        )


def _nesting(data, limit: int) -> int:
    """How deeply lists and objects nest in `data` (without recursion), or the
    first depth found over `limit`."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest
