from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendee
from .models import Booking
from .models import Deal
from .models import Event
from .models import Partner
from .models import Resource
from .models import Space


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "region", "starts_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["region", "venue_village", "organiser_federation", "space", "created_by"]


@admin.register(Attendee)
class AttendeeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "event", "village"]
    raw_id_fields = ["event", "village", "member", "partner", "recorded_by"]
    exclude = ["nik"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region"]
    raw_id_fields = ["region", "created_by"]
    filter_horizontal = []
    exclude = ["areas_served"]


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = ["title", "cooperative", "partner", "kind", "stage", "value"]
    list_filter = ["kind", "stage"]
    raw_id_fields = ["cooperative", "partner", "event", "created_by"]


@admin.register(Space)
class SpaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "owner_kind", "region"]
    raw_id_fields = ["region", "owner_federation", "owner_cooperative", "created_by"]


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "space", "kind", "capacity"]
    raw_id_fields = ["space"]


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    list_display = ["resource", "booker_name", "starts_at", "ends_at", "status"]
    raw_id_fields = ["resource", "event", "created_by"]
