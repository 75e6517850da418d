"""`jianfu clues list|export|notice`: the board's clues on the command line.

Registered by jianfu.cli.commands (one line there); the work is done by the clue store,
the exporter and the 通报 draft, as on the board.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .export import clues_xlsx
from .model import STATUSES, Clue, ClueError
from .notice import notice_docx
from .store import ClueStore

SUMMARY = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="操作")

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_, description=help_)
        # also after the action (jianfu clues list --db ...); SUPPRESS keeps the outer value
        p.add_argument("--db", default=argparse.SUPPRESS, help="数据库地址")
        p.add_argument("--data-dir", default=argparse.SUPPRESS, help="数据目录")
        return p

    p = action("list", "列出问题线索（不含已合并的重复线索）")
    p.add_argument("--status", choices=STATUSES, help="只列出这一状态的线索")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（每条一个对象）")
    p = action("export", "把问题线索导出为 Excel 文件（不含联系方式）")
    p.add_argument("file", help="输出文件，扩展名 .xlsx")
    p = action("notice", "起草某一时期核实属实的典型问题通报（Word，公文格式）")
    p.add_argument("--period", required=True, help="时期，如 2026年、2026年第四季度、2026年11月")
    p.add_argument("--out", required=True, help="输出文件，扩展名 .docx")
    p.add_argument(
        "--office", default="", help="发文机关署名，如 某县整治形式主义为基层减负专项工作机制办公室"
    )


def run(args: argparse.Namespace) -> int:
    store = ClueStore()
    try:
        return {"list": _list, "export": _export, "notice": _notice}[args.action](store, args)
    finally:
        store.engine.dispose()


def _list(store: ClueStore, args) -> int:
    clues = store.clues(status=args.status or "")
    if args.json:
        print(json.dumps([_as_json(c) for c in clues], ensure_ascii=False, indent=1))
        return 0
    if not clues:
        print("没有问题线索。")
    for c in clues:
        what = " ".join(c.what.split())
        what = what if len(what) <= SUMMARY else what[:SUMMARY] + "…"
        unit = c.imposed_by or "（未写明单位）"
        print(f"{c.id}\t{c.received_on.isoformat()}\t{c.category}\t{unit}\t{c.status}\t{what}")
    return 0


def _export(store: ClueStore, args) -> int:
    out = _output(args.file, ".xlsx")
    clues = store.clues(merged=True)
    out.write_bytes(clues_xlsx(clues))
    print(f"已导出问题线索{len(clues)}条到 {out}")
    return 0


def _notice(store: ClueStore, args) -> int:
    out = _output(args.out, ".docx")
    out.write_bytes(notice_docx(store.clues(merged=True), args.period, args.office))
    print(f"已写出通报初稿 {out}；请核对后再印发（标有【待补充】的地方需要填写）。")
    return 0


def _output(name: str, suffix: str) -> Path:
    out = Path(name)
    if out.suffix.lower() != suffix:
        raise ClueError(f"输出文件扩展名应为 {suffix}")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _as_json(c: Clue) -> dict:
    return {
        "id": c.id,
        "received_on": c.received_on.isoformat(),
        "category": c.category,
        "imposed_by": c.imposed_by,
        "what": c.what,
        "when": c.when,
        "how_often": c.how_often,
        "hours": c.hours,
        "supervisor": c.supervisor,
        "status": c.status,
        "finding": c.finding,
        "referred_to": c.referred_to,
        "measures": c.measures,
        "reply": c.reply,
        "replied_on": c.replied_on.isoformat() if c.replied_on else None,
    }
