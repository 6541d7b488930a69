"""Read queries over the region tree. Every one starts from the caller's scope."""

import re

from django.db.models import Case
from django.db.models import IntegerField
from django.db.models import Value
from django.db.models import When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.roles import Action
from core.scoping import scope_for

from .filtersets import RegionFilterSet
from .models import Region
from .models import RegionKind
from .models import RegionLevel

__all__ = [
    "region_ancestors",
    "region_choice_label",
    "region_label",
    "region_list",
    "region_scope_roots",
    "region_suggestions",
    "typed_region_code",
    "typed_region_name",
    "within_typed_context",
]


def region_list(*, user, filters: dict | None = None):
    """Regions ``user`` may see, narrowed by ``RegionFilterSet`` filters."""
    queryset = Region.objects.for_user(user, Action.VIEW)
    return RegionFilterSet(filters or {}, queryset).qs


def region_scope_roots(*, user) -> list[Region]:
    """Where the user's region browsing starts: the provinces for national scope, else their own regions."""
    scope = scope_for(user, Action.VIEW)
    if scope.everything:
        return list(Region.objects.filter(level=RegionLevel.PROVINCE))
    return list(Region.objects.filter(code__in=scope.roots))


def region_ancestors(region: Region) -> list[Region]:
    """The chain from the province down to the parent (one query)."""
    return list(Region.objects.filter(code__in=region.ancestor_codes).order_by("code"))


# SECTION: finding a region by what people type


_KIND_PREFIX = {RegionKind.DESA: gettext_lazy("Desa"), RegionKind.KELURAHAN: gettext_lazy("Kelurahan"),
                RegionKind.DESA_ADAT: gettext_lazy("Desa adat")}
# What people put before a name; dropped before matching ("Desa Kunir", "Kec. Sukolilo", "Kab. Pati").
_TYPED_PREFIXES = (
    ("desa adat ", RegionLevel.VILLAGE), ("desa ", RegionLevel.VILLAGE), ("kelurahan ", RegionLevel.VILLAGE),
    ("kel. ", RegionLevel.VILLAGE), ("kecamatan ", RegionLevel.DISTRICT), ("kec. ", RegionLevel.DISTRICT),
    ("kab. ", RegionLevel.REGENCY), ("kabupaten ", RegionLevel.REGENCY),
)  # not "Kota": desa are called Kota Baru too, and a kota's own name starts with the word
_CODE_AT_END = re.compile(r"\((\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)\)\s*$")
_CODE_ALONE = re.compile(r"^(\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)(?:\s|$)")


def _short_regency(name: str) -> str:
    return name.replace("Kabupaten ", "Kab. ", 1)


def region_label(region: Region) -> str:
    """
    How a region is shown wherever one is picked or listed: "Desa Kunir — Kec. Wonodadi, Kab. Blitar",
    "Kec. Sukolilo — Kab. Pati", "Kab. Pati — Jawa Tengah". Reads ``parent`` and ``parent.parent``:
    select them with ``select_related("parent__parent")``.
    """
    parent = region.parent
    if region.level == RegionLevel.VILLAGE:
        own = f"{_KIND_PREFIX.get(region.kind, _('Desa'))} {region.name}"
        where = [f"{_('Kec.')} {parent.name}", _short_regency(parent.parent.name)] if parent and parent.parent else []
    elif region.level == RegionLevel.DISTRICT:
        own = f"{_('Kec.')} {region.name}"
        where = [_short_regency(parent.name)] if parent else []
    elif region.level == RegionLevel.REGENCY:
        own, where = _short_regency(region.name), [parent.name] if parent else []
    else:
        own, where = region.name, []
    return f"{own} — {', '.join(where)}" if where else own


def region_choice_label(region: Region) -> str:
    """The label with the code, as a suggestion's value: picking it names exactly one region."""
    return f"{region_label(region)} ({region.code})"


def typed_region_code(text: str) -> str | None:
    """The Kemendagri code in what was typed: a code alone, first ("33.18 Pati") or in brackets at the end."""
    text = (text or "").strip()
    found = _CODE_AT_END.search(text) or _CODE_ALONE.match(text)
    return found.group(1) if found else None


def typed_region_name(text: str) -> tuple[str, str | None, str]:
    """
    What was typed, split: the name without "Desa"/"Kec."/"Kab." and the like, the level such a word
    names (None without one), and what followed the dash ("— Kec. Wonodadi, Kab. Blitar").
    """
    text = " ".join((text or "").split())
    name, _dash, context = text.partition(" — ")
    name = name.strip()
    lowered = name.lower()
    for prefix, level in _TYPED_PREFIXES:
        if lowered.startswith(prefix):
            name = name[len(prefix):]
            if prefix == "kab. ":
                name = "Kabupaten " + name
            elif prefix == "kabupaten ":
                name = text.partition(" — ")[0].strip()  # regency names carry the word: "Kabupaten Pati"
            return name.strip(), level, context.strip()
    return name, None, context.strip()


def within_typed_context(regions, context: str):
    """
    Narrow ``regions`` by what followed the dash in a typed label ("Kec. Wonodadi, Kab. Blitar"): its parts
    name the parent, then the grandparent. Done in the database, so that a name shared by dozens of desa
    (Mekarsari) is still found once its kecamatan is given.
    """
    lookups = ("parent__name__iexact", "parent__parent__name__iexact")
    for lookup, part in zip(lookups, [part.strip() for part in context.split(",") if part.strip()], strict=False):
        lowered = part.lower()
        if lowered.startswith("kec. "):
            part = part[len("kec. "):]
        elif lowered.startswith("kab. "):
            part = "Kabupaten " + part[len("kab. "):]
        regions = regions.filter(**{lookup: part})
    return regions


def region_suggestions(regions, text: str, limit: int = 20) -> list[Region]:
    """
    Regions among ``regions`` matching what was typed: a code prefix, or a part of the name (whole
    names first, then names starting with the text, then the rest), each with its parents for the label.
    """
    regions = regions.select_related("parent__parent")
    text = (text or "").strip()
    code = typed_region_code(text) or (text.split()[0] if text[:1].isdigit() else None)  # "33.18.01.20": a prefix
    if code:
        return list(regions.filter(code__startswith=code).order_by("code")[:limit])
    name, level, context = typed_region_name(text)
    if len(name) < 2:
        return []
    if level:
        regions = regions.filter(level=level)
    if context:
        regions = within_typed_context(regions, context)
    matches = regions.filter(name__icontains=name).annotate(
        rank=Case(When(name__iexact=name, then=Value(0)), When(name__istartswith=name, then=Value(1)),
                  default=Value(2), output_field=IntegerField()),
    )
    return list(matches.order_by("rank", "name", "code")[:limit])
