"""Reads: BUMDes, federations, their members, sites, figures and agreements, always from the user's scope."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models import Q
from django.db.models import Sum
from django.utils import timezone

from core.roles import Action
from koperasi.models import Cooperative
from wilayah.models import Region

from .filtersets import AgreementFilterSet
from .filtersets import BumdesFilterSet
from .filtersets import BusinessSiteFilterSet
from .filtersets import FederationFilterSet
from .models import Bumdes
from .models import BusinessSite
from .models import CooperationAgreement
from .models import Federation
from .models import FederationCooperative
from .models import FederationVillage
from .models import SiteFigure
from .models import SiteStatus

__all__ = [
    "CapitalShare",
    "agreement_filter",
    "agreement_section",
    "agreements_of",
    "bumdes_filter",
    "capital_shares",
    "federation_family",
    "federation_filter",
    "federation_memberships",
    "member_village_codes",
    "member_village_filter",
    "site_figures",
    "site_filter",
    "site_status_counts",
]


def _current(queryset, day: date):
    return queryset.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


def member_village_codes(federation_ids, day: date) -> set[str]:
    """
    The villages that are members of any of the federations on ``day``: member villages, and the seats of
    member cooperatives. The scoping resolver (registered in apps.py): two indexed queries per request.
    """
    ids = sorted(federation_ids)
    villages = _current(FederationVillage.objects.filter(federation_id__in=ids), day).values_list("village_id",
                                                                                                  flat=True)
    cooperatives = _current(FederationCooperative.objects.filter(federation_id__in=ids), day).values_list(
        "cooperative__village_id", flat=True)
    return set(villages) | set(cooperatives)


def member_village_filter(path: str, federation_ids, day: date) -> Q:
    """The same members as ``member_village_codes``, as a filter on the region code field ``path`` (subqueries)."""
    ids = sorted(federation_ids)
    villages = _current(FederationVillage.objects.filter(federation_id__in=ids), day).order_by().values("village_id")
    cooperatives = _current(FederationCooperative.objects.filter(federation_id__in=ids), day).order_by().values(
        "cooperative__village_id")
    # One subquery (a UNION), which PostgreSQL joins against the index; two ORed IN subqueries scan the table.
    return Q(**{f"{path}__in": villages.union(cooperatives)})


def federation_family(federation_ids) -> set[int]:
    """The federations and the companies they own: a role on a BUM Desa Bersama reaches its PT too."""
    ids = set(federation_ids)
    return ids | set(Federation.objects.filter(parent_id__in=sorted(ids)).values_list("pk", flat=True))


def bumdes_filter(*, user, filters: dict | None = None) -> BumdesFilterSet:
    queryset = (Bumdes.objects.for_user(user, Action.VIEW).select_related("village__parent")
                .annotate(village_count=Count("villages"), total_capital=Sum("villages__capital")))
    return BumdesFilterSet(filters or {}, queryset, user=user)


def federation_filter(*, user, filters: dict | None = None) -> FederationFilterSet:
    today = timezone.localdate()
    members = Count("member_villages", filter=Q(member_villages__joined_on__lte=today)
                    & (Q(member_villages__left_on__isnull=True) | Q(member_villages__left_on__gt=today)),
                    distinct=True)
    queryset = (Federation.objects.for_user(user, Action.VIEW).select_related("seat__parent", "bumdes", "parent")
                .annotate(member_count=members,
                          operating_sites=Count("sites", filter=Q(sites__status=SiteStatus.OPERATING), distinct=True)))
    return FederationFilterSet(filters or {}, queryset, user=user)


def site_filter(*, user, filters: dict | None = None, federation: Federation | None = None) -> BusinessSiteFilterSet:
    queryset = BusinessSite.objects.for_user(user, Action.VIEW).select_related("village__parent", "federation")
    if federation is not None:
        queryset = queryset.filter(federation=federation)
    return BusinessSiteFilterSet(filters or {}, queryset, user=user)


def agreement_filter(*, user, filters: dict | None = None) -> AgreementFilterSet:
    queryset = CooperationAgreement.objects.for_user(user, Action.VIEW).select_related(
        "cooperative__village", "bumdes", "federation")
    return AgreementFilterSet(filters or {}, queryset, user=user)


def with_links(user, agreements) -> list[CooperationAgreement]:
    """
    The agreements, each knowing whether its cooperative's page (``cooperative_opens``) and its partner's
    (``partner_opens``) open for ``user``: a page lists both sides by name, and links only where no 404 waits.
    """
    agreements = list(agreements)
    cooperatives = set(Cooperative.objects.for_user(user).filter(
        pk__in={agreement.cooperative_id for agreement in agreements}).values_list("pk", flat=True))
    bumdes = set(Bumdes.objects.for_user(user).filter(
        pk__in={agreement.bumdes_id for agreement in agreements if agreement.bumdes_id}).values_list("pk", flat=True))
    federations = set(Federation.objects.for_user(user).filter(
        pk__in={agreement.federation_id for agreement in agreements if agreement.federation_id})
        .values_list("pk", flat=True))
    for agreement in agreements:
        agreement.cooperative_opens = agreement.cooperative_id in cooperatives
        agreement.partner_opens = (agreement.bumdes_id in bumdes if agreement.bumdes_id
                                   else agreement.federation_id in federations)
    return agreements


def agreements_of(*, user, cooperative=None, bumdes=None, federation=None):
    """The agreements of one side that the user may see, newest first."""
    queryset = CooperationAgreement.objects.for_user(user, Action.VIEW).select_related(
        "cooperative", "bumdes", "federation")
    if cooperative is not None:
        queryset = queryset.filter(cooperative=cooperative)
    if bumdes is not None:
        queryset = queryset.filter(bumdes=bumdes)
    if federation is not None:
        queryset = queryset.filter(federation=federation)
    return with_links(user, queryset.order_by("-starts_on", "-created_at"))


def agreement_section(cooperative: Cooperative, user) -> dict:
    """
    The cooperative page's card. The page itself is in the user's scope, and whoever sees a cooperative sees
    its agreements (the cooperative is one side of each).
    """
    agreements = cooperative.agreements.select_related("bumdes", "federation").order_by("-starts_on")[:20]
    return {"agreements": with_links(user, agreements), "cooperative": cooperative}


def federation_memberships(federation: Federation, *, day: date | None = None, current_only: bool = False):
    """The member villages (with their kecamatan) and cooperatives, each period a row, by village code."""
    day = day or timezone.localdate()
    villages = federation.member_villages.select_related("village__parent__parent")
    cooperatives = federation.member_cooperatives.select_related("cooperative__village")
    if current_only:
        villages, cooperatives = _current(villages, day), _current(cooperatives, day)
    return villages.order_by("village_id", "joined_on"), cooperatives.order_by("cooperative__village_id", "joined_on")


@dataclass(frozen=True)
class CapitalShare:
    code: str
    name: str
    capital: int
    percent: float


def capital_shares(federation: Federation, *, day: date | None = None,
                   limit: int | None = None) -> tuple[int, list[CapitalShare]]:
    """
    Capital put in by today's member villages: the total, and each village's capital with its share of it,
    largest first (the first ``limit`` of them; summed and sorted by the database).
    """
    current = _current(federation.member_villages.all(), day or timezone.localdate())
    total = current.aggregate(total=Sum("capital"))["total"] or 0
    rows = current.order_by("-capital", "village_id").values_list("village_id", "capital")
    rows = list(rows[:limit] if limit else rows)
    # The names of the rows shown only: joining the region to every member before the sort costs more.
    names = dict(Region.objects.filter(code__in=[code for code, _capital in rows]).values_list("code", "name"))
    return total, [CapitalShare(code, names.get(code, code), capital, round(100 * capital / total, 2) if total else 0.0)
                   for code, capital in rows]


def site_status_counts(federation: Federation) -> dict[str, int]:
    counts = dict.fromkeys(SiteStatus.values, 0)
    counts.update(dict(federation.sites.values_list("status").annotate(n=Count("pk")).values_list("status", "n")))
    return counts


def site_figures(site: BusinessSite, *, months: int = 24) -> list[SiteFigure]:
    """The site's last ``months`` recorded months, oldest first (for a table or a chart)."""
    return list(reversed(site.figures.order_by("-month")[:months]))
