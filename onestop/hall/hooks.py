"""What the hall asks apps above it (core.hooks), without importing them.

`rating_link(public_token)`: where the holder of a finished visit rates it (好差评). The
ratings app answers in its `ready()`; with no answer the status page offers no link.
"""

from __future__ import annotations

from onestop.core.hooks import Provider


def _no_rating(public_token: str) -> str:
    return ""


rating_link: Provider[[str], str] = Provider("hall.rating_link", _no_rating)
