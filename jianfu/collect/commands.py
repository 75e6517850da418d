"""`jianfu collect new|templates|import|status|remind`: the round cycle without a browser.

Only argparse at import time; each handler imports what it needs.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from ..errors import JianfuError


def add_commands(parser: argparse.ArgumentParser, common, open_store) -> None:
    """Sub-commands of ``jianfu collect``; ``common(p)`` adds --db/--data-dir."""
    sub = parser.add_subparsers(required=True, metavar="操作")

    def command(name: str, help_: str, handler) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        common(p)
        p.set_defaults(handler=lambda args: handler(args, open_store))
        return p

    p = command("new", "新建填报任务", _new)
    p.add_argument("name", help="任务名称，如 2025年一季度七减监测")
    p.add_argument("--period", required=True, help="填报时期，如 2025年")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--units", help="填报单位，逗号分隔")
    who.add_argument("--children", help="上级单位：其全部下级单位填报")
    who.add_argument("--sites", help="已保存的监测点名单")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--indicators", help="指标代码，逗号分隔（默认全部可填报指标）")
    what.add_argument("--group", help="已保存的指标组，如 七减监测指标")
    p.add_argument("--due", help="截止日期 YYYY-MM-DD")
    p.add_argument("--notes", default="", help="给填报单位的说明")

    p = command("templates", "生成各单位填报表和汇总表（.xlsx）", _templates)
    p.add_argument("name", help="任务名称")
    p.add_argument("--out", required=True, help="输出文件夹")

    p = command("import", "导入交回的文件（文件、文件夹或.zip；有文件被拒收时退出码为1）", _import)
    p.add_argument("name", help="任务名称")
    p.add_argument("paths", nargs="+", help="文件、文件夹或 .zip")
    p.add_argument("--use", action="append", default=[], metavar="文件",
                   help="同一单位交来几份、看不出哪份较新时，指定使用哪一份（可重复）")  # fmt: skip

    p = command("status", "各单位填报情况", _status)
    p.add_argument("name", help="任务名称")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command("remind", "生成催报通知（文本；--out 另存 .docx）", _remind)
    p.add_argument("name", help="任务名称")
    p.add_argument("--out", help="另存为 .docx 文件")


def _collect(open_store):
    from .rounds import Collect

    return Collect(open_store())


def _list(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").replace("，", ",").split(",") if t.strip()]


def _new(args, open_store) -> int:
    collect = _collect(open_store)
    if args.children:
        unit_names = collect.children(args.children)
    elif args.sites:
        unit_names = collect.sites().get(args.sites) or []
        if not unit_names:
            raise JianfuError(f"监测点名单“{args.sites}”不存在")
    else:
        unit_names = _list(args.units)
    rnd = collect.new_round(
        args.name,
        args.period,
        unit_names,
        _list(args.indicators),
        group=args.group or "",
        due=_due(args.due),
        notes=args.notes,
    )
    print(f"已新建填报任务“{rnd.name}”：{rnd.period}，{len(rnd.units)}个单位，"
          f"{len(rnd.indicators)}项指标")  # fmt: skip
    return 0


def _due(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise JianfuError(f"截止日期“{text}”无效，应写成 2025-03-31") from exc


def _templates(args, open_store) -> int:
    from .outgoing import write_templates

    collect = _collect(open_store)
    written = write_templates(collect, collect.round(args.name), args.out)
    print(f"已生成{len(written)}个文件（各单位填报表和一份汇总表）：{Path(args.out)}")
    return 0


def _import(args, open_store) -> int:
    from .batch import import_files
    from .incoming import from_paths

    collect = _collect(open_store)
    rnd = collect.round(args.name)
    report = import_files(collect, rnd, from_paths(args.paths), use=args.use)
    for row in report.table().itertuples(index=False):
        who = f"（{row.单位}）" if row.单位 else ""
        print(f"{row.结果}  {row.文件}{who}")
        for line in str(row.说明).split("；") if row.说明 else []:
            print(f"    {line}")
    print(report.summary())
    for unit in report.choices():
        print(f"请加 --use 文件名 指定“{unit}”使用哪一份后再导入这些文件")
    return 1 if report.refused else 0


def _status(args, open_store) -> int:
    from .board import board, board_table, totals

    collect = _collect(open_store)
    rnd = collect.round(args.name)
    statuses = board(collect, rnd)
    table = board_table(statuses, len(rnd.indicators))
    if args.json:
        payload = {"任务": rnd.name, "时期": rnd.period, "截止日期": str(rnd.due or ""),
                   "合计": totals(statuses), "单位": table.to_dict(orient="records")}  # fmt: skip
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for row in table.itertuples(index=False):
        print("  ".join(str(v) for v in row if v))
    counts = totals(statuses)
    print("，".join(f"{k}{v}个" for k, v in counts.items()))
    return 0


def _remind(args, open_store) -> int:
    from .board import board
    from .remind import reminder_docx, reminder_text

    collect = _collect(open_store)
    rnd = collect.round(args.name)
    statuses = board(collect, rnd)
    print(reminder_text(rnd, statuses))
    if args.out:
        Path(args.out).write_bytes(reminder_docx(rnd, statuses))
        print(f"已另存：{args.out}")
    return 0
