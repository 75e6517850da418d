"""起草设置: the unit, periods, genre and what the first draft is composed from."""

from __future__ import annotations

import ipywidgets as w

from jianfu.catalog import CATEGORIES
from jianfu.compare.selection import Selection, check_pair, periods_with_data
from jianfu.speech.compose import DraftRequest, compose_draft, default_categories
from jianfu.speech.figures import draft_comparison
from jianfu.speech.model import PRECISIONS
from jianfu.speech.voice import self_name_choices, suggest_self_name

from ..common import replace_children
from ..levels import LevelBoxes
from ..templating import render
from .shared import (
    PAGE_RULE,
    wide,
)


class SetupPanel:
    """The 起草设置 tab of DraftApp (a mixin: the app holds the state)."""

    def _build_setup(self) -> w.VBox:
        units = list(self._obs["unit"].drop_duplicates()) if len(self._obs) else []
        self._ticked_for: tuple | None = None  # (unit, before, after) the 类别 were ticked for
        self._unit = w.Dropdown(options=units, description="单位")
        self._before = w.Dropdown(options=self._store.periods(), description="基期")
        self._after = w.Dropdown(options=self._store.periods(), description="比较期")
        self._genre = w.Dropdown(options=list(self._genres), description="体裁")
        self._title = w.Text(description="标题", placeholder="留空则按体裁生成", layout=wide())
        self._speaker = w.Text(
            description="发言人", placeholder="如：县委组织部 张三", layout=wide()
        )
        self._occasion = w.Text(
            description="场合", placeholder="如：为基层减负专题学习研讨会", layout=wide()
        )
        self._digits = w.Dropdown(
            options=[
                (f"{label}（默认）" if d is None else label, PAGE_RULE if d is None else d)
                for d, label in PRECISIONS.items()
            ],
            value=PAGE_RULE,
            description="数字精度",
        )
        self._self_name = w.Combobox(
            description="自称",
            placeholder="如：我县",
            ensure_option=False,
            layout=w.Layout(width="260px"),
        )
        # 预警依据 as on the 对比 page: a level left out there is left out here by hand
        self._levels = LevelBoxes()
        self._categories = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self._findings_info = w.HTML()
        self._compose = w.Button(description="生成初稿", button_style="primary")
        self._compose.on_click(self._on_compose_click)
        self._unit.observe(self._on_unit_change, names="value")
        for control in (self._before, self._after):
            control.observe(self._on_period_change, names="value")
        self._genre.observe(self._on_genre_change, names="value")
        self._on_genre_change(None)
        return w.VBox(
            [
                w.HBox([self._unit, self._before, self._after]),
                w.HBox([self._genre, self._digits, self._self_name]),
                w.HBox([w.Label("预警依据："), self._levels]),
                self._title,
                self._speaker,
                self._occasion,
                w.HTML("<b>写入哪些方面</b>（做法、打算从短语库按类别选取，数据来自对比）："),
                self._categories,
                self._findings_info,
                self._compose,
            ]
        )

    def _on_unit_change(self, _change) -> None:
        unit = self._unit.value
        if not unit:
            return
        periods = periods_with_data(self._obs, [unit], self._store.periods())
        if len(periods) >= 2:
            # both move before the pair is checked: 2023年 beside the old 2019年 is no error
            for control in (self._before, self._after):
                control.unobserve(self._on_period_change, names="value")
            self._before.value, self._after.value = periods[-2:]
            for control in (self._before, self._after):
                control.observe(self._on_period_change, names="value")
        self._on_period_change(None)
        self._suggest_self_name()
        with self._status.guard():
            self._findings_info.value = self._findings_text(unit)

    def _findings_text(self, unit: str | None) -> str:
        """The self-assessment sentences a draft for `unit` would take in."""
        if self._findings_source is None or not unit:
            return ""
        found = [getattr(f, "text", f) for f in self._findings_source(unit)]
        return render("draft_findings.html", found=[str(f) for f in found])

    def _suggest_self_name(self) -> None:
        """我县/我镇/我局 when the genre has the unit speak for itself, else the unit's name."""
        unit = self._unit.value or ""
        genre = self._genres.get(self._genre.value)
        self._self_name.options = self_name_choices(unit)
        first_person = genre is not None and genre.first_person
        self._self_name.value = suggest_self_name(unit) if first_person else unit

    def _on_period_change(self, _change) -> None:
        """Tick the 类别 a draft of the chosen unit and periods would draw on.

        Choosing a unit moves both periods and then calls this too: the comparison
        runs once per choice, not once per control that moved.
        """
        unit, before, after = self._unit.value, self._before.value, self._after.value
        if self._ticked_for == (unit, before, after):
            return
        self._ticked_for = (unit, before, after)
        chosen: list[str] = []
        if unit and before and after and before != after:
            with self._status.guard():
                self._check_pair()
                table = draft_comparison(self._obs, self._catalog, unit, before, after)
                chosen = default_categories(table, self._bank)
        names = [c for c in CATEGORIES if c in self._bank.names()]
        names += [c for c in self._bank.names() if c not in names]
        replace_children(
            self._categories,
            [
                w.Checkbox(
                    value=c in chosen, description=c, indent=False, layout=w.Layout(width="9em")
                )
                for c in names
            ],
        )

    def _on_genre_change(self, _change) -> None:
        genre = self._genres.get(self._genre.value)
        if genre is not None:
            self._occasion.placeholder = genre.occasion or "场合"
        if hasattr(self, "_unit"):
            self._suggest_self_name()

    def request(self) -> DraftRequest:
        findings = ()
        if self._findings_source is not None:
            findings = tuple(self._findings_source(self._unit.value))
        return DraftRequest(
            genre=self._genre.value,
            unit=self._unit.value,
            before=self._before.value,
            after=self._after.value,
            categories=tuple(c.description for c in self._categories.children if c.value),
            title=self._title.value,
            speaker=self._speaker.value,
            occasion=self._occasion.value,
            digits=None if self._digits.value == PAGE_RULE else self._digits.value,
            disabled_levels=tuple(self._levels.unticked),
            findings=findings,
            self_name=self._self_name.value.strip() or None,
        )

    def _check_pair(self) -> None:
        """The 对比 page's checks: periods in order, data in them (compare.selection)."""
        sel = Selection(
            units=(self._unit.value,), before=self._before.value, after=self._after.value
        )
        check_pair(sel, self._store.periods(), obs=self._obs)

    def _on_compose_click(self, _button) -> None:
        with self._status.guard():
            self._check_pair()
            draft = compose_draft(
                self._obs, self._catalog, self.request(), self._genres, self._bank
            )
            self._drafts.save(draft)
            self.open_draft(draft)
            self._status.ok("初稿已生成并保存。可逐段修改，修改会自动保存。")
