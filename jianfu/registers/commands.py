"""`jianfu register import|derive|warnings`: the registers on the command line.

Registered by jianfu.cli.commands; the work is done by the register store, the
derivation, the hand-off to the store and the warnings, as on the page.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from ..store import Store
from .derive import derive
from .handoff import write
from .importing import import_register
from .model import RegisterError
from .report import all_warnings, figure_lines
from .store import RegisterStore


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="操作")

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_, description=help_)
        p.add_argument("--db", default=argparse.SUPPRESS, help="数据库地址")
        p.add_argument("--data-dir", default=argparse.SUPPRESS, help="数据目录")
        return p

    p = action("import", "导入从其他系统导出的台账（.xlsx 或 .csv）；已登记的重复记录不再登记")
    p.add_argument("file", help="台账文件")
    p.add_argument("--kind", required=True, help="台账类型：发文、会议或督检考")
    p.add_argument("--unit", required=True, help="台账所属单位")
    p.add_argument("--sheet", help="工作表名称（默认自动选择）")
    p.add_argument("--keep-repeats", action="store_true",
                   help="与已登记记录重复的也登记（本文件以前导入过的行不会再登记）")  # fmt: skip
    p = action("derive", "由台账计算某单位某时期的指标；加 --write 写入数据库（来源“台账”）")
    p.add_argument("--unit", required=True, help="单位")
    p.add_argument("--period", required=True, help="时期，如 2026年、2026年第三季度、2026年9月")
    p.add_argument("--write", action="store_true", help="写入数据库；与已录入的值不同时不覆盖")
    p.add_argument(
        "--replace", action="append", default=[], metavar="指标代号",
        help="核对后用台账计算值覆盖已录入的值（可重复，如 --replace doc_count）",
    )  # fmt: skip
    p = action("warnings", "台账预警：超长文件、超时讲话、计划外事项、进度预警、合并建议")
    p.add_argument("--unit", help="只看这一单位")
    p.add_argument("--as-of", help="进度截至日期（默认今天），如 2026-09-30")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")


def run(args: argparse.Namespace) -> int:
    registers = RegisterStore()
    try:
        return {"import": _import, "derive": _derive, "warnings": _warnings}[args.action](
            registers, args
        )
    finally:
        registers.engine.dispose()


def _import(registers: RegisterStore, args) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise RegisterError(f"找不到文件“{path}”")
    done = import_register(registers, path.read_bytes(), path.name, args.kind, args.unit,
                           args.sheet, keep_repeats=args.keep_repeats)  # fmt: skip
    print(done.summary())
    for line in done.added.repeats:
        print(f"  {line}")
    if done.added.held:
        print(
            "如确属不同事项，可加 --keep-repeats 再导入一次：只登记这些记录，本文件已导入的行不会再登记"
        )
    return 0


def _derive(registers: RegisterStore, args) -> int:
    store = Store.default()
    try:
        figures = derive(registers, args.unit, args.period)
        if not figures:
            print(f"{args.unit}在{args.period}没有台账记录。")
            return 0
        for line in figure_lines(figures):
            print(line)
        if not args.write:
            print("（未写入；加 --write 写入数据库）")
            return 0
        outcomes = write(store, registers, args.unit, args.period, figures, args.replace)
        catalog = store.catalog()
        for o in outcomes:
            print(o.line(catalog[o.figure.code].name))
        return 1 if any(o.status == "冲突" for o in outcomes) else 0
    finally:
        store.engine.dispose()


def _warnings(registers: RegisterStore, args) -> int:
    as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    store = Store.default()
    try:
        found = all_warnings(registers, store, args.unit, as_of)
    finally:
        store.engine.dispose()
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
        return 0
    if not found:
        print("没有预警。")
    for w in found:
        print(f"[{w['unit']}] {w['title']}：{w['text']}")
    return 0
