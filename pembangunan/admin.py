from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ConstructionProject
from .models import LandPlot
from .models import LandPlotDocument
from .models import ProgressReport
from .models import SitePhoto
from .models import UnitMonthlyReport


@admin.register(LandPlot)
class LandPlotAdmin(SimpleHistoryAdmin):
    list_display = ["name", "cooperative", "status", "area_m2", "owner_kind", "created_at"]
    list_filter = ["status", "owner_kind", "legal_status"]
    search_fields = ["name", "cooperative__name", "village__code"]
    raw_id_fields = ["cooperative", "village", "verified_by", "recorded_by"]


@admin.register(ConstructionProject)
class ConstructionProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plot", "executor", "contract_value", "planned_finish", "progress_percent",
                    "handed_over_on"]
    list_filter = ["executor"]
    raw_id_fields = ["plot", "created_by"]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["project", "reported_on", "percent", "is_draft"]
    raw_id_fields = ["project", "reported_by"]


@admin.register(LandPlotDocument)
class LandPlotDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "plot", "kind", "uploaded_at"]
    raw_id_fields = ["plot", "uploaded_by"]


@admin.register(SitePhoto)
class SitePhotoAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "plot", "report", "uploaded_at"]
    raw_id_fields = ["plot", "report", "uploaded_by"]


@admin.register(UnitMonthlyReport)
class UnitMonthlyReportAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "month", "revenue", "costs", "filed_at"]
    raw_id_fields = ["unit", "filed_by"]
