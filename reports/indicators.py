"""
The published indicators, declared once: what each counts, over which base (desa/kelurahan, desa only,
kelurahan only, or cooperatives) and with how many decimals officials publish it. Dashboards, the PDF, the
API and the exports all read them from here; docs/indicators.md lists them.

Percentages are computed from the two integers and rounded (half up) only to the indicator's precision, for
display: ``percent()`` is an exact ``Decimal`` such as ``Decimal("12.34")``, ``display()`` its Indonesian text
("12,34 %"). An area with a base of zero has no percentage (``None``; displayed as "–").
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import NumberFormat

__all__ = ["INDICATORS", "Base", "Indicator", "indicator", "operational_indicator", "percent_of"]


class Base(models.TextChoices):
    """What an indicator's percentage is taken of."""

    VILLAGES = "villages", _("desa/kelurahan")
    DESA = "desa", _("desa")
    KELURAHAN = "kelurahan", _("kelurahan")
    COOPERATIVES = "cooperatives", _("cooperatives")


def percent_of(count: int, base: int, precision: int) -> Decimal | None:
    """``count`` out of ``base`` in percent, rounded half up to ``precision`` decimals, from integers only."""
    if not base:
        return None
    scale = 10 ** precision
    scaled = (2 * 100 * scale * int(count) + base) // (2 * base)  # round half up, exactly
    return Decimal(scaled).scaleb(-precision)


def base_count(row, base: str) -> int:
    """The area's number of desa/kelurahan, desa, kelurahan or cooperatives (``row``: a reports AreaRow)."""
    if base == Base.VILLAGES:
        return row.villages
    if base == Base.DESA:
        return row.villages - row.kelurahan
    if base == Base.KELURAHAN:
        return row.kelurahan
    return row.metrics["cooperatives"]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    definition: str
    base: str  # a Base value
    precision: int  # decimals of the published percentage
    source: str
    count: Callable  # AreaRow → int

    def base_count(self, row) -> int:
        return base_count(row, self.base)

    def percent(self, row) -> Decimal | None:
        return percent_of(self.count(row), self.base_count(row), self.precision)

    def display(self, row, numbers: NumberFormat | None = None) -> str:
        """
        The percentage as officials write it in Indonesian ("4,7 %", "12,34 %"), or "–" over a base of 0;
        ``numbers``: the language's separators, when the caller writes many (else looked up).
        """
        value = self.percent(row)
        if value is None:
            return "–"
        return f"{(numbers or NumberFormat.active()).decimal_text(value, self.precision)} %"

    def base_label(self) -> str:
        return Base(self.base).label

    def as_dict(self, row) -> dict:
        value = self.percent(row)
        return {"code": self.code, "label": str(self.label), "count": self.count(row), "base": self.base,
                "base_count": self.base_count(row), "base_label": str(self.base_label()), "precision": self.precision,
                "percent": None if value is None else str(value), "display": self.display(row)}


_ROLLUP = _("Portal roll-up (reports.RegionRollup)")
_STAGES = _("Verified formation stages, or the stage marked not applicable (koperasi.StageProgress)")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("villages_with_cooperative", _("Desa/kelurahan with a cooperative"),
              _("Desa and kelurahan served by a registered cooperative; a joint cooperative covers each of its "
                "villages."), Base.VILLAGES, 1, _ROLLUP, lambda row: row.metrics["villages_covered"]),
    Indicator("desa_with_cooperative", _("Desa with a cooperative"),
              _("Desa (desa adat included) served by a registered cooperative."), Base.DESA, 1, _ROLLUP,
              lambda row: row.metrics["villages_covered"] - row.metrics["kelurahan_covered"]),
    Indicator("kelurahan_with_cooperative", _("Kelurahan with a cooperative"),
              _("Kelurahan served by a registered cooperative."), Base.KELURAHAN, 1, _ROLLUP,
              lambda row: row.metrics["kelurahan_covered"]),
    Indicator("legal_entity_villages", _("Legal entities per desa/kelurahan"),
              _("Cooperatives with their legal entity (SK AHU stage completed), over the desa/kelurahan."),
              Base.VILLAGES, 1, _STAGES, lambda row: row.legal_entity),
    Indicator("legal_entity_cooperatives", _("Cooperatives with a legal entity"),
              _("Cooperatives with their legal entity (SK AHU stage completed), over the registered cooperatives."),
              Base.COOPERATIVES, 1, _STAGES, lambda row: row.legal_entity),
    Indicator("simkopdes_cooperatives", _("Cooperatives with a SIMKOPDES account"),
              _("Cooperatives with a SIMKOPDES account: the cooperative's own SIMKOPDES field or its verified "
                "SIMKOPDES stage, whatever the order of its other milestones."),
              Base.COOPERATIVES, 2, _("Cooperative record and SIMKOPDES stage"),
              lambda row: row.metrics["simkopdes_account"]),
    Indicator("simkopdes_villages", _("SIMKOPDES accounts per desa/kelurahan"),
              _("Cooperatives with a SIMKOPDES account, over the desa/kelurahan."),
              Base.VILLAGES, 2, _("Cooperative record and SIMKOPDES stage"),
              lambda row: row.metrics["simkopdes_account"]),
    Indicator("npwp_cooperatives", _("Cooperatives with an NPWP"),
              _("Cooperatives whose NPWP stage is completed, in any order after the SK AHU."),
              Base.COOPERATIVES, 1, _STAGES, lambda row: row.stage_done("npwp")),
    Indicator("nib_cooperatives", _("Cooperatives with an NIB"),
              _("Cooperatives whose NIB stage is completed, in any order after the SK AHU."),
              Base.COOPERATIVES, 1, _STAGES, lambda row: row.stage_done("nib")),
    Indicator("bank_account_cooperatives", _("Cooperatives with a bank account"),
              _("Cooperatives whose bank account stage is completed, in any order after the SK AHU."),
              Base.COOPERATIVES, 1, _STAGES, lambda row: row.stage_done("rekening_bank")),
)

_BY_CODE = {item.code: item for item in INDICATORS}


def indicator(code: str) -> Indicator:
    return _BY_CODE[code]


def operational_indicator(k: int) -> Indicator:
    """Cooperatives with at least ``k`` of the seven mandated units operational, over the desa/kelurahan."""
    return Indicator(f"operational_{k}", _("With ≥ %(k)d units operational") % {"k": k},
                     _("Cooperatives with at least k of the seven mandated units operational."), Base.VILLAGES, 1,
                     _("Unit status (units.Unit)"), lambda row: row.operational_at_least(k))
