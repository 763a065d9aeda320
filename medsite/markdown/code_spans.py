"""Where Python-Markdown sees code spans, so that checks and rewrites leave code alone.

Uses Python-Markdown's own matcher (`BacktickInlineProcessor.find_code_spans`) instead of a second
hand-written parser, so `` `a` ``, ``` `` a`b `` ``` and unmatched backticks behave as in the rendered page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

_BACKTICK = re.compile(BACKTICK_RE)
_FINDER = BacktickInlineProcessor(BACKTICK_RE)


def code_spans(text: str, *,
               can_open: Callable[[int], bool] = lambda offset: True) -> Iterator[tuple[int, int]]:
    """`(start, end)` of each code span in `text` (one paragraph), backticks included.

    `can_open(offset)` may refuse a backtick run as an opener, e.g. one inside an HTML tag's attribute.
    """
    if "`" not in text:  # most paragraphs: nothing to scan (the pattern is tried at every character)
        return
    position = 0
    while match := _BACKTICK.search(text, position):
        begin = match.start()
        if match.group(1) or not can_open(begin):
            position = match.end()
            continue
        content_start, content_end = _FINDER.find_code_spans(begin, text)
        if content_end is None:
            position = content_start
            continue
        position = content_end + (content_start - begin)
        yield begin, position
