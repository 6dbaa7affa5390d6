"""The exports through the API: `/api/v1/exports/<kind>?format=csv|xlsx`
(`&challenge=<slug>` for one challenge), the same files and rules as the
console's page. Errors in the house's format (`{"error": {…}}`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView

from core.exports import FORMATS, XLSX_TYPE
from core.permissions import HasTenantRole, Role
from insights.exports.download import export_response
from insights.exports.kinds import KINDS


class JsonForErrors(BaseContentNegotiation):
    """`?format=` names the file's format here, not DRF's renderer: the file is
    the view's own response; only errors go through a renderer (JSON)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class ExportView(APIView):
    permission_classes = [HasTenantRole.of(Role.ADMIN)]
    content_negotiation_class = JsonForErrors

    @extend_schema(
        summary="Download an export (CSV or XLSX)",
        description=(
            "One of the brand's files: " + ", ".join(KINDS) + ". Owners and administrators;"
            " payouts for whoever may manage payouts. Headers in the brand's language, times"
            " in its time zone; voters by a pseudonymous id; participants only those who"
            " agreed to be contacted. Cells that would start a formula are defused."
        ),
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(KINDS)),
            OpenApiParameter("format", str, enum=list(FORMATS), default="csv"),
            OpenApiParameter("challenge", str, description="A challenge's slug (optional)."),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV file."),
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The XLSX file."),
            400: OpenApiResponse(
                description="Unknown format, or a brand-wide file for one challenge."
            ),
            403: OpenApiResponse(description="On the team, but not allowed this file."),
            404: OpenApiResponse(description="No such file or challenge (or not on the team)."),
        },
        tags=["insights"],
    )
    def get(self, request, kind):
        return export_response(
            request,
            kind_name=kind,
            file_format=request.query_params.get("format", "csv"),
            challenge=request.query_params.get("challenge", ""),
        )
