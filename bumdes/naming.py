"""
The naming rule for BUMDes (PP 11/2021, as applied by the name registration in Kemendesa's Sistem
Informasi Desa): a BUM Desa's name starts with "BUM Desa", a joint one's with "BUM Desa Bersama"; the
name ends with the name of the village; and it uses no foreign words.

A portal cannot know every foreign word, so it refuses the English words BUMDes names most often borrow
(``FOREIGN_WORDS``); the registrar decides the rest. A joint BUMDes is founded by several villages and is
"not bound by administrative borders", so its name may end with the name of any founding village, or of
the kecamatan or kabupaten/kota of its seat (e.g. "BUM Desa Bersama Mitra Sejahtera Pati").
"""

import re

from django.utils.translation import gettext as _

__all__ = ["FOREIGN_WORDS", "JOINT_PREFIX", "SINGLE_PREFIX", "bumdes_name_problems", "canonical_bumdes_name"]

SINGLE_PREFIX = "BUM Desa"
JOINT_PREFIX = "BUM Desa Bersama"

FOREIGN_WORDS = frozenset({
    "and", "bay", "beach", "center", "centre", "city", "company", "corner", "corp", "corporation", "enterprise",
    "enterprises", "family", "farm", "for", "garden", "green", "group", "hill", "holding", "house", "international",
    "lake", "land", "mall", "market", "mart", "mountain", "new", "of", "park", "point", "resort", "river", "shop",
    "smart", "square", "store", "the", "tourism", "trade", "trading", "view", "village", "water",
})

# Letters (with the accents of Indonesian spellings), digits, spaces and the punctuation of names.
_ALLOWED = re.compile(r"^[0-9A-Za-zÀ-ÿ .,'()&/-]+$")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


def _tidy(name: str) -> str:
    return " ".join((name or "").split())


def canonical_bumdes_name(name: str) -> str:
    """The name with its spacing tidied and its prefix written as the rule spells it ("bum desa" → "BUM Desa")."""
    name = _tidy(name)
    for prefix in (JOINT_PREFIX, SINGLE_PREFIX):
        if name.lower().startswith(prefix.lower() + " "):
            return prefix + name[len(prefix):]
    return name


def _ends_with(name: str, place: str) -> bool:
    name, place = name.lower().rstrip(" .,"), _tidy(place).lower()
    return bool(place) and (name == place or name.endswith(" " + place))


def bumdes_name_problems(name: str, *, joint: bool, place_names: list[str]) -> list[str]:
    """
    What is wrong with ``name`` for a BUMDes (``joint`` for a BUM Desa Bersama or Bersama LKD) whose name may
    end with one of ``place_names`` (the desa for a BUM Desa). Empty when the name follows the rule.
    """
    name = canonical_bumdes_name(name)
    problems = []
    prefix = JOINT_PREFIX if joint else SINGLE_PREFIX
    if not name.startswith(prefix + " "):
        problems.append(_("The name must start with “%(prefix)s”, e.g. “%(prefix)s Sejahtera %(place)s”.")
                        % {"prefix": prefix, "place": place_names[0] if place_names else "…"})
    elif not joint and name.startswith(JOINT_PREFIX + " "):
        problems.append(_("“BUM Desa Bersama” is the name of a BUMDes founded by several desa; a BUM Desa of one "
                          "desa starts with “BUM Desa”."))
    if not any(_ends_with(name, place) for place in place_names):
        if joint:
            problems.append(_("The name must end with the name of a founding desa or of the kecamatan or "
                              "kabupaten/kota of its seat: %(places)s.") % {"places": ", ".join(place_names)})
        else:
            problems.append(_("The name must end with the name of the desa, “%(place)s”.")
                            % {"place": place_names[0] if place_names else ""})
    if name and not _ALLOWED.match(name):
        problems.append(_("Use letters, digits, spaces and . , ' ( ) & / - only."))
    # A place keeps its official name, whatever language it looks like.
    place_words = {word for place in place_names for word in _WORD.findall(place.lower())}
    foreign = sorted({word for word in _WORD.findall(name.lower()) if word in FOREIGN_WORDS - place_words})
    if foreign:
        problems.append(_("The name may not use foreign words: %(words)s. Use the Indonesian word instead.")
                        % {"words": ", ".join(foreign)})
    return problems
