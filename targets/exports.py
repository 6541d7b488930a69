"""The targets table of an area's dashboard, as an export (added to reports through reports.extensions)."""

from django.utils.translation import gettext as _

from reports.exports import as_of_param
from reports.selectors import dashboard

from .selectors import dashboard_targets

__all__ = ["targets_table"]


def targets_table(user, code, params, progress):
    """Every target of the area with its figures, at-risk first (as they stood at the end of ``as_of``, if given)."""
    board = dashboard(user=user, code=code, as_of=as_of_param(params))
    header = [_("Region code"), _("Region"), _("Title"), _("Measure"), _("Target"), _("Achieved"), _("Gap"),
              _("Due date"), _("Days left"), _("Needed per day"), _("Recent per day"), _("Projected completion"),
              _("At risk")]
    rows = []
    for row in dashboard_targets(user=user, board=board, limit=5000):
        target, figures = row.target, row.figures
        measure = (target.stage.label if target.stage_id else target.get_land_step_display() if target.land_step
                   else f"{target.unit_type.label}: {target.get_unit_status_display()}")
        rows.append([target.region_id, target.region.name, target.title, measure, figures.target, figures.achieved,
                     figures.gap, target.due_date.isoformat(), figures.days_left,
                     round(figures.required_daily_rate, 2) if figures.required_daily_rate is not None else "",
                     round(figures.recent_daily_rate, 2),
                     figures.projected_completion.isoformat() if figures.projected_completion else "",
                     _("yes") if figures.at_risk else _("no")])
    return header, rows
