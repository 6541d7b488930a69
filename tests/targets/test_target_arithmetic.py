"""Target arithmetic on fixed dates: gap, days left, required and recent rates, projection, at-risk."""

from datetime import date

from targets.progress import target_figures


def test_on_track_target():
    # Kab. Blitar: 248 desa/kelurahan within six months; 180 formed, 70 of them in the last 14 days.
    figures = target_figures(target=248, achieved=180, achieved_window_start=110, due_date=date(2025, 9, 30),
                             today=date(2025, 8, 31))
    assert figures.gap == 68 and figures.days_left == 30
    assert round(figures.required_daily_rate, 2) == 2.27
    assert figures.recent_daily_rate == 5.0
    assert figures.projected_completion == date(2025, 9, 14)  # 68 / 5 = 13.6 → 14 days
    assert figures.percent == 72.6
    assert not figures.at_risk and not figures.overdue


def test_at_risk_when_the_recent_pace_finishes_after_the_due_date():
    # Kec. Bathin Solapan: 13 desa by 15 May; 6 done, 1 in the last two weeks.
    figures = target_figures(target=13, achieved=6, achieved_window_start=5, due_date=date(2025, 5, 15),
                             today=date(2025, 5, 1))
    assert figures.gap == 7 and figures.days_left == 14 and figures.required_daily_rate == 0.5
    assert figures.projected_completion == date(2025, 8, 7)  # 7 / (1/14) = 98 days
    assert figures.at_risk


def test_no_recent_progress_means_no_projection_and_at_risk():
    figures = target_figures(target=10, achieved=4, achieved_window_start=4, due_date=date(2025, 12, 31),
                             today=date(2025, 6, 1))
    assert figures.recent_daily_rate == 0 and figures.projected_completion is None and figures.at_risk


def test_overdue_target():
    figures = target_figures(target=100, achieved=90, achieved_window_start=80, due_date=date(2025, 6, 30),
                             today=date(2025, 7, 10))
    assert figures.overdue and figures.at_risk and figures.days_left == -10
    assert figures.required_daily_rate == 10.0  # the whole gap is due now


def test_met_target_is_never_at_risk_even_when_late():
    figures = target_figures(target=50, achieved=52, achieved_window_start=40, due_date=date(2025, 6, 30),
                             today=date(2025, 7, 10))
    assert figures.gap == 0 and figures.percent == 100.0 and not figures.at_risk and not figures.overdue
    assert figures.required_daily_rate is None and figures.projected_completion is None


def test_a_target_that_has_not_started_is_never_at_risk():
    waiting = target_figures(target=13, achieved=0, achieved_window_start=0, due_date=date(2026, 5, 15),
                             today=date(2025, 12, 1), start_date=date(2026, 1, 1))
    assert not waiting.at_risk and not waiting.started
    running = target_figures(target=13, achieved=0, achieved_window_start=0, due_date=date(2026, 5, 15),
                             today=date(2026, 1, 1), start_date=date(2026, 1, 1))
    assert running.at_risk and running.started
