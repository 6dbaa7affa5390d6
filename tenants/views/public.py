"""The tenant's public home, until the challenges app fills it."""

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return render(request, "tenants/home.html")
