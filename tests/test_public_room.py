"""The public 自评 server under a room, over Voila's protocol (tests.support.room), no browser.

A real server each time (`jianfu serve --public` on a temporary database): the
kernel cap with pages left open and the line behind 请稍候, requests that never
open the page (issue 17 item 16), and a crash of the Voila process mid-room.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import httpx
import psutil
import pytest

from jianfu.assess.questionnaire import load_questionnaire
from jianfu.assess.store import AssessStore
from tests.support import room as sim
from tests.support.servers import free_port, start_public_server

pytestmark = pytest.mark.slow

FORM = load_questionnaire("quick")
PLACE = re.compile(r'id="place">(\d+)<')


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'room.sqlite'}"
    store = AssessStore(url)
    store.create_session("room", "测试现场")
    store.engine.dispose()
    return url


def kernels_of(pid: int) -> int:
    """Kernel processes the server started: its direct children running ipykernel.

    Not the whole tree: a process a kernel forks carries the kernel's command line
    until it execs, and would count as a kernel of its own (a run with 4 workers saw
    six once).
    """
    try:
        children = psutil.Process(pid).children()
    except psutil.NoSuchProcess:
        return 0
    count = 0
    for child in children:
        try:
            count += "ipykernel" in " ".join(child.cmdline())
        except psutil.Error:
            pass
    return count


class KernelWatch(threading.Thread):
    """The most kernel processes seen alive at once, sampled every 50 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.most, self._done = pid, 0, threading.Event()

    def run(self):
        while not self._done.is_set():
            self.most = max(self.most, kernels_of(self.pid))
            time.sleep(0.05)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.most


def client() -> httpx.AsyncClient:
    """A phone whose browser already ran the first page's script."""
    return httpx.AsyncClient(timeout=120, verify=False, cookies={sim.SCRIPT_COOKIE: "1"})


async def until(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.1)


# ---- the cap and the line -------------------------------------------------------


def test_the_cap_holds_with_pages_left_open_and_the_line_keeps_arrival_order(tmp_path, db_url):
    server = start_public_server(
        tmp_path, db_url, preheat=4, max_kernels=5, room=8, fill_delay=1, wait_for_pool=4
    )
    watch = KernelWatch(server.process.pid)
    watch.start()
    room = sim.make_room(FORM, 8, sim.Behaviour.instant(), "cap")
    try:
        places, got_in = sim.run_sync(_cap_scenario(server.url(), room))
    finally:
        try:
            most = watch.stop()
        finally:
            server.stop()
    assert places == [1, 2, 3]  # the 请稍候 page says where each one stands
    assert got_in == [5, 6, 7]  # and they get in in arrival order
    assert most == 5  # five pages open at once, never a sixth kernel
    tally = sim.check_room(db_url, "room", FORM, room)
    assert tally.ok and tally.stored == 8, tally.problems


async def _cap_scenario(url: str, room) -> tuple[list[int], list[int]]:
    phones = [client() for _ in room]
    holders = [await sim.Page.open(phones[n], url, "?s=room", room[n], 120) for n in range(5)]
    places = []
    for n in (5, 6, 7):  # the room is full: three more arrive, in this order
        reply = await phones[n].get(f"{url}?s=room")
        assert reply.status_code == 503 and "请稍候" in reply.text
        places.append(int(PLACE.search(reply.text).group(1)))
    got_in: list[int] = []

    async def wait(n: int) -> sim.Page:
        page = await sim.Page.open(phones[n], url, "?s=room", room[n], 120)
        got_in.append(n)
        return page

    waiting = [asyncio.create_task(wait(n)) for n in (5, 6, 7)]
    await asyncio.sleep(3)  # a poll or two of the line: nobody gets a kernel meanwhile
    for k, holder in enumerate(holders[:3]):
        assert len(got_in) == k  # nobody passes while the room is full
        await sim.complete(holder, FORM, room[k])
        await holder.close()  # the tab closes: its kernel is shut down at once
        await until(lambda k=k: len(got_in) == k + 1, 30)
    pages = holders[3:] + [await task for task in waiting]
    for page, person in zip(pages, room[3:], strict=True):
        await sim.complete(page, FORM, person)
        await page.close()
    for phone in phones:
        await phone.aclose()
    return places, got_in


# ---- refills wait for a quiet room ----------------------------------------------------


def test_the_pool_is_refilled_only_once_the_room_is_quiet(tmp_path, db_url):
    """Refills that landed on the room's 提交 made every confirmation wait ~15 s (issue 19)."""
    server = start_public_server(tmp_path, db_url, preheat=3, room=2, fill_delay=3, wait_for_pool=3)
    room = sim.make_room(FORM, 2, sim.Behaviour.instant(), "quiet")
    try:
        started = sim.run_sync(_answer_for_a_while(server, room, seconds=4))
        quiet_again = time.monotonic()
        while server.log().count("Kernel started") < 5 and time.monotonic() < quiet_again + 30:
            time.sleep(0.2)
        refilled = time.monotonic() - quiet_again
        log = server.log()
    finally:
        server.stop()
    assert started == 3  # the pool's own three: nothing new while the room answered
    assert log.count("Kernel started") == 5  # then the two used ones, and no more
    assert refilled < 2 + 6


async def _answer_for_a_while(server, room, seconds: float) -> int:
    phones = [client() for _ in room]
    pages = [
        await sim.Page.open(phone, server.url(), "?s=room", p, 60)
        for phone, p in zip(phones, room, strict=True)
    ]
    models = [sim.read_form(page.states, FORM) for page in pages]
    labels = [*FORM.scale.labels, FORM.unknown_label]
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:  # someone answers every half second
        page, form = pages[n % 2], models[n % 2]
        await sim.answer(page, form, "q01", labels[n % len(labels)])
        await asyncio.sleep(0.5)
        n += 1
    started = server.log().count("Kernel started")
    for page, phone in zip(pages, phones, strict=True):
        await page.close()
        await phone.aclose()
    return started


# ---- requests that never open the page (issue 17 item 16) --------------------------


def test_requests_that_never_open_the_page_do_not_keep_participants_out(tmp_path, db_url):
    server = start_public_server(
        tmp_path, db_url, preheat=2, max_kernels=4, connect_timeout=6, wait_for_pool=2
    )
    first, second = sim.make_room(FORM, 2, sim.Behaviour.instant(), "get")
    try:
        for _ in range(4):  # as many as the cap: curl, a link preview, a script without cookies
            with urllib.request.urlopen(server.url("?s=room"), timeout=30) as reply:
                assert reply.status == 200 and b"jianfu_js" in reply.read()
        assert kernels_of(server.process.pid) == 2  # just the pool: no kernel was started
        sim.run_sync(_one_participant(server.url(), first))
        # a script that fakes the page's cookie gets kernels, for connect_timeout seconds only
        sim.run_sync(_scripts_then_participant(server.url(), second, scripts=4))
        log = server.log()
    finally:
        server.stop()
    assert first.error == "" and first.waits == 0 and first.arrival_to_form < 10
    assert second.error == "" and second.waits >= 1
    assert second.arrival_to_form < 6 + 12  # the timeout, a poll of the line, a new kernel
    assert log.count("its page never connected") == 4


async def _scripts_then_participant(url: str, person, scripts: int) -> None:
    async def fetch(n: int) -> int:
        async with client() as script:  # a new cookie jar each time: a new "participant"
            return (await script.get(f"{url}?s=room&n={n}")).status_code

    assert await asyncio.gather(*(fetch(n) for n in range(scripts))) == [200] * scripts
    await _one_participant(url, person)


async def _one_participant(url: str, person) -> None:
    await sim.participant(url, "room", FORM, person, sim.Behaviour.instant(timeout=60))


# ---- a crash mid-room ---------------------------------------------------------------


def test_after_a_crash_the_service_restarts_and_saved_answers_survive(tmp_path, db_url):
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "import sys; from jianfu.cli import main; sys.exit(main())",
        *("serve", "--public", "--host", "127.0.0.1", "--port", str(port)),
        *("--room", "4", "--preheat", "2", "--db", db_url, "--data-dir", str(tmp_path)),
    ]
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    service = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    room = sim.make_room(FORM, 4, sim.Behaviour.instant(), "crash")
    try:
        restarted = sim.run_sync(_crash_scenario(url, service, room, db_url))
        voila = _voila_of(service)
    finally:
        service.terminate()  # what a service manager's stop does
        stopped = service.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")
    assert "自评服务意外退出" in output and "自评服务已重新启动" in output
    assert stopped == 0 and "已停止" in output and not voila.is_running()
    # a new kernel at once, not a wait for the pool to warm again (it took ~68 s for 30)
    assert restarted < 10, f"the first form after the restart took {restarted:.1f} s"
    tally = sim.check_room(db_url, "room", FORM, room)
    assert tally.ok and tally.stored == 4, tally.problems


async def _crash_scenario(url: str, service, room, db_url: str) -> float:
    """Half the room submitted, half half-way; the server is killed; everyone reloads.

    Returns the seconds from the server answering again to the first form.
    """
    await until(lambda: _answers(url) is not None, 120)
    phones = [client() for _ in room]
    pages = [
        await sim.Page.open(phone, url, "?s=room", p, 120)
        for phone, p in zip(phones, room, strict=True)
    ]
    half = list(room[0].choices)[:6]
    for page, person in zip(pages[:2], room[:2], strict=True):  # two submitted before the crash
        await sim.complete(page, FORM, person)
    for page, person in zip(pages[2:], room[2:], strict=True):  # two half-way
        models = sim.read_form(page.states, FORM)
        for item in half:
            await sim.answer(page, models, item, person.choices[item])
    given = [sim.expected_row(FORM, p) for p in room]
    given = [sim.clean_row(r if n < 2 else {k: r[k] for k in half}) for n, r in enumerate(given)]
    await until(lambda: _saved(db_url) == sum(len(r) for r in given), 30)
    voila = _voila_of(service)
    voila.kill()  # as hard as it gets: no shutdown, kernels orphaned
    await until(lambda: _answers(url) is None, 10)
    await until(lambda: _answers(url) == 200, 120)
    up = time.monotonic()
    for n, (phone, person) in enumerate(
        zip(phones, room, strict=True)
    ):  # everyone presses 刷新页面
        page = await sim.Page.open(phone, url, "?s=room", person, 120)
        if n == 0:
            restarted = time.monotonic() - up
        models = sim.read_form(page.states, FORM)
        before = list(person.choices) if n < 2 else half
        assert all(sim.shown(page, models, i, person.choices[i]) for i in before), person.n
        if n >= 2:
            await sim.complete(page, FORM, person)
        await page.close()
        await phone.aclose()
    return restarted


def _voila_of(service) -> psutil.Process:
    (voila,) = [
        p for p in psutil.Process(service.pid).children() if "voila_public" in str(p.cmdline())
    ]
    return voila


def _answers(url: str) -> int | None:
    """Status of the ready check (404 when up), None while nothing listens."""
    try:
        urllib.request.urlopen(url + "ready-check", timeout=5)
    except urllib.error.HTTPError as exc:
        return 200 if exc.code == 404 else exc.code
    except OSError:
        return None
    return 200


def _saved(db_url: str) -> int:
    store = AssessStore(db_url)
    try:
        rows = store.responses("room", submitted_only=False)
    finally:
        store.engine.dispose()
    return sum(len(r.answers) + (r.role is not None) for r in rows)
