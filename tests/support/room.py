"""Room simulator: participants who speak Voila's protocol without a browser.

Each simulated participant does what a phone does on the 自评 page of
`jianfu serve --public`: GET the page (running the first page's script, i.e.
setting its cookie, and waiting on 请稍候 when the room is full), open the kernel
websocket, ask for the widget states (ipywidgets' control comm), answer every
question through widget comm messages at a human pace, maybe reload mid-way
(the page's shutdown beacon, then a new page that must show the answers given so
far), press 提交, wait for their own result, and close the page. 60 of them fit
on a 2-core machine, where 60 browsers would measure the browsers.

The websocket is read all the time, thinking included: unread messages would
stop the client reading, its keepalive pongs would go unseen and the server
would drop it. Every participant writes a unique tag in the comment and every
stored field (scale answers, overall, role, problems, comment) is checked
against what they chose; lost, duplicated or wrong rows and any error fail the
room (`Tally.ok`). The page itself, over the protocol: tests.support.page.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .page import (  # noqa: F401 - the page's protocol, used from here by tests and benchmarks
    KERNEL_ID,
    SCRIPT_COOKIE,
    FormModels,
    Page,
    answer,
    read_form,
    shown,
)

RESULT_MARK = "jf-assess-result"  # the result card (widgets/assess_html.result_card)


@dataclass(frozen=True)
class Behaviour:
    """How the room behaves; the default is a real room (about two minutes)."""

    arrive_within: float = 10.0  # arrivals spread over this many seconds
    answer_seconds: tuple[float, float] = (90.0, 150.0)  # time each one takes to answer
    reload_share: float = 0.15  # share of participants who reload the page mid-way
    close_after: bool = True  # close the page (beacon + socket) once the result shows
    timeout: float = 240.0  # the longest wait for any one step
    reconnect: bool = False  # a page whose connection died is reloaded (a node was killed)

    @classmethod
    def instant(cls, **changes) -> Behaviour:
        """Everyone at once, no thinking, no reloads: the quick test room."""
        return cls(
            **{"arrive_within": 0.0, "answer_seconds": (0.0, 0.0), "reload_share": 0.0} | changes
        )


@dataclass
class Participant:
    n: int
    tag: str  # written in the comment: finds this person's row, whatever else is stored
    choices: dict[str, object]  # item id -> label(s) or text, as the page offers them
    reload_at: int | None = None  # reload before this answer
    token: str = ""
    arrival_to_page: float | None = None  # the page's HTML complete
    arrival_to_form: float | None = None  # ... and its widgets (the form) arrived
    submit_to_result: float | None = None
    waits: int = 0  # 请稍候 pages seen
    reloads: int = 0
    reconnects: int = 0  # pages reloaded after their connection died (Behaviour.reconnect)
    missing: int = 0  # answers given before such a reload that it did not show (given again)
    error: str = ""


@dataclass
class Tally:
    people: int
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    errors: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.stored == self.people and not (self.lost or self.duplicated or self.errors)


# ---- the people ----------------------------------------------------------------


def make_room(
    form, people: int, behaviour: Behaviour, run: str, seed: int = 19
) -> list[Participant]:
    """Who answers what; ``form`` is the session's questionnaire, ``run`` a unique run tag."""
    rng = random.Random(seed)
    scale = [*form.scale.labels, form.unknown_label]
    room = []
    for n in range(people):
        choices: dict[str, object] = {"role": form.role.options[n % len(form.role.options)]}
        for k, item in enumerate(form.items):
            choices[item.id] = scale[(n + k) % len(scale)]
        choices[form.overall.id] = str(n % 11)
        if form.problems:
            count = rng.randint(0, form.problems.max_choices)
            chosen = rng.sample(form.problems.options, count)
            choices[form.problems.id] = sorted(o.text for o in chosen)  # as the page labels them
        if form.comment:
            choices[form.comment.id] = f"模拟参加者 {run}-{n:03d}"
        steps = len(choices)
        reload_at = rng.randrange(1, steps) if rng.random() < behaviour.reload_share else None
        room.append(Participant(n, f"{run}-{n:03d}", choices, reload_at))
    return room


def expected_row(form, person: Participant) -> dict[str, object]:
    """The stored row this person's choices must give (values as the store decodes them)."""
    scale = {label: value for value, label in enumerate(form.scale.labels, 1)} | {
        form.unknown_label: 0
    }
    row: dict[str, object] = {"role": person.choices["role"]}
    for item in form.items:
        row[item.id] = scale[person.choices[item.id]]
    row[form.overall.id] = int(person.choices[form.overall.id])
    if form.problems:
        ids = {o.text: o.id for o in form.problems.options}  # votes are stored by option id
        row[form.problems.id] = sorted(ids[t] for t in person.choices[form.problems.id])
    if form.comment:
        row[form.comment.id] = person.choices[form.comment.id]
    return row


# ---- the room ----------------------------------------------------------------------


async def participant(
    base_url: str,
    code: str,
    form,
    person: Participant,
    behaviour: Behaviour,
    release: asyncio.Event | None = None,
) -> None:
    """One phone from arrival to stored result; errors are recorded, not raised."""
    import httpx

    rng = random.Random(person.n)
    await asyncio.sleep(rng.uniform(0, behaviour.arrive_within))
    start = time.perf_counter()
    async with httpx.AsyncClient(timeout=behaviour.timeout, verify=False) as client:
        page = None
        try:
            page = await Page.open(client, base_url, f"?s={code}", person, behaviour.timeout)
            models = read_form(page.states, form)
            person.arrival_to_form = time.perf_counter() - start
            steps = list(person.choices.items())
            pause = rng.uniform(*behaviour.answer_seconds) / (len(steps) + 1)
            for i, (item, choice) in enumerate(steps):
                await asyncio.sleep(pause * rng.uniform(0.5, 1.5))
                if i == person.reload_at:
                    page, models = await _reload(
                        client, base_url, code, form, person, page, steps[:i]
                    )
                if behaviour.reconnect and page.lost():
                    page, models = await _reconnect(
                        client, base_url, code, form, person, steps[:i], behaviour.timeout
                    )
                await answer(page, models, item, choice)
            await asyncio.sleep(pause)
            if behaviour.reconnect and page.lost():
                page, models = await _reconnect(
                    client, base_url, code, form, person, steps, behaviour.timeout
                )
            await submit(page, models, person)
            if release is not None:
                await release.wait()
        except Exception as exc:  # counted in the tally
            person.error = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            if page is not None and (behaviour.close_after or release is not None):
                await page.close()


async def submit(page: Page, models: FormModels, person: Participant) -> None:
    """Press 提交 and wait for the participant's own result."""
    result = page.expect(RESULT_MARK)
    clicked = time.perf_counter()
    await page.click(models.submit)
    await asyncio.wait_for(result, page.timeout)
    person.submit_to_result = time.perf_counter() - clicked


async def complete(page: Page, form, person: Participant) -> None:
    """Answer everything at once and submit (tests that drive pages one by one)."""
    models = read_form(page.states, form)
    for item, choice in person.choices.items():
        await answer(page, models, item, choice)
    await submit(page, models, person)


async def _reload(client, base_url, code, form, person, page, given) -> tuple[Page, FormModels]:
    await page.close()
    page = await Page.open(client, base_url, f"?s={code}", person, page.timeout)
    models = read_form(page.states, form)
    lost = [item for item, choice in given if not shown(page, models, item, choice)]
    if lost:
        raise RuntimeError(f"after a reload the page lost answers to {', '.join(lost)}")
    person.reloads += 1
    return page, models


async def _reconnect(
    client, base_url, code, form, person, given, timeout: float
) -> tuple[Page, FormModels]:
    """The page's connection died: reload (through the proxy, onto a live node); what the
    page does not show is counted in ``person.missing`` and given again, as a person would."""
    page = await Page.open(client, base_url, f"?s={code}", person, timeout)
    models = read_form(page.states, form)
    missing = [(item, choice) for item, choice in given if not shown(page, models, item, choice)]
    person.reconnects += 1
    person.missing += len(missing)
    for item, choice in missing:
        await answer(page, models, item, choice)
    return page, models


async def run_room(
    base_url: str,
    code: str,
    form,
    room: list[Participant],
    behaviour: Behaviour,
    release: asyncio.Event | None = None,
) -> float:
    """Everyone in ``room`` takes part; the wall time in seconds."""
    start = time.perf_counter()
    await asyncio.gather(*(participant(base_url, code, form, p, behaviour, release) for p in room))
    return time.perf_counter() - start


def run_sync(coroutine):
    """``asyncio.run`` in a thread of its own: the caller's thread may run a loop already
    (Playwright's, in a test session with browser tests)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# ---- checking and reporting ------------------------------------------------------


def clean_row(row: dict[str, object]) -> dict[str, object]:
    """A row as compared: no empty answers, multi-choice answers sorted."""
    return {
        k: sorted(v) if isinstance(v, list) else v
        for k, v in row.items()
        if v not in (None, "", [])
    }


def check_room(db_url: str, code: str, form, room: list[Participant]) -> Tally:
    """Each participant stored exactly once, every field as they chose it."""
    from jianfu.assess.store import AssessStore, submission_id

    store = AssessStore(db_url)
    try:
        session = store.session(code)
        rows = store.responses(code)
    finally:
        store.engine.dispose()
    comment = form.comment.id
    by_tag: dict[object, list] = {}
    for row in rows:
        by_tag.setdefault(row.answers.get(comment), []).append(row)
    tally = Tally(len(room))
    for person in room:
        mine = by_tag.pop(person.choices[comment], [])
        if not mine:
            tally.lost += 1
            person.error = person.error or "not stored"
            continue
        tally.stored += 1
        tally.duplicated += len(mine) - 1
        got = clean_row({"role": mine[0].role, **mine[0].answers})
        want = clean_row(expected_row(form, person))
        wrong = sorted(k for k in want.keys() | got.keys() if got.get(k) != want.get(k))
        if mine[0].submission_id != submission_id(person.token, code, session.round):
            wrong.append("submission id (participant cookie)")
        if wrong:
            person.error = person.error or f"stored fields differ: {', '.join(wrong)}"
    for tag, rows in by_tag.items():
        tally.problems.append(f"{len(rows)} stored row(s) tagged {tag!r} belong to nobody here")
    tally.errors = sum(1 for p in room if p.error) + len(tally.problems)
    tally.problems += [f"participant {p.n}: {p.error}" for p in room if p.error]
    return tally


def p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile; NaN for no values."""
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1] if ordered else math.nan


def summary(room: list[Participant], tally: Tally, wall: float) -> list[str]:
    """Report lines; the last one is the room's verdict in a fixed form."""
    lines = [f"{len(room)} participants, wall {wall:.1f} s"]
    for name in ("arrival_to_page", "arrival_to_form", "submit_to_result"):
        values = sorted(v for p in room if (v := getattr(p, name)) is not None)
        if values:
            median = values[len(values) // 2]
            lines.append(
                f"  {name.replace('_', '-'):<17} p50 {median:6.2f} s   p90 {p90(values):6.2f} s"
                f"   max {values[-1]:6.2f} s   ({len(values)} of {len(room)})"
            )
    lines.append(
        f"  请稍候 pages seen {sum(p.waits for p in room)}, reloads {sum(p.reloads for p in room)}"
    )
    lines += [f"  {problem}" for problem in tally.problems[:20]]
    done = [p.submit_to_result for p in room if p.submit_to_result is not None]
    lines.append(
        f"room: {tally.people} participants, stored {tally.stored}, lost {tally.lost}, "
        f"duplicated {tally.duplicated}, errors {tally.errors}, submit-to-result p90 {p90(done):.2f} s"
    )
    return lines
