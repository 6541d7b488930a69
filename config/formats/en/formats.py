"""
English formats beside the Indonesian ones (config/formats/id): the same day-month-year order, so that a date
reads the same way in both languages (12 Jun 2025, not Django's "June 12, 2025" or "Dec. 20, 2018").
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# Typed dates (where the browser has no date picker) day first too: never the US month first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y"]
