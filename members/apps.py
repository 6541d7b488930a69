from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and officers")

    def ready(self):
        # What members add to the cooperative (see koperasi/extensions.py).
        from koperasi import extensions

        from .selectors import member_section
        from .services import governance_issues

        # The board must meet the founding rules before the founding meeting (rapat pendirian) is submitted.
        extensions.register_formation_check("members.governance", stage_code="rapat_pendirian",
                                            check=governance_issues)
        extensions.register_cooperative_section(
            "members.board", template_name="members/partials/cooperative_members.html", context=member_section,
            order=20,
        )
