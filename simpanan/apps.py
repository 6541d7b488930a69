from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimpananConfig(AppConfig):
    name = "simpanan"
    verbose_name = _("Savings and SHU")

    def ready(self):
        # What savings add to the cooperative page, and the pokok bill of a member admitted one by one.
        from django.db.models.signals import post_save
        from django.db.models.signals import pre_delete

        from koperasi import extensions
        from members import extensions as member_extensions
        from members.models import Member

        from .models import Bill
        from .receivers import bill_deleted
        from .receivers import bill_pokok_on_admission
        from .selectors import savings_section
        from .services import bills_follow_status
        from .services import savings_before

        extensions.register_cooperative_section(
            "simpanan.savings", template_name="simpanan/partials/cooperative_savings.html",
            context=savings_section, order=25,
        )
        post_save.connect(bill_pokok_on_admission, sender=Member, dispatch_uid="simpanan.bill_pokok_on_admission")
        pre_delete.connect(bill_deleted, sender=Bill, dispatch_uid="simpanan.bill_deleted")
        member_extensions.register_joining_date_check("simpanan.savings_before", savings_before)
        member_extensions.register_status_change("simpanan.bills_follow_status", bills_follow_status)
