"""Template text that Django would print instead of reading."""

import re

from tests.support.templates import ROOT, template_files

# `{# ... #}` ends on its own line; over several lines Django prints it on the page.
UNCLOSED_COMMENT = re.compile(r"\{#(?![^\n]*#\})")


def test_no_template_has_a_one_line_comment_spread_over_several_lines():
    # given
    templates = template_files()
    assert len(templates) > 20

    # then
    offenders = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in templates
        for text in [path.read_text(encoding="utf-8")]
        for match in UNCLOSED_COMMENT.finditer(text)
    ]
    assert offenders == [], "use {% comment %} for comments over several lines"
