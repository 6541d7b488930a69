from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "cooperative", "status", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = [field.name for field in ImportJob._meta.fields]
