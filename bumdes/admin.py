from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bumdes
from .models import BusinessSite
from .models import CooperationAgreement
from .models import Federation


@admin.register(Bumdes)
class BumdesAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "village", "registration_number"]
    list_filter = ["kind"]
    search_fields = ["name", "registration_number", "village__code"]
    raw_id_fields = ["village", "registered_by"]


@admin.register(Federation)
class FederationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "seat"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["seat", "bumdes", "parent", "created_by"]


@admin.register(BusinessSite)
class BusinessSiteAdmin(SimpleHistoryAdmin):
    list_display = ["name", "federation", "kind", "status", "village"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    raw_id_fields = ["federation", "village"]


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "cooperative", "bumdes", "federation", "kind", "status", "starts_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["cooperative", "bumdes", "federation", "created_by"]
