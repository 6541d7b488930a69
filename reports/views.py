"""Dashboards (drill-down, map, burn-up, unit matrix, who has not updated) and background exports."""

import dataclasses
import functools
import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from django.views.generic import TemplateView

from bumdes.models import SiteStatus
from core.after_response import after_response
from core.csrf import csrf_token
from core.release import release_id
from core.roles import Action
from core.scoping import scope_for
from core.shell import filled
from core.shell import placeholder_pieces
from core.shell import render_with_shell
from core.storage import private_file_response
from core.versions import cached_with_version
from core.views import ActionRequiredMixin
from core.views import int_param
from wilayah.models import Region

from . import services
from .extensions import dashboard_parameters
from .extensions import dashboard_sections
from .forms import AsOfForm
from .forms import LetterheadForm
from .metrics import NATION
from .models import ExportJob
from .models import ExportStatus
from .selectors import NOT_UPDATED_COUNT_LIMIT
from .selectors import NoSnapshot
from .selectors import breadcrumbs
from .selectors import dashboard
from .selectors import federation_board
from .selectors import freshness
from .selectors import letterhead_for
from .selectors import map_values
from .selectors import not_updated
from .selectors import not_updated_head
from .selectors import status_labels

__all__ = ["DashboardView", "ExportDownloadView", "ExportJobView", "ExportRequestView", "NotUpdatedView"]

# Small parts of a page filled in per request, each drawn once per language, time zone and values and kept in this
# process (in UTF-8, as the page is put together), the least recently used dropped first: the freshness line changes
# about once a second, the breadcrumbs with the area and who asks, while every dashboard request shows them.
_parts_drawn: OrderedDict[tuple, bytes] = OrderedDict()
_parts_lock = threading.Lock()
MOST_PARTS_DRAWN = 4096


def _drawn_once(values: tuple, template_name: str, context: dict) -> bytes:
    key = (template_name, get_language(), timezone.get_current_timezone_name(), *values)
    with _parts_lock:
        part = _parts_drawn.get(key)
        if part is not None:
            _parts_drawn.move_to_end(key)
            return part
    part = render_to_string(template_name, context).encode()
    with _parts_lock:
        _parts_drawn[key] = part
        while len(_parts_drawn) > MOST_PARTS_DRAWN:
            _parts_drawn.popitem(last=False)
    return part


def freshness_line(current) -> bytes:
    """The rendered freshness line for ``current`` (a ``Freshness``), drawn once per state and language."""
    # Not dataclasses.astuple: it deep-copies every value, on every request.
    return _drawn_once(tuple(getattr(current, field.name) for field in dataclasses.fields(current)),
                       "reports/partials/freshness.html", {"freshness": current})


def breadcrumbs_nav(crumbs: list[tuple[str, str, bool]], title: str) -> bytes:
    """The breadcrumbs above a dashboard: links up to the areas the reader may open, grey text for the others."""
    crumbs = tuple(crumbs)
    return _drawn_once((crumbs, title), "reports/partials/breadcrumbs.html", {"crumbs": crumbs, "title": title})


SORT_KEYS = {
    "name": lambda row, k: row.name,
    "villages": lambda row, k: row.villages,
    "cooperatives": lambda row, k: row.cooperatives,
    "registered": lambda row, k: row.registered_percent,
    "legal": lambda row, k: row.legal_entity_percent,
    "operational": lambda row, k: row.operational_percent(k),
    "members": lambda row, k: row.members,
    "visits": lambda row, k: row.visits_30d,
    "stalled": lambda row, k: row.stalled,
    "awaiting": lambda row, k: row.awaiting_review,
}
NOT_UPDATED_DAYS = 30
NOT_UPDATED_SHOWN = 10  # on the dashboard's follow-up card
LIST_FILTERS = {
    "cooperatives": ("q", "region", "stage", "formation_model", "kind", "completed", "stalled", "unit_type",
                     "unit_status"),
    "queue": ("region", "stage", "waiting"),
    "federation_members": ("federation",),
    "federation_report": ("federation",),
}
PAGE_PARAMETERS = ("k", "sort", "dir", "as_of")  # and those of the cards other apps add (dashboard_parameters)
# Filled in per request in cached dashboard content (in one pass: what one inserts is never read for another). The
# same in every process (the content is shared through Redis), but not guessable: a name someone typed (a
# cooperative's, a target's) cannot match one and have the reader's token or the breadcrumbs written in its place.
_PLACEHOLDER_MARK = hashlib.sha256(f"dashboard placeholders {settings.SECRET_KEY}".encode()).hexdigest()[:16]
CSRF_PLACEHOLDER = f"__dashboard_{_PLACEHOLDER_MARK}_csrf_token__"
FRESHNESS_PLACEHOLDER = f"__dashboard_{_PLACEHOLDER_MARK}_freshness__"
BREADCRUMBS_PLACEHOLDER = f"__dashboard_{_PLACEHOLDER_MARK}_breadcrumbs__"
LETTERHEAD_PLACEHOLDER = f"__dashboard_{_PLACEHOLDER_MARK}_letterhead__"
PER_REQUEST_PLACEHOLDERS = re.compile("|".join(re.escape(placeholder) for placeholder in (
    CSRF_PLACEHOLDER, FRESHNESS_PLACEHOLDER, BREADCRUMBS_PLACEHOLDER, LETTERHEAD_PLACEHOLDER)))
# While one request draws a page again, the others get its previous drawing; after this long (the drawing
# request died) another may try.
DRAWING_SUFFIX = ":drawing"
DRAWING_LOCK_SECONDS = 10
# When the page was last served, by any process (time.time()): a page served less than a refresh floor ago is
# busy, and is drawn again after the response (DashboardView._page). Kept in the cache, not per process: a
# worker just started (gunicorn's max_requests renews each every few minutes at full load) knows every page.
SERVED_SUFFIX = ":served"
# The shape of a kept drawing (its keys, the pieces of its body): part of the cache key, so that a release that
# changes it never reads the previous release's drawings, even where PORTAL_RELEASE is pinned to one value. Raise
# it with the shape (a test holds the two together).
DRAWING_FORMAT = "2"


def refresh_floor(*, busy: bool) -> int:
    """
    How long a changed page's drawing is still served before it is drawn again: DASHBOARD_REFRESH_FLOOR_SECONDS, or
    for a busy page DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS when that is longer. A deployment may let the pages being
    read (the nation, the provinces, a kabupaten in a meeting) lag further behind, since each is drawn again after
    every floor while the whole country writes, while a page nobody opened for the shorter floor is drawn for its
    visitor after that one. The busy floor is held to half DASHBOARD_CACHE_SECONDS: a busy page is drawn after a
    response only while its drawing is less than two floors old and still kept, else its reader would wait for it.
    """
    floor = settings.DASHBOARD_REFRESH_FLOOR_SECONDS
    if not busy:
        return floor
    return max(floor, min(settings.DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS, settings.DASHBOARD_CACHE_SECONDS // 2))


def sort_columns(k: int) -> list[tuple[str, str]]:
    return [("name", _("Area")), ("villages", _("Desa/kelurahan")), ("cooperatives", _("Cooperatives")),
            ("registered", _("Registered (%)")), ("legal", _("Legal entity (%)")),
            ("operational", _("≥ %(k)d units operational (%%)") % {"k": k}), ("members", _("Members")),
            ("visits", _("Visits (30 days)")), ("stalled", _("Stalled")), ("awaiting", _("Awaiting verification"))]


class DashboardView(ActionRequiredMixin, TemplateView):
    """
    National → province → kabupaten/kota → kecamatan → desa, read from the roll-up. Users with one
    area land on it; national users on Indonesia; federation directors on their member villages.
    """

    template_name = "reports/dashboard.html"
    # (cache key, code, version) of a page to draw again once the response has been sent (``_page``).
    _drawing_after_response: tuple[str, str | None, str] | None = None

    def get(self, request, *args, **kwargs):
        try:
            return self._get(request, *args, **kwargs)
        except BaseException:
            if self._drawing_after_response:  # the response that would have drawn it is lost: let another draw
                cache.delete(self._drawing_after_response[0] + DRAWING_SUFFIX)
            raise

    def _get(self, request, *args, **kwargs):
        scope = scope_for(request.user)
        # Who works for one federation only starts on the federation's own dashboard.
        if not kwargs.get("code") and scope.federations:
            held = set(request.user.role_assignments.values_list("federation_id", flat=True))
            if len(held) == 1 and None not in held:
                return redirect("reports:federation-dashboard", pk=held.pop())
        if not kwargs.get("code") and not scope.everything and len(scope.roots) == 1:
            return redirect("reports:dashboard-area", code=next(iter(scope.roots)))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        request = self.request
        current = freshness()
        page, behind = self._page(kwargs.get("code"))
        if behind:
            # Drawn before the latest change to its areas (within the refresh floor): say when its figures are from.
            current = dataclasses.replace(current, as_of=page["as_of"])
        # Rendered without the request: the freshness line needs no context processor (the bell, the menu).
        code = kwargs.get("code") or ""
        token = csrf_token(request)
        per_request = {
            CSRF_PLACEHOLDER: token.encode(),
            FRESHNESS_PLACEHOLDER: freshness_line(current),
            # The shared content is the same for whoever may see the whole area: where the breadcrumbs lead and
            # whether the letterhead may be edited depend on who asks.
            BREADCRUMBS_PLACEHOLDER: breadcrumbs_nav(
                [] if page.get("ancestors") is None else breadcrumbs(scope_for(request.user), page["ancestors"]),
                page["title"]),
            LETTERHEAD_PLACEHOLDER: _drawn_once((code,), "reports/partials/letterhead_link.html", {"code": code})
            if self._can_edit_letterhead(code) else b"",
        }
        return super().get_context_data(page=page, page_title=page["title"], body=filled(page["body"], per_request),
                                        freshness=current, csrf_token_value=token, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        # The page around the content (menu, bell, language switch) is kept rendered per user (core.shell).
        response = render_with_shell(self.request, self.template_name, body=context["body"],
                                     shell_context={"page_title": context["page_title"]}, context=context,
                                     enabled=bool(settings.DASHBOARD_CACHE_SECONDS),
                                     csrf_token=context["csrf_token_value"])
        if self._drawing_after_response:
            after_response(response, functools.partial(self._draw_into_cache, *self._drawing_after_response))
        return response

    def _page(self, code: str | None) -> tuple[dict, bool]:
        """
        The page's content, shared by everyone who may see the whole area (else by every user with the same
        scope; ``_cache_key``), and whether it is behind the roll-up.

        A cached drawing is served while the figures of the areas it shows are unchanged, for at most
        DASHBOARD_CACHE_SECONDS; after a change it is still served until it is a refresh floor old (``refresh_floor``:
        DASHBOARD_REFRESH_FLOOR_SECONDS, for a busy page DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS when longer), so a page
        whose areas change all the time (the nation, a province) is drawn again at most once per floor instead of
        after every write. When it must be drawn again one request draws it and the others meanwhile get the
        previous drawing, rather than all drawing the same page at once. A busy page (served less than
        DASHBOARD_REFRESH_FLOOR_SECONDS ago by any process, as noted at most every half of it, and its drawing is
        less than two of its floors old) is drawn once the response has been sent, and that request too is served
        the previous drawing: no reader waits for a drawing, and none is shown figures more than two floors old. A
        page visited less often is drawn for the visitor who finds it changed (an officer who saved a change and
        opens their page a while later sees it). The CSRF token and the freshness line are filled in per request.
        """
        seconds = settings.DASHBOARD_CACHE_SECONDS
        if not seconds:
            return self._draw(code, version=""), False
        scope = scope_for(self.request.user)
        key = self._cache_key(code, scope)
        (page, served_at), version = cached_with_version([key, key + SERVED_SUFFIX], self._areas_shown(code, scope))
        now = time.time()
        busy = self._busy_after_noting_visit(key, served_at, now)
        floor = refresh_floor(busy=busy)
        if page is not None:
            age = now - page["drawn_at"]
            current = page["version"] == version
            if age < seconds and (current or age < floor):
                return page, not current
            if not cache.add(key + DRAWING_SUFFIX, 1, DRAWING_LOCK_SECONDS):
                return page, not current  # another request is drawing it again
            if busy and not current and age < min(seconds, 2 * floor):
                self._drawing_after_response = (key, code, version)
                return page, True
        return self._draw_into_cache(key, code, version, locked=page is not None), False

    @staticmethod
    def _busy_after_noting_visit(key: str, served_at: float | None, now: float) -> bool:
        """
        Whether the page is busy (served less than a refresh floor ago), noting that it is served now. The note is
        written at most once per half floor, whichever process serves it: a page served every second costs a
        write every ten, not one per visit. So it may lag half a floor behind: a page served between half a floor
        and a floor ago may count as not busy, and is drawn for its visitor.
        """
        floor = settings.DASHBOARD_REFRESH_FLOOR_SECONDS
        before = served_at if isinstance(served_at, int | float) else 0.0
        if floor and now - before >= floor / 2:
            cache.set(key + SERVED_SUFFIX, now, 2 * floor)
        return now - before < floor

    def _draw_into_cache(self, key: str, code: str | None, version: str, *, locked: bool = True) -> dict:
        """
        Draw the page and keep it, then release the drawing lock this request holds (``locked``: a page found in
        the cache, now or before the response was sent; a first drawing takes none).
        """
        try:
            fresh = self._draw(code, version)
            # Kept past its lifetime, so that whoever finds it expired can be served it while one request draws.
            cache.set(key, fresh, settings.DASHBOARD_CACHE_SECONDS * 2)
            return fresh
        finally:
            if locked:
                cache.delete(key + DRAWING_SUFFIX)

    def _draw(self, code: str | None, version: str) -> dict:
        as_of = freshness().as_of  # read before the figures: the page is at least this recent
        context = self._body_context(code)
        # Rendered without the request: the shared content depends on the area, not on who asks (no context
        # processor runs for it).
        board = context["board"]
        return {"title": context["area"].name, "map": bool(board.map_layer),
                # The areas above it (code, name), for the breadcrumbs each reader is shown; none above the
                # nation's page or a page of several areas.
                "ancestors": None if board.is_nation or board.is_combined else board.ancestors,
                "chart": any(section.data.get("chart") for section in context["sections"]),
                # Cut at the placeholders filled in per request (core.shell): put together without a search.
                "body": placeholder_pieces(render_to_string("reports/partials/dashboard_body.html", context),
                                           PER_REQUEST_PLACEHOLDERS),
                "version": version, "drawn_at": time.time(), "as_of": as_of}

    def _cache_key(self, code: str | None, scope) -> str:
        if code and scope.contains(code):
            # Whoever may see the whole area is shown the same content (the breadcrumbs and the letterhead link are
            # filled in per request): one drawing serves the national, province and kabupaten officers alike. Only
            # a kecamatan's map differs: its kabupaten is coloured for those who may see the kabupaten.
            signature = f"area:{scope.contains(code[:5])}"
        else:
            # The federations too: a role on a federation without its member villages leaves the roots empty.
            signature = "*" if scope.everything else (
                ",".join(sorted(scope.roots)) + "|" + ",".join(str(pk) for pk in sorted(scope.federations)))
        # Only the parameters the page reads: a link with junk parameters does not add cache entries.
        # The day too: what a page counts in days (targets' days left, 30-day windows) moves at midnight.
        # The release too: a drawing of the previous release names its scripts and carries its data shapes.
        parts = [code or "", self._page_query().urlencode(), get_language(), signature,
                 timezone.localdate().isoformat(), release_id(), DRAWING_FORMAT]
        return "dashboard:" + hashlib.sha256("|".join(parts).encode()).hexdigest()

    @staticmethod
    def _areas_shown(code: str | None, scope) -> list[str]:
        """
        The areas whose roll-up rows the page shows (its children move with them): a change elsewhere
        leaves the cached page valid. A page of several federations' villages follows the nation's row.
        """
        if code:
            return [code]
        if scope.everything or scope.federations or not scope.roots:
            return [NATION]
        return sorted(scope.roots)

    def _can_edit_letterhead(self, code: str) -> bool:
        return bool(code) and code != "ID" and code.count(".") < 3 and scope_for(
            self.request.user, Action.MANAGE_USERS).contains(code)

    def _page_query(self) -> QueryDict:
        """
        The parameters the page reads, and only those: the shared content echoes them in its links
        and forms, and a link with other parameters does not add cache entries.
        """
        query = QueryDict(mutable=True)
        for name in (*PAGE_PARAMETERS, *dashboard_parameters()):
            if self.request.GET.get(name):
                query[name] = self.request.GET[name]
        return query

    def _body_context(self, code: str | None) -> dict:
        request = self.request
        as_of_form = AsOfForm(request.GET)
        as_of = as_of_form.cleaned_data.get("as_of") if as_of_form.is_valid() else None
        try:
            board = dashboard(user=request.user, code=code, as_of=as_of)
        except NoSnapshot:
            as_of_form.add_error("as_of", _("No figures were saved for that day; today's are shown."))
            board = dashboard(user=request.user, code=code)
        k = int_param(request, "k", 1, 1, 7)
        sort = request.GET.get("sort", "code")
        descending = request.GET.get("dir") == "desc"
        if sort in SORT_KEYS:
            board.children.sort(key=lambda row: SORT_KEYS[sort](row, k), reverse=descending)
        scope = scope_for(request.user)
        for child in board.children:
            child.reachable = scope.contains(child.code)
        # A follow-up list of today: a past day's page shows its figures only (as its PDF report does). The card
        # names ten cooperatives and counts them all, in one query.
        quiet, quiet_count = (not_updated_head(user=request.user, code=board.area.code or None,
                                               days=NOT_UPDATED_DAYS, first=NOT_UPDATED_SHOWN)
                              if not board.as_of else ([], 0))
        return {
            "board": board, "area": board.area, "k": k, "sort": sort, "descending": descending,
            "next_dir": "asc" if descending else "desc", "sort_columns": sort_columns(k),
            "sections": dashboard_sections(user=request.user, board=board, query=self._page_query()),
            "statuses": status_labels(),
            "not_updated": quiet, "not_updated_count": quiet_count,
            "not_updated_limit": NOT_UPDATED_COUNT_LIMIT, "not_updated_days": NOT_UPDATED_DAYS,
            "map_values": map_values(user=request.user, board=board, k=k) if board.map_layer else None,
            "export_code": board.area.code, "page_query": self._page_query(),
            # Rendered without the request: a {% csrf_token %} in a card gets the placeholder too.
            "csrf_placeholder": CSRF_PLACEHOLDER, "csrf_token": CSRF_PLACEHOLDER,
            "freshness_placeholder": FRESHNESS_PLACEHOLDER, "breadcrumbs_placeholder": BREADCRUMBS_PLACEHOLDER,
            "letterhead_placeholder": LETTERHEAD_PLACEHOLDER,
            "as_of_form": as_of_form, "as_of": board.as_of,
        }


class FederationDashboardView(ActionRequiredMixin, TemplateView):
    """
    The federation director's dashboard: member villages' KDKMP progress from the federation's roll-up row, the
    federation's sites on a map, capital and shares, kecamatan without an operating clinic, monthly figures.
    """

    template_name = "reports/federation_dashboard.html"

    def get_context_data(self, **kwargs):
        board = federation_board(user=self.request.user, federation_id=kwargs["pk"], page=self.request.GET.get("page"))
        k = int_param(self.request, "k", 1, 1, 7)
        sites = [{"lat": float(site.latitude), "lng": float(site.longitude), "name": site.name,
                  "status": site.status, "status_label": str(site.get_status_display()), "kind": site.kind,
                  "url": reverse("bumdes:site-detail", args=[site.pk])}
                 for site in board.sites if site.latitude is not None]
        figures = {"months": [row["month"].isoformat() for row in board.figures],
                   "revenue": [row["revenue"] for row in board.figures],
                   "patients": [row["patients"] for row in board.figures],
                   "labels": {"revenue": _("Revenue (Rp)"), "patients": _("Patients")}}
        return super().get_context_data(
            board=board, area=board.area, k=k, statuses=status_labels(), site_points=sites, figures_data=figures,
            provinces=sorted({code[:2] for code in board.regencies}), freshness=freshness(),
            site_statuses=SiteStatus.choices, **kwargs)


class NotUpdatedView(ActionRequiredMixin, TemplateView):
    """Cooperatives with no change or visit for N days, for follow-up, least recent first."""

    template_name = "reports/not_updated.html"

    def get_context_data(self, **kwargs):
        code = kwargs.get("code")
        board = dashboard(user=self.request.user, code=code)
        days = int_param(self.request, "days", NOT_UPDATED_DAYS, 1, 3650)
        cooperatives = not_updated(user=self.request.user, code=board.area.code or None, days=days)
        page = Paginator(cooperatives, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(area=board.area, board=board, days=days, page=page, **kwargs)


class ExportRequestView(ActionRequiredMixin, View):
    """POST: queue an export of a dashboard table or the district report, then follow its progress."""

    http_method_names = ["post"]

    def post(self, request, code=None):
        params = {}
        for key, low, high in (("k", 1, 7), ("days", 0, 3650)):  # bounded like the page's own parameters
            value = request.POST.get(key, "")
            if value.isascii() and value.isdigit():
                params[key] = str(min(max(int(value), low), high))
        as_of = AsOfForm(request.POST)
        if as_of.is_valid() and as_of.cleaned_data.get("as_of"):
            params["as_of"] = as_of.cleaned_data["as_of"].isoformat()
        # The list exports carry the filters of the list they were asked from, as its query string.
        filters = QueryDict(request.POST.get("filters", "")[:2000])
        params |= {key: filters[key][:100] for key in LIST_FILTERS.get(request.POST.get("kind", ""), ())
                   if filters.get(key)}
        try:
            job = services.export_request(user=request.user, kind=request.POST.get("kind", ""),
                                          fmt=request.POST.get("fmt", ""), code=code or "", params=params)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            target = reverse("reports:dashboard-area", args=[code]) if code else reverse("reports:dashboard")
            return redirect(target)
        return redirect("reports:export", pk=job.pk)


class ExportJobView(ActionRequiredMixin, TemplateView):
    """The export's progress; htmx polls the fragment until the file is ready."""

    def get_template_names(self):
        return ["reports/partials/export_status.html"] if self.request.htmx else ["reports/export_job.html"]

    def get_context_data(self, **kwargs):
        job = get_object_or_404(ExportJob.objects.filter(user=self.request.user), pk=kwargs["pk"])
        return super().get_context_data(job=job, finished=job.status in (ExportStatus.DONE, ExportStatus.FAILED),
                                        **kwargs)


class ExportDownloadView(ActionRequiredMixin, View):
    """Only the person who asked for an export can download it."""

    def get(self, request, pk):
        job = get_object_or_404(ExportJob.objects.filter(user=request.user, status=ExportStatus.DONE), pk=pk)
        job.original_name, job.content_type = job.filename, _CONTENT_TYPES[job.fmt]
        return private_file_response(job)


_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class LetterheadView(ActionRequiredMixin, FormView):
    """The kop surat of a region's official reports, set by the officers who administer the region."""

    template_name = "reports/letterhead.html"
    form_class = LetterheadForm
    scope_action = Action.MANAGE_USERS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.region = get_object_or_404(Region.objects.for_user(request.user, Action.MANAGE_USERS),
                                            code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        current = letterhead_for(self.region.code)
        return {"office_name": current.office_name, "address": current.address, "place": current.place}

    def get_context_data(self, **kwargs):
        return super().get_context_data(region=self.region, letterhead=letterhead_for(self.region.code), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        ok, _letterhead = form.call_service(
            services.letterhead_save, actor=self.request.user, region_code=self.region.code,
            office_name=data["office_name"], place=data["place"], address=data["address"], logo=data["logo"],
            remove_logo=data["remove_logo"])
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("Letterhead saved: it heads the next reports of %(region)s.")
                         % {"region": self.region.name})
        return redirect("reports:dashboard-area", code=self.region.code)
