import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

__all__ = ["PortalPagination"]

_WHOLE_NUMBER = re.compile(r"[0-9]+")


class PortalPagination(PageNumberPagination):
    """
    Pages of 50 rows; ``page_size`` up to 500 (more is capped). A ``page_size`` that is not a whole number
    from 1 is a 400 naming it, like any other refused query parameter, not a silent fall-back to 50.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    # DRF's own Indonesian catalogue lacks this one.
    invalid_page_message = _("Invalid page.")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent or empty, as an empty filter is no filter
            return self.page_size
        if not _WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: [
                _("Enter a whole number of rows per page from 1 to %(max)d.") % {"max": self.max_page_size}]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(
                    _("Rows per page, %(default)d unless given; at most %(max)d (more is capped).")
                    % {"default": self.page_size, "max": self.max_page_size})
        return parameters
