"""The comment moderation list of the 自评汇总 dashboard.

A comment reaches the page's results and the projector only once the
facilitator releases it (one by one or all at once); one in which its writer
named their office and post can be held back before anyone sees it. The list
sits in a closed panel: pending comments are for the facilitator's eyes, and
the facilitator's screen is often the projector's.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from jianfu.assess.aggregate import Comment
from jianfu.assess.schema import HIDDEN, PENDING, SHOWN

STATE_LABELS = {PENDING: "【待审】", SHOWN: "【已公开】", HIDDEN: "【不公开】"}


class CommentModeration(w.Accordion):
    """Pending, released and held-back comments; ``on_moderate(ids, state)`` or (None, SHOWN)."""

    def __init__(self, on_moderate: Callable[[list[str] | None, str], None]):
        self._on_moderate = on_moderate
        self._comments: tuple[Comment, ...] = ()
        self._list = w.SelectMultiple(rows=8, layout=w.Layout(width="100%"))
        self.release_chosen = w.Button(description="公开所选", button_style="success")
        self.release_all = w.Button(description="全部公开")
        self.hold_back = w.Button(description="不公开所选")
        self.release_chosen.on_click(lambda _b: self._moderate(SHOWN))
        self.hold_back.on_click(lambda _b: self._moderate(HIDDEN))
        self.release_all.on_click(lambda _b: self._on_moderate(None, SHOWN))
        body = w.VBox(
            [
                w.HTML(
                    '<p class="jf-dash-moderate-note">意见建议先在这里等待审核，公开后才出现在'
                    "结果和投屏上；不公开的不出现在页面和导出文件中。展开前请确认这一屏没有投在大屏上。</p>"
                ),
                self._list,
                w.HBox([self.release_chosen, self.release_all, self.hold_back]),
            ]
        )
        super().__init__(children=[body], titles=("意见建议审核",))
        self.selected_index = None
        self.add_class("jf-dash-moderation")

    @property
    def title(self) -> str:
        return self.titles[0]

    @property
    def pending(self) -> tuple[Comment, ...]:
        return tuple(c for c in self._comments if c.state == PENDING)

    def show(self, comments: tuple[Comment, ...]) -> None:
        """List the comments, waiting ones first; keeps what is selected."""
        self._comments = tuple(sorted(comments, key=lambda c: c.state != PENDING))
        chosen = set(self._list.value)
        self._list.options = [
            (STATE_LABELS[c.state] + c.text, c.submission_id) for c in self._comments
        ]
        self._list.value = tuple(
            c.submission_id for c in self._comments if c.submission_id in chosen
        )
        waiting = len(self.pending)
        self.titles = (f"意见建议审核（待审{waiting}条）" if waiting else "意见建议审核",)
        self.release_all.description = f"全部公开（{waiting}条）" if waiting else "全部公开"
        self.release_all.disabled = not waiting

    def choose(self, submission_ids: list[str]) -> None:
        self._list.value = tuple(submission_ids)

    def _moderate(self, state: str) -> None:
        self._on_moderate(list(self._list.value), state)
