"""How old a checked-on date is, against a clock tests can set.

Facts that age carry the date they were checked; past STALE_AFTER_DAYS the pages that show
them say so. The clock is this module's `today`, so a test moves time by replacing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from flask import Flask, current_app

from selector.language import gettext as _
from selector.language import ngettext

today: Callable[[], dt.date] = dt.date.today


def age_in_days(checked: dt.date) -> int:
    return (today() - checked).days


def oldest(dates: Iterable[dt.date | None]) -> dt.date | None:
    return min((d for d in dates if d is not None), default=None)


def is_stale(checked: dt.date | None, max_days: int) -> bool:
    return checked is not None and age_in_days(checked) > max_days


def days_ago(checked: dt.date) -> str:
    days = age_in_days(checked)
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("%(num)s day ago", "%(num)s days ago", days)


def stale_since(dates: Iterable[dt.date | None]) -> dt.date | None:
    """The oldest of dates when it is past the site's limit, else None: what a notice names."""
    first = oldest(dates)
    return first if is_stale(first, current_app.config["STALE_AFTER_DAYS"]) else None


def register(app: Flask) -> None:
    app.add_template_global(days_ago)
    app.add_template_global(stale_since)
