"""
Importing members' opening savings balances (simpanan pokok, wajib, sukarela as on a date), brought in from
paper or another system. A row is keyed by the member's NIK within the cooperative; each amount is posted
through ``simpanan.services.opening_balance_post``, which posts an opening balance once (the same amount
again changes nothing; a different one is refused, a posted balance being corrected by a reversal). Rows
are checked by posting them in a savepoint, so the dry run is the same run rolled back.
"""


from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import whole_rupiah
from members.models import Member
from simpanan.models import EntryType
from simpanan.models import Posting
from simpanan.models import SavingsKind
from simpanan.services import opening_balance_post

from .kinds import NEW
from .kinds import UNCHANGED
from .kinds import ImportKindBase
from .kinds import RowOutcome
from .kinds import register_import_kind
from .readers import Column
from .readers import parse_date_cell
from .readers import text_cell

__all__ = ["BalanceImport", "parse_rupiah"]

_AMOUNT_COLUMNS = {"pokok": SavingsKind.POKOK, "wajib": SavingsKind.WAJIB, "sukarela": SavingsKind.SUKARELA}
def parse_rupiah(value) -> int | None:
    """Whole rupiah from a cell (``core.formatting.whole_rupiah`` for text): None when empty; ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    return whole_rupiah(str(value))


@register_import_kind
class BalanceImport(ImportKindBase):
    kind = "saldo_awal"
    order = 20
    label = gettext_lazy("Opening savings balances")
    writes_in_dry_run = True
    columns = (
        Column("nik", "NIK", gettext_lazy("The member's NIK; the member must be in the register (import the members "
                                          "first)."), "3318014507900001", required=True, masked=True),
        Column("name", "Nama", gettext_lazy("For your own check; not imported."), "Siti Aminah"),
        Column("pokok", "Simpanan pokok", gettext_lazy("Balance in whole rupiah, e.g. 100000 or 100.000; empty or "
                                                       "0: none."), "100000"),
        Column("wajib", "Simpanan wajib", gettext_lazy("Balance in whole rupiah."), "240000"),
        Column("sukarela", "Simpanan sukarela", gettext_lazy("Balance in whole rupiah."), "50000"),
        Column("as_of", "Per tanggal", gettext_lazy("The date of the balances (12/06/2025 or 2025-06-12); not in "
                                                    "the future."), "31/12/2025", required=True),
        Column("reference", "Referensi", gettext_lazy("E.g. the page of the paper ledger (optional)."),
               "Buku simpanan hal. 12"),
    )

    def start(self) -> None:
        cooperative = self.job.cooperative
        self.members = dict(Member.objects.filter(cooperative=cooperative).values_list("nik", "pk"))
        self.posted = {
            (member, kind): amount
            for member, kind, amount in Posting.objects.filter(
                cooperative=cooperative, entry_type=EntryType.OPENING, reversed_by__isnull=True)
            .values_list("member_id", "kind", "amount")
        }
        self.seen: dict[str, int] = {}
        self.today = timezone.localdate()

    def check(self, number: int, values: dict) -> RowOutcome:
        errors: dict[str, list[str]] = {}
        nik = "".join(text_cell(values.get("nik")).split())
        member_id = self.members.get(nik)
        if member_id is None:
            errors["nik"] = [_("No member with this NIK in the cooperative's register; import the members first.")]
        elif nik in self.seen:
            errors["nik"] = [_("This NIK is already on row %(row)d of the file.") % {"row": self.seen[nik]}]
        else:
            self.seen[nik] = number
        try:
            as_of = parse_date_cell(values.get("as_of"))
        except ValueError:
            as_of = None
            errors["as_of"] = [_("Write the date as 12/06/1990 (day/month/year) or 1990-06-12.")]
        else:
            if as_of is None:
                errors["as_of"] = [_("Enter the date of the balances.")]
        amounts = {}
        for column, kind in _AMOUNT_COLUMNS.items():
            try:
                amount = parse_rupiah(values.get(column))
            except ValueError:
                errors[column] = [_("Write an amount in whole rupiah, e.g. 150000 or 150.000.")]
                continue
            if amount:
                amounts[kind] = amount
        if not amounts and not errors:
            errors["pokok"] = [_("The row has no balance; fill in at least one amount.")]
        if errors:
            return RowOutcome.failed(errors)
        reference = text_cell(values.get("reference"))[:100]
        outcome = UNCHANGED
        try:
            with transaction.atomic():
                for kind, amount in amounts.items():
                    if self.posted.get((member_id, kind)) == amount:
                        continue  # posted before with this amount: nothing to do
                    try:
                        opening_balance_post(member=Member(pk=member_id), kind=kind, amount=amount, as_of=as_of,
                                             actor=self.actor, reference=reference)
                    except ValidationError as error:
                        column = next(key for key, value in _AMOUNT_COLUMNS.items() if value == kind)
                        if not hasattr(error, "error_dict"):
                            raise ValidationError({column: error.messages}) from None
                        raise ValidationError({key if key in ("as_of", "reference") else column: messages
                                               for key, messages in error.message_dict.items()}) from None
                    outcome = NEW
        except ValidationError as error:
            return RowOutcome.failed(error.message_dict)
        except PermissionDenied as error:
            return RowOutcome.failed({"nik": [str(error)]})
        return RowOutcome(outcome)
