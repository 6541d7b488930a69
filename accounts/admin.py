from django.contrib import admin

from .models import ApiToken
from .models import SignInFailure


@admin.register(SignInFailure)
class SignInFailureAdmin(admin.ModelAdmin):
    """What the sign-in lockout counts; deleting an account's rows lifts its lock at once."""

    list_display = ["attempted_at", "identifier", "ip_address"]
    search_fields = ["identifier", "ip_address"]
    readonly_fields = ["identifier", "ip_address", "attempted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Issued through POST /api/auth/token/ only (the key is shown once, to its owner); here they can be revoked."""

    list_display = ["prefix", "user", "created_at", "expires_at", "last_used_at"]
    search_fields = ["prefix", "user__email"]
    readonly_fields = ["user", "prefix", "created_at", "expires_at", "last_used_at"]
    exclude = ["key_hash", "password_fingerprint"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
