"""编辑: the editor tab's controls (phrases, meta fields, sections)."""

from __future__ import annotations

import ipywidgets as w

from jianfu.errors import JianfuError
from jianfu.speech.model import Draft
from jianfu.speech.sources import Source
from jianfu.text.characters import clean_text

from ..common import replace_children
from .shared import (
    FIELD_LABELS,
    wide,
)

META = (("title", "标题"), ("subtitle", "副标题"), ("speaker", "署名"), ("signature", "落款"),
        ("date", "日期"))  # fmt: skip
DRAFT_FIELDS = tuple(f"draft_{key}" for key, _ in META)  # their names as the page's inputs


class EditorPanel:
    """The 编辑 tab of DraftApp (a mixin: the app holds the state)."""

    def _build_editor(self) -> w.VBox:
        self._meta = {key: w.Text(description=label, layout=wide()) for key, label in META}
        for key, control in self._meta.items():
            control.observe(self._meta_handler(key), names="value")
        self._rename = w.Combobox(
            description="自称", placeholder="如：我县", ensure_option=False, layout=wide()
        )
        self._rename_button = w.Button(
            description="改用这个称呼", tooltip="正文中的单位全称一并改过来"
        )
        self._rename_button.on_click(self._on_rename_click)
        self._precision = w.HTML()
        self._length = w.HTML()
        self._time_bar = w.FloatProgress(min=0, max=1, value=0, layout=w.Layout(width="320px"))
        self._time_bar.add_class("jf-draft-time")
        self._rate = w.BoundedIntText(
            min=120, max=400, step=10, description="语速（字/分）", layout=w.Layout(width="220px")
        )
        self._limit = w.BoundedFloatText(
            min=0, max=600, step=1, description="限时（分钟）", layout=w.Layout(width="220px")
        )
        self._rate.observe(self._on_rate_change, names="value")
        self._limit.observe(self._on_limit_change, names="value")
        self._saved = w.HTML()
        self._checks = w.HTML()
        self._preview = w.HTML(layout=w.Layout(width="auto"))
        self._sections = w.VBox()
        self._add_section = w.Button(description="添加一部分")
        self._add_section.on_click(self._on_add_section_click)
        self._empty = w.HTML(
            "<p>还没有稿子：先在“起草设置”中生成初稿，或在“我的稿件”中打开已保存的稿子。</p>"
        )
        stats = w.HBox([self._time_bar, self._length, self._rate, self._limit, self._saved])
        stats.add_class("jf-draft-stats")
        left = w.VBox(
            [
                *self._meta.values(),
                w.HBox([self._rename, self._rename_button]),
                self._precision,
                self._sections,
                self._add_section,
                self._build_phrase_picker(),
            ],
            layout=w.Layout(width="58%"),
        )
        right = w.VBox(
            [w.HTML("<b>检查</b>"), self._checks, w.HTML("<b>预览</b>"), self._preview],
            layout=w.Layout(width="42%"),
        )
        self._workspace = w.HBox([left, right])
        return w.VBox([stats, self._empty, self._workspace])

    def _build_phrase_picker(self) -> w.Accordion:
        """The 从短语库插入 fold; its phrases become checkboxes when it is first opened."""
        self._phrase_category = w.Dropdown(options=self._bank.names(), description="类别")
        self._phrase_field = w.Dropdown(
            options=[(label, key) for key, label in FIELD_LABELS.items()], description="类型"
        )
        self._phrase_target = w.Dropdown(description="插入到")
        self._phrase_boxes = w.VBox()
        self._phrases_for: tuple[str, str] | None = None  # (category, field) shown as boxes
        self._phrase_insert = w.Button(description="插入所选")
        self._phrase_insert.on_click(self._on_phrase_insert_click)
        for control in (self._phrase_category, self._phrase_field):
            control.observe(self._on_phrase_source_change, names="value")
        box = w.VBox(
            [
                w.HBox([self._phrase_category, self._phrase_field]),
                self._phrase_boxes,
                w.HBox([self._phrase_target, self._phrase_insert]),
            ]
        )
        self._phrase_picker = w.Accordion(children=[box], titles=("从短语库插入",))
        self._phrase_picker.selected_index = None
        self._phrase_picker.observe(self._on_phrase_source_change, names="selected_index")
        return self._phrase_picker

    def _on_phrase_source_change(self, _change) -> None:
        if self._phrase_picker.selected_index is not None:
            self._show_phrases()

    def _show_phrases(self) -> list[w.Checkbox]:
        """The phrases of the chosen category and type as checkboxes (ticks reset on a change).

        Built when the fold opens, not with the page: some 50 widget models the
        browser would otherwise load with every 发言稿 page."""
        shown = (self._phrase_category.value or "", self._phrase_field.value)
        if shown != self._phrases_for:
            self._phrases_for = shown
            phrases = getattr(self._bank.category(shown[0]), shown[1])
            replace_children(
                self._phrase_boxes,
                [
                    w.Checkbox(
                        value=False, description=p, indent=False, layout=w.Layout(width="auto")
                    )
                    for p in phrases
                ],
            )
        return list(self._phrase_boxes.children)

    def _on_phrase_insert_click(self, _button) -> None:
        with self._status.guard():
            if self._draft is None:
                raise JianfuError("请先生成或打开一份稿子")
            chosen = [c.description for c in self._show_phrases() if c.value]
            if not chosen:
                raise JianfuError("请先勾选要插入的短语")
            sid = self._phrase_target.value
            field = self._phrase_field.value
            basis = f"短语库“{self._phrase_category.value}”类的{FIELD_LABELS[field]}（撰写人选用）"
            for phrase in chosen:
                sources = [Source(phrase, "phrase", basis)]  # the writer accepted it
                if field == "headings":
                    self._draft.add_paragraph(
                        sid, "", "point", topic=phrase, origin="phrase", sources=sources
                    )
                else:
                    text = phrase if phrase.endswith("。") else f"{phrase}。"
                    self._draft.add_paragraph(sid, text, "point", origin="phrase", sources=sources)
            for box in self._phrase_boxes.children:
                box.value = False
            self._structure_changed()
            self._status.ok(f"已插入{len(chosen)}段")

    def _meta_handler(self, key: str):
        def handler(change) -> None:
            self.edit(lambda d: setattr(d, key, clean_text(change["new"], lines=False)))

        return handler

    def _on_rate_change(self, change) -> None:
        self.edit(lambda d: setattr(d, "rate", int(change["new"])))

    def _on_limit_change(self, change) -> None:
        def set_limit(d: Draft) -> None:
            if d.limit_chars and not d.limit_minutes:
                return
            d.limit_minutes = float(change["new"]) or None

        self.edit(set_limit)

    def _on_add_section_click(self, _button) -> None:
        with self._status.guard():
            if self._draft is None:
                raise JianfuError("请先生成或打开一份稿子")
            self._draft.add_section("新的部分")
            self._structure_changed()
