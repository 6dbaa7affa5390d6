"""Access helpers every app's selectors and views share."""

from django.http import Http404


def tenant_row_or_404(request, rows, **lookup):
    """The row among `rows` (a queryset, joined as its page needs) of the
    request's tenant that matches `lookup`, or 404: the same 404 for a row
    that does not exist and for another tenant's."""
    row = rows.filter(tenant=request.tenant, **lookup).first()
    if row is None:
        raise Http404
    return row
