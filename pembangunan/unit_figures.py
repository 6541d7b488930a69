"""The one or two figures natural to each unit type in its monthly report, besides revenue and costs."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

__all__ = ["FIGURE_MAX", "UNIT_FIGURES", "Figure", "figures_for"]

# Bounds of a figure: a typing error (an extra zero row of zeros) is refused, not summed into the dashboards.
FIGURE_MAX = 10**13


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    rupiah: bool = False


UNIT_FIGURES: dict[str, tuple[Figure, ...]] = {
    "gerai_sembako": (Figure("transactions", _("Transactions")),),
    "klinik": (Figure("patients", _("Patients")),),
    "apotek": (Figure("prescriptions", _("Prescriptions")),),
    "simpan_pinjam": (Figure("loans_outstanding", _("Loans outstanding (Rp)"), rupiah=True),
                      Figure("arrears", _("Arrears (Rp)"), rupiah=True)),
    "pergudangan": (Figure("stored_tonnes", _("Stored (tonnes)")),),
    "logistik": (Figure("deliveries", _("Deliveries")),),
    "kantor": (),
}


def figures_for(unit_type_code: str | None) -> tuple[Figure, ...]:
    return UNIT_FIGURES.get(unit_type_code or "", ())
