"""The operator area: operators create, brand and suspend tenants here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from tenants import services
from tenants.models import Domain, Tenant


class TenantAdminForm(forms.ModelForm):
    class Meta:
        model = Tenant
        fields = [
            "slug",
            "name",
            "status",
            "default_language",
            "time_zone",
            "logo",
            "primary_colour",
            "accent_colour",
        ]

    def clean_slug(self):
        try:
            return services.slug_check(self.cleaned_data["slug"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["hostname", "is_primary", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "status", "default_language", "time_zone", "created_at"]
    list_filter = ["status", "default_language"]
    search_fields = ["name", "slug"]
    form = TenantAdminForm
    inlines = [DomainInline]
    actions = ["suspend", "reactivate"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.tenant_create(
            slug=obj.slug,
            name=obj.name,
            default_language=obj.default_language,
            time_zone=obj.time_zone,
            primary_colour=obj.primary_colour,
            accent_colour=obj.accent_colour,
        )
        obj.pk, obj.public_id, obj.created_at = created.pk, created.public_id, created.created_at
        obj._state.adding = False
        if obj.logo:
            created.logo = obj.logo
            created.save(update_fields=["logo"])

    @admin.action(description=_("Suspend the selected tenants"))
    def suspend(self, request, queryset):
        for tenant in queryset:
            services.tenant_set_status(tenant=tenant, status=Tenant.Status.SUSPENDED)

    @admin.action(description=_("Reactivate the selected tenants"))
    def reactivate(self, request, queryset):
        for tenant in queryset:
            services.tenant_set_status(tenant=tenant, status=Tenant.Status.ACTIVE)
