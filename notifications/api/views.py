"""The caller's own notifications: list, mark read, and which kinds come by e-mail."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import NUMERIC_ID
from core.api.views import validated_input
from notifications import services
from notifications.filtersets import NotificationFilterSet
from notifications.models import Notification
from notifications.selectors import email_kinds

from .serializers import NotificationPreferencesSerializer
from .serializers import NotificationSerializer

__all__ = ["NotificationViewSet"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Notifications addressed to the caller, newest first; nobody sees anyone else's."""

    queryset = Notification.objects.none()  # the schema's model; requests read the caller's own below
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    lookup_value_regex = NUMERIC_ID

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.filter(user=self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(user=request.user, notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}},
                   filters=False)
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})

    @extend_schema(methods=["get"], responses=NotificationPreferencesSerializer, filters=False)
    @extend_schema(methods=["put"], request=NotificationPreferencesSerializer,
                   responses=NotificationPreferencesSerializer, filters=False)
    @action(detail=False, methods=["get", "put"], filter_backends=[], pagination_class=None)
    def preferences(self, request):
        if request.method == "PUT":
            data = validated_input(NotificationPreferencesSerializer, request.data)
            services.notification_preferences_set(user=request.user, email_kinds=data["email_kinds"])
        return Response({"email_kinds": email_kinds(request.user)})
