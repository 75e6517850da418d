"""The 自评 page as a phone sees it, over Voila's protocol (no browser).

`Page.open` GETs the page as a browser would (running the first page's script,
that is setting its cookie, and waiting on 请稍候 when the room is full), opens
the kernel websocket and asks for the widget states (ipywidgets' control comm);
`read_form` finds the questions among the widget models, `answer` gives one
answer as the buttons or the text box would, `shown` tells whether the page
shows an answer (after a reload: whether it was saved). The socket is read all
the time, so a participant who thinks keeps answering the server's pings.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from jianfu.assess.links import TOKEN_COOKIE

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
SCRIPT_COOKIE = "jianfu_js"  # what the first page's script sets (jianfu/server/gate.html)
QUEUE_PATH = "jianfu-queue"
BUSY_STATUS = 503


# ---- one page view ---------------------------------------------------------------


def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": session,
        "username": "room-sim",
        "date": datetime.now(UTC).isoformat(),
        "version": "5.3",
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


class Page:
    """The participant page in one tab: its HTML, kernel websocket and widget models."""

    def __init__(self, client, base_url: str, kernel_id: str, timeout: float):
        self.client, self.base_url, self.kernel_id, self.timeout = (
            client,
            base_url,
            kernel_id,
            timeout,
        )
        self.session = uuid.uuid4().hex
        self.ws = None
        self.states: dict[str, dict] = {}
        self._waiting: list[tuple[tuple[str, ...], asyncio.Future]] = []
        self._reader: asyncio.Task | None = None

    @classmethod
    async def open(cls, client, base_url: str, query: str, person, timeout: float):
        """GET the page as a browser would (first-page script, 请稍候 line), then connect.

        ``person`` (a room.Participant) learns its token, 请稍候 pages seen and first page time.
        """
        deadline = time.monotonic() + timeout
        while True:
            reply = await client.get(f"{base_url}{query}")
            kernel = KERNEL_ID.search(reply.text) if reply.status_code == 200 else None
            if kernel:
                break
            if reply.status_code == BUSY_STATUS:
                person.waits += 1
                every = float(reply.headers.get("Retry-After", "3"))
                await _wait_in_line(client, base_url, deadline, every)
            elif reply.status_code == 200 and SCRIPT_COOKIE in reply.text:
                client.cookies.set(SCRIPT_COOKIE, "1")  # what the first page's script does
            else:
                raise RuntimeError(f"page answered {reply.status_code} without a kernel")
            if time.monotonic() > deadline:
                raise TimeoutError("no page within the timeout")
        person.token = client.cookies.get(TOKEN_COOKIE) or ""
        if person.arrival_to_page is None:
            person.arrival_to_page = timeout - (deadline - time.monotonic())
        page = cls(client, base_url, kernel.group(1), timeout)
        await page.connect()
        return page

    async def connect(self) -> None:
        """Open the kernel websocket, start reading it and fetch the widget states."""
        from websockets.asyncio.client import connect

        cookies = "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())
        url = "ws" + self.base_url.removeprefix("http")  # http -> ws, https -> wss
        url += f"api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        options = {}
        if url.startswith("wss://"):  # a test proxy's self-signed certificate
            import ssl

            options["ssl"] = ssl._create_unverified_context()
        self.ws = await connect(
            url, additional_headers={"Cookie": cookies}, max_size=None, **options
        )
        self.start_reading()
        states = self.expect('"update_states"')
        control = uuid.uuid4().hex
        opening = {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}
        await self.ws.send(_message("comm_open", opening, self.session, {"version": "1.0.0"}))
        await self._comm(control, {"method": "request_states"})
        raw = await asyncio.wait_for(states, self.timeout)
        found = json.loads(raw)["content"]["data"]["states"]
        self.states = {model: value["state"] for model, value in found.items()}

    def start_reading(self) -> None:
        """Read the socket from now on, all the time (a thinking participant still answers pings)."""
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        """Read every message as it comes (thinking included); hand them to who waits.

        Ends when the connection does (closed or lost); whoever still waits is told.
        """
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in self.ws:
                text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
                for forms, future in list(self._waiting):
                    if not future.done() and any(form in text for form in forms):
                        future.set_result(text)
                        self._waiting.remove((forms, future))
        except ConnectionClosed:
            pass
        for _, future in self._waiting:
            if not future.done():
                future.set_exception(ConnectionError("the page's connection closed"))

    def lost(self) -> bool:
        """Whether the connection has ended (the server or its node went away)."""
        return self._reader is not None and self._reader.done()

    def expect(self, text: str) -> asyncio.Future:
        """A future for the next message holding ``text`` (the server escapes non-ASCII)."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append(((text, json.dumps(text)[1:-1]), future))
        return future

    async def _comm(self, model: str, data: dict) -> None:
        await self.ws.send(_message("comm_msg", {"comm_id": model, "data": data}, self.session))

    async def update(self, model: str, state: dict) -> None:
        await self._comm(model, {"method": "update", "state": state, "buffer_paths": []})
        self.states[model].update(state)

    async def click(self, model: str) -> None:
        await self._comm(model, {"method": "custom", "content": {"event": "click"}})

    async def close(self) -> None:
        """Leave as a browser tab does: the shutdown beacon, then the socket closes."""
        xsrf = self.client.cookies.get("_xsrf") or ""
        await self.client.post(
            f"{self.base_url}voila/api/shutdown/{self.kernel_id}", headers={"X-XSRFToken": xsrf}
        )
        await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


async def _wait_in_line(client, base_url: str, deadline: float, every: float) -> None:
    """What the 请稍候 page does: ask for the place every few seconds until it is 0."""
    while time.monotonic() < deadline:
        await asyncio.sleep(every + random.random())
        reply = await client.get(f"{base_url}{QUEUE_PATH}")
        if reply.status_code == 200 and reply.json().get("place") == 0:
            return
    raise TimeoutError("still waiting in line")


# ---- the form on the page --------------------------------------------------------


@dataclass
class FormModels:
    """Widget model ids of the questionnaire on one page."""

    fields: dict[str, str]  # item id (and "role") -> ToggleButtons / Textarea model
    options: dict[str, str]  # 最突出的问题: option label -> ToggleButton model
    submit: str


def read_form(states: dict[str, dict], form) -> FormModels:
    """The page's questions; RuntimeError naming what is missing when the form is not all there."""
    by_class: dict[str, str] = {}
    submit = None
    for model, state in states.items():
        for name in state.get("_dom_classes", ()):
            if name.startswith("jf-q-"):
                by_class[name[5:]] = model
            elif name == "jf-assess-comment" and form.comment:
                by_class.setdefault(form.comment.id, model)
        if state.get("_model_name") == "ButtonModel" and state.get("description") == "提交":
            submit = model
    wanted = ["role", *(i.id for i in form.items), form.overall.id]
    wanted += [spec.id for spec in (form.problems, form.comment) if spec]
    missing = [item for item in wanted if item not in by_class] + ([] if submit else ["提交"])
    if missing:
        raise RuntimeError(f"the form never arrived complete: missing {', '.join(missing)}")
    options = {}
    if form.problems:
        box = by_class.pop(form.problems.id)
        options = {
            states[m]["description"]: m
            for m in _descendants(states, box)
            if states[m].get("_model_name") == "ToggleButtonModel"
        }
    return FormModels(by_class, options, submit)


def _descendants(states: dict[str, dict], model: str) -> list[str]:
    found = []
    for ref in states[model].get("children", ()):
        child = ref.removeprefix("IPY_MODEL_")
        if child in states:
            found += [child, *_descendants(states, child)]
    return found


async def answer(page: Page, models: FormModels, item: str, choice: object) -> None:
    """Give one answer as the page's buttons or text box would."""
    if isinstance(choice, list):  # 最突出的问题: one toggle per option
        for label in choice:
            await page.update(models.options[label], {"value": True})
        return
    model = models.fields[item]
    labels = page.states[model].get("_options_labels")
    if labels is None:
        await page.update(model, {"value": choice})
    else:
        await page.update(model, {"index": list(labels).index(choice)})


def shown(page: Page, models: FormModels, item: str, choice: object) -> bool:
    """Does the page show this answer (after a reload: was it saved)?"""
    if isinstance(choice, list):
        on = {label for label, m in models.options.items() if page.states[m].get("value")}
        return on == set(choice)
    state = page.states[models.fields[item]]
    labels = state.get("_options_labels")
    if labels is None:
        return state.get("value") == choice
    return state.get("index") == list(labels).index(choice)
