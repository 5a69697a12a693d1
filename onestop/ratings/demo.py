"""The demo's ratings (好差评): about half of the day's finished visits are rated, through the
real service, a few of them badly; the named bad ones open follow-up tasks, of which the hall
manager has closed one and is working on another, and one waits for them. So the statistics'
rating columns and the manager's follow-ups have something to show on the demo's day.

`ratings_seed_demo` is called by the demo seed with the visits the hall's demo finished
(`onestop.hall.demo.FinishedVisit`); it rates only visits not rated yet.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from onestop.hall.demo import FinishedVisit
from onestop.ratings.enums import BAD_LEVELS
from onestop.ratings.services import follow_up_close, follow_up_start, rating_submit

SEED = 2026
RATED_SHARE = 0.5


@dataclass(frozen=True)
class Story:
    level: int
    reasons: tuple[str, ...]
    comment: str


# What named visitors who were unhappy said: each becomes a follow-up task.
COMPLAINTS = (
    Story(2, ("efficiency",), "排队等了很久，只开了几个窗口。"),
    Story(1, ("service-attitude",), "窗口工作人员不耐烦，问两句就不理人。"),
    Story(2, ("told-at-once",), "材料要求没有一次性说清楚，要再跑一趟。"),
)
PRAISE = (
    Story(5, ("service-attitude", "efficiency"), "办得很快，工作人员很耐心。"),
    Story(5, ("told-at-once",), "一次就办好了，不用跑第二趟。"),
    Story(4, ("simple-process",), ""),
    Story(5, (), ""),
    Story(4, ("premises",), "大厅干净，座位够。"),
    Story(3, (), "等的时间有点长。"),
)
# An anonymous complaint: counted in the statistics, but nobody to call back.
ANONYMOUS_COMPLAINT = Story(2, ("efficiency",), "取号机前排队太久。")


@dataclass
class RatingsDemoReport:
    ratings: int = 0
    follow_ups: int = 0


def _when(rng: random.Random, visit: FinishedVisit, now: datetime) -> datetime:
    """A few minutes after the visit, on the phone page; never after `now`."""
    return min(visit.finished_at + timedelta(minutes=rng.uniform(0.5, 8)), now)


def ratings_seed_demo(
    *, visits: Sequence[FinishedVisit], manager: Any, now: datetime
) -> RatingsDemoReport:
    """Rate the finished `visits` (those of the demo's day) and handle two of the follow-ups
    they open as `manager`, the centre's hall manager. Nothing happens after `now`."""
    rng = random.Random(SEED)  # noqa: S311 - the demo's repeatable ratings
    report = RatingsDemoReport()
    ordered = sorted(visits, key=lambda v: v.finished_at)
    complaints = list(COMPLAINTS)
    anonymous_complaint = True
    tasks = []
    for visit in ordered:
        if rng.random() >= RATED_SHARE:
            continue
        if visit.named and complaints:
            story = complaints.pop(0)
        elif not visit.named and anonymous_complaint:
            story, anonymous_complaint = ANONYMOUS_COMPLAINT, False
        else:
            story = rng.choice(PRAISE)
        rating = rating_submit(
            token=visit.token,
            level=story.level,
            reasons=story.reasons,
            comment=story.comment,
            now=_when(rng, visit, now),
        )
        report.ratings += 1
        if rating.is_named and rating.level in BAD_LEVELS:
            tasks.append((rating.follow_up, rating.created_at))
    report.follow_ups = len(tasks)
    if tasks:
        task, rated_at = tasks[0]
        called = min(rated_at + timedelta(minutes=10), now)
        follow_up_start(actor=manager, task_id=task.pk, note="已致电办事人", now=called)
        follow_up_close(
            actor=manager,
            task_id=task.pk,
            resolution="已回电致歉；当天加开一个社保窗口，并提醒窗口人员一次性告知所需材料。",
            now=min(called + timedelta(minutes=15), now),
        )
    if len(tasks) > 1:
        task, rated_at = tasks[1]
        follow_up_start(
            actor=manager,
            task_id=task.pk,
            note="正在调取窗口录像核实",
            now=min(rated_at + timedelta(minutes=20), now),
        )
    return report
