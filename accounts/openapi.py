"""How the OpenAPI schema describes the brand's API keys (drf-spectacular reads
this extension when the accounts app is ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BrandKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.BrandKeyAuthentication"
    name = "brandApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "rk_<prefix>_<secret>",
            "description": (
                "A brand's API key (console → API keys), valid on the brand's hosts only: "
                "another brand's host answers 404. Its scopes decide what it may do: `read` "
                "(every GET of the console), `console_write` (what an administrator "
                "changes), `moderation` (what a moderator decides), `payouts` (payouts, "
                "read and changed). A request outside its scopes is a 403 "
                "(`api_key_scope_missing`); a person's own actions (voting, submitting) "
                "refuse keys (403, `api_key_not_allowed`); over its rate limit, a 429 with "
                "Retry-After. Every write, and one read per minute, is recorded in the "
                "brand's audit trail."
            ),
        }
