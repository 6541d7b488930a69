from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Region


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "kind", "village_count", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = [field.name for field in Region._meta.fields]

    def has_add_permission(self, request):
        # Regions come only from the official list (manage.py load_wilayah).
        return False

    def has_delete_permission(self, request, obj=None):
        return False
