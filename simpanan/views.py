"""
The bendahara's savings pages of one cooperative (settings, postings with receipts, balances, arrears, SHU,
statements) and the officers' read-out of their area. Every write calls a simpanan service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.roles import Action
from core.views import ActionRequiredMixin
from core.views import int_param
from core.views import user_can
from koperasi.views import CooperativeObjectMixin
from members.models import MemberStatus

from . import selectors
from . import services
from .forms import PaymentForm
from .forms import PayoutForm
from .forms import ReversalForm
from .forms import SavingsSettingForm
from .forms import ShuForm
from .forms import SukarelaForm
from .forms import member_amounts_text
from .forms import parse_member_amounts
from .models import Posting
from .models import SavingsSetting
from .models import ShuDistribution
from .statements import statement_pdf

__all__ = [
    "AreaSavingsView",
    "ArrearsView",
    "MemberSavingsView",
    "ReceiptView",
    "SavingsOverviewView",
    "ShuDetailView",
    "ShuListView",
    "StatementPdfView",
]

PER_PAGE = 50


class SavingsMixin(CooperativeObjectMixin):
    def savings_permissions(self) -> dict:
        return {"can_manage": user_can(self.request.user, Action.MANAGE_SAVINGS, self.cooperative.village_id)}

    def require_manage(self) -> None:
        if not self.savings_permissions()["can_manage"]:
            raise PermissionDenied(_("Your role does not allow keeping this cooperative's savings."))


class SavingsOverviewView(SavingsMixin, TemplateView):
    """The savings book of a cooperative: its AD/ART amounts, totals and every member's balances."""

    template_name = "simpanan/overview.html"

    def get_context_data(self, **kwargs):
        cooperative = self.cooperative
        permissions = self.savings_permissions()
        query = self.request.GET.get("q", "").strip()
        members = selectors.member_balances(cooperative, query=query)
        if permissions["can_manage"]:
            kwargs.setdefault("setting_form", SavingsSettingForm(initial={"effective_from": timezone.localdate()}))
        return super().get_context_data(
            cooperative=cooperative, totals=selectors.cooperative_totals(cooperative),
            setting=services.setting_on(cooperative.pk, timezone.localdate()),
            settings_history=SavingsSetting.objects.filter(cooperative=cooperative)[:10],
            members_in_arrears=selectors.arrears_count(cooperative),
            page=Paginator(members, PER_PAGE).get_page(self.request.GET.get("page")), query=query,
            **permissions, **kwargs)

    def post(self, request, *args, **kwargs):
        self.require_manage()
        form = SavingsSettingForm(request.POST)
        if form.is_valid():
            ok, _setting = form.call_service(services.savings_setting_add, actor=request.user,
                                             cooperative=self.cooperative, **form.cleaned_data)
            if ok:
                messages.success(request, _("The savings amounts are recorded."))
                return redirect("simpanan:overview", pk=self.cooperative.pk)
        return self.render_to_response(self.get_context_data(setting_form=form))


class MemberSavingsView(SavingsMixin, TemplateView):
    """One member's savings: balances, open bills, the ledger with receipts, SHU; the bendahara posts here."""

    template_name = "simpanan/member.html"

    def get_member(self):
        return get_object_or_404(self.cooperative.members.all(), pk=self.kwargs["member"])

    def get_context_data(self, **kwargs):
        member = self.get_member()
        kwargs.pop("member", None)
        permissions = self.savings_permissions()
        bills = list(selectors.member_open_bills(member))
        balance = selectors.member_balance(member)
        active = member.status == MemberStatus.AKTIF
        if permissions["can_manage"]:
            if bills:
                # A member who left pays what they owed until then, dated then at the latest (services' rule).
                kwargs.setdefault("payment_form", PaymentForm(bills=bills, initial={
                    "bill": bills[0].pk, "amount": bills[0].outstanding,
                    **({} if active or not member.status_on else {"transaction_date": member.status_on})}))
            if active:  # a member who left takes their sukarela with the payout below
                kwargs.setdefault("sukarela_form", SukarelaForm())
            if not active and balance.pokok + balance.wajib + balance.sukarela > 0:
                kwargs.setdefault("payout_form", PayoutForm(initial={
                    "transaction_date": max(member.status_on or timezone.localdate(), timezone.localdate())}))
        postings = selectors.member_statement(member)
        page = Paginator(postings.order_by("-transaction_date", "-id"), PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            cooperative=self.cooperative, member=member, balance=balance, bills=bills,
            page=page, reversed_ids=selectors.reversed_ids(page.object_list),
            shu_lines=selectors.member_shu_lines(member), **permissions, **kwargs)

    def post(self, request, *args, **kwargs):
        self.require_manage()
        member = self.get_member()
        operation = request.POST.get("operation")
        if operation == "pay":
            bills = list(selectors.member_open_bills(member))
            form = PaymentForm(request.POST, bills=bills)
            context_name = "payment_form"
            if form.is_valid():
                bill = next(bill for bill in bills if bill.pk == form.cleaned_data["bill"])
                ok, posting = form.call_service(
                    services.bill_pay, actor=request.user, bill=bill, amount=form.cleaned_data["amount"],
                    transaction_date=form.cleaned_data["transaction_date"], reference=form.cleaned_data["reference"],
                    submission_key=form.cleaned_data["submission"])
                if ok:
                    return self._posted(posting)
        elif operation == "sukarela":
            form = SukarelaForm(request.POST)
            context_name = "sukarela_form"
            if form.is_valid():
                service = (services.sukarela_deposit if form.cleaned_data["direction"] == "deposit"
                           else services.sukarela_withdraw)
                ok, posting = form.call_service(
                    service, actor=request.user, member=member, amount=form.cleaned_data["amount"],
                    transaction_date=form.cleaned_data["transaction_date"], reference=form.cleaned_data["reference"],
                    submission_key=form.cleaned_data["submission"])
                if ok:
                    return self._posted(posting)
        elif operation == "payout":
            form = PayoutForm(request.POST)
            context_name = "payout_form"
            if form.is_valid():
                ok, postings = form.call_service(
                    services.savings_payout, actor=request.user, member=member,
                    transaction_date=form.cleaned_data["transaction_date"], reference=form.cleaned_data["reference"],
                    submission_key=form.cleaned_data["submission"])
                if ok:
                    receipts = ", ".join(posting.receipt_number for posting in postings)
                    messages.success(request, _("Paid out with receipts %(numbers)s.") % {"numbers": receipts})
                    return redirect("simpanan:member", pk=self.cooperative.pk, member=member.pk)
        elif operation == "reverse":
            form = ReversalForm(request.POST)
            if form.is_valid():
                posting = get_object_or_404(Posting, pk=form.cleaned_data["posting"], member=member)
                try:
                    reversal = services.posting_reverse(actor=request.user, posting=posting,
                                                        reason=form.cleaned_data["reason"])
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    return self._posted(reversal)
            else:
                messages.error(request, _("Say why the posting is reversed."))
            return redirect("simpanan:member", pk=self.cooperative.pk, member=member.pk)
        else:
            return redirect("simpanan:member", pk=self.cooperative.pk, member=member.pk)
        return self.render_to_response(self.get_context_data(**{context_name: form}))

    def _posted(self, posting):
        if getattr(posting, "repeated", False):
            messages.info(self.request, _("This form was already sent and posted with receipt %(number)s; it was not "
                                          "posted again.") % {"number": posting.receipt_number})
        else:
            messages.success(self.request, _("Posted with receipt %(number)s.") % {"number": posting.receipt_number})
        return redirect("simpanan:receipt", pk=self.cooperative.pk, posting=posting.pk)


class ReceiptView(SavingsMixin, TemplateView):
    """The receipt (kwitansi) of one posting, to show or print for the member."""

    template_name = "simpanan/receipt.html"

    def get_context_data(self, **kwargs):
        posting = get_object_or_404(
            Posting.objects.filter(cooperative=self.cooperative).select_related("member", "bill", "recorded_by",
                                                                               "reverses"),
            pk=self.kwargs["posting"])
        kwargs.pop("posting", None)
        return super().get_context_data(cooperative=self.cooperative, posting=posting, **kwargs)


class ArrearsView(SavingsMixin, TemplateView):
    """Members with unpaid simpanan wajib: periods in arrears and the amount, most periods first."""

    template_name = "simpanan/arrears.html"

    def get_context_data(self, **kwargs):
        page_number = int_param(self.request, "page", 1, 1, 100_000)
        rows = selectors.arrears_for(self.cooperative, limit=PER_PAGE + 1, offset=(page_number - 1) * PER_PAGE)
        return super().get_context_data(
            cooperative=self.cooperative, rows=rows[:PER_PAGE], has_next=len(rows) > PER_PAGE,
            page_number=page_number, totals=selectors.cooperative_totals(self.cooperative),
            members_in_arrears=selectors.arrears_count(self.cooperative), **kwargs)


class StatementPdfView(SavingsMixin, View):
    """A member's savings statement as PDF (balances, every posting of the period, SHU), built on request."""

    def get(self, request, *args, **kwargs):
        member = get_object_or_404(self.cooperative.members.all(), pk=kwargs["member"])
        pdf = statement_pdf(user=request.user, cooperative=self.cooperative, member=member)
        response = HttpResponse(pdf, content_type="application/pdf")
        number = member.member_number or member.pk
        response["Content-Disposition"] = f'inline; filename="rekening-simpanan-{number}.pdf"'
        return response


class ShuListView(SavingsMixin, TemplateView):
    """The SHU of each closed year, and the first step of the wizard: the surplus and the AD/ART shares."""

    template_name = "simpanan/shu_list.html"

    def get_context_data(self, **kwargs):
        permissions = self.savings_permissions()
        if permissions["can_manage"]:
            kwargs.setdefault("form", ShuForm(initial={
                "year": timezone.localdate().year - 1, "jasa_modal_percent": 20, "jasa_usaha_percent": 25,
                "other_allocations": "cadangan = 40\ndana pengurus dan pengawas = 5\ndana pendidikan = 5\n"
                                     "dana sosial = 5"}))
        return super().get_context_data(
            cooperative=self.cooperative,
            distributions=ShuDistribution.objects.filter(cooperative=self.cooperative).order_by("-year"),
            **permissions, **kwargs)

    def post(self, request, *args, **kwargs):
        self.require_manage()
        form = ShuForm(request.POST)
        if form.is_valid():
            ok, distribution = form.call_service(
                services.shu_distribution_create, actor=request.user, cooperative=self.cooperative,
                year=form.cleaned_data["year"], surplus=form.cleaned_data["surplus"],
                jasa_modal_bp=form.basis_points("jasa_modal_percent"),
                jasa_usaha_bp=form.basis_points("jasa_usaha_percent"),
                other_allocations=form.cleaned_data["other_allocations"])
            if ok:
                messages.success(request, _("The SHU is computed as a draft: check the members' shares."))
                return redirect("simpanan:shu", pk=self.cooperative.pk, year=distribution.year)
        return self.render_to_response(self.get_context_data(form=form))


class ShuDetailView(SavingsMixin, TemplateView):
    """A year's SHU: allocations and members' shares; enter transactions, mark reviewed, post to sukarela."""

    template_name = "simpanan/shu_detail.html"

    def get_distribution(self):
        return get_object_or_404(ShuDistribution, cooperative=self.cooperative, year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        distribution = self.get_distribution()
        lines = distribution.lines.select_related("member").order_by("member__name")
        kwargs.setdefault("transactions_text", member_amounts_text(lines.order_by("member__member_number")))
        return super().get_context_data(
            cooperative=self.cooperative, distribution=distribution,
            page=Paginator(lines, 100).get_page(self.request.GET.get("page")),
            allocations=selectors.shu_allocations(distribution), **self.savings_permissions(), **kwargs)

    def post(self, request, *args, **kwargs):
        self.require_manage()
        distribution = self.get_distribution()
        operation = request.POST.get("operation")
        try:
            if operation == "transactions":
                typed = request.POST.get("transactions", "")
                try:
                    transactions = parse_member_amounts(self.cooperative, typed)
                    services.shu_transactions_set(actor=request.user, distribution=distribution,
                                                  transactions=transactions)
                except ValidationError as error:  # shown again with what was typed, to correct one line
                    messages.error(request, " ".join(error.messages))
                    return self.render_to_response(self.get_context_data(transactions_text=typed))
                messages.success(request, _("Transactions recorded; the shares are computed again."))
            elif operation == "review":
                services.shu_review(actor=request.user, distribution=distribution)
                messages.success(request, _("The SHU is marked reviewed."))
            elif operation == "post":
                count = services.shu_post(actor=request.user, distribution=distribution)
                messages.success(request, _("SHU posted to the simpanan sukarela of %(count)s members.") % {
                    "count": count})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("simpanan:shu", pk=self.cooperative.pk, year=distribution.year)


class AreaSavingsView(ActionRequiredMixin, TemplateView):
    """Officers: the savings totals and arrears of the cooperatives in their area, most arrears first."""

    template_name = "simpanan/area.html"

    def get_context_data(self, **kwargs):
        rows = selectors.area_cooperatives(self.request.user)
        return super().get_context_data(
            totals=selectors.totals_within(self.request.user),
            page=Paginator(rows, PER_PAGE).get_page(self.request.GET.get("page")), **kwargs)
