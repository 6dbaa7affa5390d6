"""Operators' view of notifications and e-mail deliveries (read-mostly)."""

from django.contrib import admin

from notifications.models import Digest, EmailDelivery, Follow, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["event", "recipient", "tenant", "created_at", "read_at", "digest_kind"]
    list_filter = ["event", "tenant"]
    search_fields = ["recipient__email", "event"]
    raw_id_fields = ["recipient", "digest"]
    readonly_fields = ["public_id", "created_at"]


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ["public_id", "recipient", "tenant", "status", "attempts", "sent_at"]
    list_filter = ["status", "tenant"]
    search_fields = ["recipient__email"]
    raw_id_fields = ["recipient", "notification", "digest"]
    readonly_fields = ["public_id", "created_at", "claimed_at", "sent_at", "last_error"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "tenant", "kind", "period_start", "created_at"]
    list_filter = ["kind", "tenant"]
    raw_id_fields = ["recipient"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "event", "delivery", "updated_at"]
    list_filter = ["event", "delivery"]
    raw_id_fields = ["user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "target_type", "target_id", "created_at"]
    raw_id_fields = ["user"]
