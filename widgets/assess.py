"""The 自评 participant page: one phone-sized form, answers saved as they are given.

The link names the session (``?s=code``); the participant is known by a random
token in a browser cookie that `jianfu serve --public` sets (jianfu.server.public),
so a reload, a dropped connection or a second tab finds the same answers. The
page imports only ipywidgets, SQLAlchemy and yaml (no pandas, no altair): every
participant costs one kernel, and it must start fast and stay small.
"""

from __future__ import annotations

import os
import secrets
from http.cookies import CookieError, SimpleCookie

import ipywidgets as w

from jianfu.assess.links import TOKEN_COOKIE, session_code
from jianfu.assess.questionnaire import Questionnaire, load_questionnaire
from jianfu.assess.scoring import missing_required, score
from jianfu.assess.store import AnswerSheet, AssessStore, SessionError
from jianfu.errors import JianfuError

from .assess_html import message_page, progress_bar, result_card
from .common import preheated, server_log, wait_for_visitor
from .handles import Handles
from .templating import element, render


def cookie_token(cookie_header: str) -> str | None:
    """The participant token from the request's Cookie header, if the public server set one."""
    try:
        jar = SimpleCookie(cookie_header or "")
    except CookieError:
        return None
    morsel = jar.get(TOKEN_COOKIE)
    return morsel.value if morsel else None


class ParticipantPage(Handles, w.VBox):
    """The questionnaire, then the participant's own result; or a clear message."""

    BUTTONS = ("submit", "edit")
    OUTPUTS = ("status", "result")

    def __init__(self, store: AssessStore, code: str, token: str | None):
        # Shared layout and style models: one comm each instead of one per widget.
        self._full = w.Layout(width="100%")
        self._choice_style = w.ToggleButtonsStyle(button_width="auto")
        super().__init__(layout=self._full)
        self.add_class("jf-assess")
        self._store = store
        self._preview = token is None  # not opened through the public server
        self._token = token or secrets.token_urlsafe(24)
        self._draft: AnswerSheet | None = None
        self._form: Questionnaire | None = None
        try:
            self._draft = store.draft(code, self._token)
        except SessionError as exc:
            # after 结束收集, someone who submitted still sees their own result (read-only)
            self._draft = None if self._preview else store.closed_result(code, self._token)
            if self._draft is None:
                self.children = [w.HTML(message_page("无法参加自评", str(exc)), layout=self._full)]
                return
        self._form = load_questionnaire(self._draft.session.form)
        self._answers = _current(self._form, self._draft.answers)
        # answers filtered above are re-sent only once the participant changes them
        self._stale = {k for k, v in self._answers.items() if self._draft.answers.get(k) != v}
        self._fields = {"role": self._draft.role, "unit": self._draft.unit}
        self._status = w.HTML(layout=self._full)
        self._progress = w.HTML(layout=self._full)
        self._result = w.HTML(layout=self._full)
        self._questions = self._build_questions()
        self._submit = w.Button(description="提交", button_style="danger", layout=self._full)
        self._submit.add_class("jf-assess-submit")
        self._submit.on_click(self._on_submit_click)
        self._edit = w.Button(description="修改答案")
        self._edit.on_click(self._on_edit_click)
        self._form_box = w.VBox(
            [self._header(), self._progress, *self._questions, self._submit, self._status],
            layout=self._full,
        )
        shown = [self._result] if self.read_only else [self._result, self._edit]
        self._result_box = w.VBox(shown, layout=self._full)
        self._show_progress()
        if self._draft.submitted:
            self._show_result()
        else:
            self.children = [self._form_box]
        self.add_class("jf-assess-ready")

    @classmethod
    def from_request(cls, store: AssessStore | None = None) -> ParticipantPage:
        """The page for the visitor who opened it (query string and cookie of their request).

        In a preheated kernel, the store and the forms are ready before the visitor
        arrives; only their answers are read after.
        """
        # a connection per use: a room of kernels must not hold one each (jianfu.db)
        store = store or AssessStore(pooled=False)
        for key in ("quick", "full"):
            load_questionnaire(key)
        if preheated():
            import jianfu.server.visitor  # noqa: F401 - wait_for_visitor's, paid before the visitor
        wait_for_visitor("participant")
        code = session_code(os.environ.get("QUERY_STRING", ""))
        return cls(store, code, cookie_token(os.environ.get("HTTP_COOKIE", "")))

    # ---- public, for tests and the room simulator ---------------------------
    @property
    def submission_id(self) -> str | None:
        return self._draft.submission_id if self._draft else None

    @property
    def answers(self) -> dict[str, object]:
        return dict(self._answers)

    @property
    def submitted(self) -> bool:
        return getattr(self, "_result_box", None) in self.children

    @property
    def read_only(self) -> bool:
        """The session has closed: the page shows the result and nothing can change."""
        return not self._draft.session.is_open

    def question(self, item_id: str) -> w.Widget:
        """The widget answering ``item_id`` (field widgets: "role", "unit")."""
        return self._widgets[item_id]

    # ---- building -----------------------------------------------------------
    def _header(self) -> w.HTML:
        session, form = self._draft.session, self._form
        head = render(
            "assess_head.html", title=session.title, intro=form.intro, preview=self._preview
        )
        return w.HTML(head, layout=self._full)

    def _build_questions(self) -> list[w.Widget]:
        form, session = self._form, self._draft.session
        self._widgets: dict[str, w.Widget] = {}
        built: list[w.Widget] = []
        if session.ask_role and form.role.options:
            built.append(self._field("role", form.role.label, form.role.options))
        if session.units:
            built.append(self._field("unit", "单位", session.units))
        scale = [*zip(form.scale.labels, range(1, 6), strict=True), (form.unknown_label, 0)]
        for number, item in enumerate(form.items, 1):
            star = " *" if item.required else ""
            question = self._choice(item.id, f"{number}. {item.text}{star}", scale)
            question.add_class("jf-assess-scale")  # the unscored answer on a row of its own
            built.append(question)
        number = len(form.items) + 1
        star = " *" if form.overall.required else ""
        overall = self._choice(
            form.overall.id,
            f"{number}. {form.overall.text}{star}",
            [(str(k), k) for k in range(11)],
        )
        overall.add_class("jf-assess-overall")
        built += [
            overall,
            w.HTML(
                render("assess_ends.html", low=form.overall.low, high=form.overall.high),
                layout=self._full,
            ),
        ]
        if form.problems:
            number += 1
            built.append(self._problems(number))
        if form.comment:
            number += 1
            box = w.Textarea(
                value=str(self._answers.get(form.comment.id) or ""),
                description=f"{number}. {form.comment.text}",
                placeholder=f"最多{form.comment.max_length}字",
                continuous_update=False,
                layout=self._full,
            )
            box.add_class("jf-assess-comment")
            box.observe(self._on_comment_change, names="value")
            self._widgets[form.comment.id] = box
            built.append(box)
        return built

    def _choice(self, item_id: str, text: str, options: list[tuple[str, int]]) -> w.ToggleButtons:
        value = self._answers.get(item_id)
        buttons = w.ToggleButtons(
            options=options,
            value=value if value in [v for _, v in options] else None,
            description=text,
            layout=self._full,
            style=self._choice_style,
        )
        buttons.add_class("jf-assess-q")
        buttons.add_class(f"jf-q-{item_id}")
        buttons.observe(lambda change, i=item_id: self._on_answer_change(i, change), names="value")
        self._widgets[item_id] = buttons
        return buttons

    def _field(self, name: str, label: str, options) -> w.Widget:
        value = self._fields.get(name)
        if name == "unit":
            widget = w.Dropdown(
                options=[("请选择", None), *[(u, u) for u in options]],
                value=value if value in options else None,
                description=label,
                layout=self._full,
            )
        else:
            widget = w.ToggleButtons(
                options=list(options),
                value=value if value in options else None,
                description=f"{label}（选填）",
                layout=self._full,
                style=self._choice_style,
            )
        widget.add_class("jf-assess-q")
        widget.add_class(f"jf-q-{name}")
        widget.observe(lambda change, n=name: self._on_field_change(n, change), names="value")
        self._widgets[name] = widget
        return widget

    def _problems(self, number: int) -> w.VBox:
        spec = self._form.problems
        chosen = self._answers.get(spec.id) or []
        self._problem_buttons: list[tuple[str, w.ToggleButton]] = []
        layout = w.Layout(width="auto", margin="2px")
        for option in spec.options:
            button = w.ToggleButton(
                value=option.id in chosen, description=option.text, layout=layout
            )
            button.observe(self._on_problem_change, names="value")
            self._problem_buttons.append((option.id, button))
        self._problem_note = w.HTML(layout=self._full)  # “最多选3项” stands by the choices
        box = w.VBox(
            [
                w.HTML(
                    element("div", f"{number}. {spec.text}", "jf-assess-qtext"),
                    layout=self._full,
                ),
                w.Box([b for _, b in self._problem_buttons], layout=self._full),
                self._problem_note,
            ],
            layout=self._full,
        )
        box.add_class("jf-assess-problems")
        box.add_class(f"jf-q-{spec.id}")
        self._widgets[spec.id] = box
        return box

    # ---- handlers -----------------------------------------------------------
    def _on_answer_change(self, item_id: str, change) -> None:
        self._answers[item_id] = change["new"]
        self._save({item_id: change["new"]})
        self._show_progress()

    def _on_field_change(self, name: str, change) -> None:
        self._fields[name] = change["new"]
        self._save({}, fields={name: change["new"]})

    def _on_comment_change(self, change) -> None:
        self._answers[self._form.comment.id] = change["new"]
        self._save({self._form.comment.id: change["new"]})

    def _on_problem_change(self, change) -> None:
        spec = self._form.problems
        chosen = [option for option, b in self._problem_buttons if b.value]
        if len(chosen) > spec.max_choices:
            change["owner"].value = False  # calls back here with the shorter list
            self._problem_note.value = _note(
                f"最多选{spec.max_choices}项。如要换一项，请先取消已选的一项。"
            )
            return
        if change["new"] is False and len(chosen) < spec.max_choices:
            self._problem_note.value = ""
        self._answers[spec.id] = chosen
        self._stale.discard(spec.id)
        self._save({spec.id: chosen})

    def _on_submit_click(self, _button) -> None:
        missing = missing_required(self._form, self._answers)
        if missing:
            numbers = "、".join(f"第{n}题" for n in missing[:8])
            more = "等" if len(missing) > 8 else ""
            self._message(f"还有{len(missing)}道必答题没有作答：{numbers}{more}。", "error")
            return
        answers = {k: v for k, v in self._answers.items() if k not in self._stale}
        if self._save(answers, fields=self._fields, submit=True):
            self._show_result()

    def _on_edit_click(self, _button) -> None:
        self._status.value = ""
        self.children = [self._form_box]

    # ---- helpers --------------------------------------------------------------
    def _save(self, answers, fields=None, submit: bool = False) -> bool:
        """Write through to the database; a failure is shown, never swallowed."""
        session = self._draft.session
        try:
            self._store.save(
                session.code,
                session.round,
                self._draft.submission_id,
                answers,
                fields=fields,
                submit=submit,
            )
        except JianfuError as exc:
            self._message(str(exc), "error")
            return False
        except Exception:
            server_log().exception("saving an answer failed")
            self._message("答案没能保存，请检查网络后再试一次；已保存的答案不会丢失。", "error")
            return False
        if self._status.value and not submit:
            self._status.value = ""
        return True

    def _message(self, text: str, kind: str) -> None:
        role = "alert" if kind == "error" else "status"
        self._status.value = element("div", text, f"jf-assess-msg jf-assess-msg-{kind}", role)

    def _show_progress(self) -> None:
        required = self._form.required_ids()
        missing = len(missing_required(self._form, self._answers))
        self._progress.value = progress_bar(len(required) - missing, len(required))

    def _show_result(self) -> None:
        result = score(self._form, self._answers)
        self._result.value = result_card(result, self._draft.session.title, closed=self.read_only)
        self._status.value = ""
        self.children = [self._result_box]


def _current(form: Questionnaire, stored: dict[str, object]) -> dict[str, object]:
    """The stored answers the form still asks (a form edited mid-session must not block 提交).

    What no longer matches stays in the database, where the dashboard reports it.
    """
    answers = {k: v for k, v in stored.items() if k in form.question_ids()}
    if form.problems and isinstance(answers.get(form.problems.id), list):
        ids = form.problems.option_ids
        answers[form.problems.id] = [c for c in answers[form.problems.id] if c in ids]
    return answers


def _note(text: str) -> str:
    return element("div", text, "jf-assess-msg jf-assess-msg-info", "status")
