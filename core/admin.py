from django.contrib import admin

from .models import DirtyVillage
from .models import OutboxTask


@admin.register(DirtyVillage)
class DirtyVillageAdmin(admin.ModelAdmin):
    """Refreshes set aside while Redis was down; the minute's requeue job empties this list."""

    list_display = ["code", "since"]
    search_fields = ["code"]


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    """Tasks the broker has not taken yet; the minute's delivery job hands them over."""

    list_display = ["created_at", "task", "args", "attempts", "last_error"]
    list_filter = ["task"]
