"""A workspace's usage over the last 30 days, in UTC days: posts per day, tokens and cost
per model and per member, added up in SQL (`report`); and the geometry of the posts-per-day
bar chart the page draws as SVG (`chart`)."""

from .chart import BarChart, bar_chart
from .report import (
    WINDOW_DAYS,
    DayCount,
    MemberUsage,
    ModelUsage,
    Window,
    posts_per_day,
    usage_per_member,
    usage_per_model,
    window,
)

__all__ = [
    "WINDOW_DAYS",
    "BarChart",
    "DayCount",
    "MemberUsage",
    "ModelUsage",
    "Window",
    "bar_chart",
    "posts_per_day",
    "usage_per_member",
    "usage_per_model",
    "window",
]
