"""Request bodies: JSON whose nesting is too deep to decode is a 400 like any other malformed body, not a 500."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

__all__ = ["PortalJSONParser"]


class PortalJSONParser(JSONParser):
    """
    DRF's parser answers malformed JSON with a 400 but lets the decoder's RecursionError through: ``{"a":`` nested
    a few thousand times (no sign-in needed, e.g. at the token endpoint) was a 500 with a traceback.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error: the body is nested too deeply.")) from None
