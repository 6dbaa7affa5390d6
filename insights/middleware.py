"""Counts the views of a tenant's public pages (insights.visits): after the
response is made, for successful GETs of full pages only."""

from insights import visits


class VisitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and getattr(request, "tenant", None) is not None
            # htmx fragments (a gallery's next page) and prefetches are not views.
            and "HTTP_HX_REQUEST" not in request.META
            and "prefetch" not in request.META.get("HTTP_SEC_PURPOSE", "")
            and "prefetch" not in request.META.get("HTTP_PURPOSE", "")
        ):
            match = request.resolver_match
            page = visits.PAGES.get(match.view_name) if match is not None else None
            if page is not None:
                ref = str(match.kwargs.get("slug") or match.kwargs.get("public_id") or "")
                visits.record(request, page=page, ref=ref)
        return response
