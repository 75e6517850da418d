"""Command line `jianfu`: a thin layer over the core for headless use.

Every command prints Chinese messages and exits non-zero on bad input, with the
database left unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..catalog import LEVELS
from ..errors import JianfuError
from ..paths import DATA_DIR_ENV, DB_URL_ENV
from .draft import run_draft
from .ops import add_commands as add_ops_commands

TOKEN_ENV = "JIANFU_TOKEN"  # the private server's access token, instead of --token


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "data_dir", None):
        os.environ[DATA_DIR_ENV] = str(Path(args.data_dir).resolve())
    if getattr(args, "db", None):
        os.environ[DB_URL_ENV] = args.db
    try:
        return args.handler(args) or 0
    except JianfuError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jianfu", description="基层减负工作簿 命令行工具")
    sub = parser.add_subparsers(required=True, metavar="命令")

    def command(name: str, help_: str, handler) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _where(p)
        p.set_defaults(handler=handler)
        return p

    p = command("serve", "用 Voila 启动工作簿网页应用", _serve)
    p.add_argument("--port", type=int, help="端口（默认8866；--public 时默认8870）")
    p.add_argument("--no-demo", action="store_true", help="数据库为空时不载入示例数据")
    p.add_argument(
        "--preheat",
        type=int,
        help="每个页面预热的内核数（默认1：页面打开快约三成，每个页面约多占150MB内存；"
        "0为不预热；--public 时默认为预计人数+10）",
    )
    p.add_argument(
        "--cull-idle-timeout",
        type=int,
        help="空闲页面内核回收时间（秒，默认600；--public 时120；0为不回收）",
    )
    p.add_argument(
        "--public",
        action="store_true",
        help="只发布自评页面（参加者用手机打开），在局域网上监听；其他应用不可访问",
    )
    p.add_argument(
        "--host",
        "--ip",
        dest="host",
        help="监听地址（默认127.0.0.1；--public 时0.0.0.0，即本机所有网卡）",
    )
    p.add_argument(
        "--token",
        help="访问口令（应用服务监听非本机地址时必需；不给则读 $JIANFU_TOKEN，再没有则自动生成并打印）",
    )
    p.add_argument(
        "--base-url",
        default="/",
        help="应用所在的路径（默认 /；在反向代理后与其他网站共用地址时，如 /jianfu/）",
    )
    p.add_argument("--room", type=int, default=30, help="--public：预计同时参加的人数（默认30）")
    p.add_argument(
        "--fill-delay",
        type=float,
        default=15,
        help="--public：无人打开页面、无人作答满多少秒后才补充预热内核（默认15；作答期间不补充，"
        "只补到预计人数中还没来的人数再加10个）",
    )
    p.add_argument(
        "--max-kernels",
        type=int,
        help="--public：同时存在的内核上限（含预热的；默认按可用内存计算），超出时按先来后到排队，"
        "“请稍候”页面显示排在第几位",
    )
    p.add_argument("--session", help="--public：场次代码，打印的地址和二维码中带上它")

    from ..collect.commands import add_commands

    p = sub.add_parser("collect", help="填报任务：下发模板、批量导入交回的文件、查看报送情况、催报")
    add_commands(p, _where, _store)

    p = command("demo", "创建示例数据库（已有数据时只补充示例数据）", _demo)

    p = command("import", "导入 .xlsx 或 .csv 文件（全部成功或全部不导入）", _import)
    p.add_argument("file", help="要导入的文件")
    p.add_argument("--dry-run", action="store_true", help="只检查和预览，不写入数据库")
    p.add_argument(
        "--sheet",
        help="要导入的工作表（默认：最像数据表的可见工作表；隐藏的工作表只在这里指名时导入）",
    )
    p.add_argument(
        "--fractions",
        choices=("percent", "as_is"),
        help="百分比列中0到1之间的数：percent 按比例换算（0.926记为92.6%%），as_is 原样导入",
    )

    p = command("export", "导出全部数据为 .xlsx 或 .csv", _export)
    p.add_argument("file", help="导出文件名（按扩展名决定格式）")

    p = command("template", "生成空白填报模板（.xlsx）", _template)
    p.add_argument("file", help="模板文件名")

    p = command("compare", "对比两个时期（或多个时期的趋势）", _compare)
    p.add_argument("--before", help="基期，如 2023年")
    p.add_argument("--after", help="比较期，如 2024年")
    p.add_argument("--unit", action="append", help="单位（可多次指定；默认全部）")
    p.add_argument("--group", help="把所选单位汇总为一个整体，并用此名称")
    p.add_argument("--periods", help="多个时期，逗号分隔，检查趋势，如 2019年,2020年,2021年")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command("chart", "按对比结果生成图表（.png 或 .svg，幻灯片或文档尺寸）", _chart)
    p.add_argument(
        "--kind",
        required=True,
        choices=["before_after", "change", "trend", "category", "ranking"],
        help="图表：before_after前后对比、change变化幅度、trend趋势、category分类对比、ranking单位排名",
    )
    p.add_argument("--unit", action="append", required=True, help="单位（可多次指定）")
    p.add_argument("--group", help="把所选单位汇总为一个整体，并用此名称")
    p.add_argument("--before", help="基期，如 2023年")
    p.add_argument("--after", help="比较期，如 2024年")
    p.add_argument("--periods", help="趋势图的多个时期，逗号分隔，如 2019年,2020年,2021年")
    p.add_argument("--indicator", action="append", help="趋势图的指标代码（可多次指定；默认前8项）")
    p.add_argument("--rank-by", help="排名依据的指标代码（默认按改善指标占比）")
    p.add_argument("--out", required=True, help="输出文件（.png 或 .svg）；图表分页时依次编号")
    p.add_argument(
        "--size",
        choices=["slide", "doc", "screen"],
        default="slide",
        help="尺寸：slide幻灯片16:9（默认，PNG为1920×1080）、doc文档（1600×1200）、screen屏幕",
    )

    p = command("draft", "按对比结果起草发言稿或材料，写出 .docx、.md 或 .txt", run_draft)
    p.add_argument(
        "--genre", required=True, help="体裁，如 研讨交流发言、经验交流材料、调研报告、自查报告"
    )
    p.add_argument("--unit", required=True, help="单位")
    p.add_argument("--before", required=True, help="基期，如 2023年")
    p.add_argument("--after", required=True, help="比较期，如 2024年")
    p.add_argument("--out", required=True, help="输出文件（按扩展名 .docx/.md/.txt 决定格式）")
    p.add_argument(
        "--script",
        choices=["s2t", "s2tw", "s2hk"],
        help="输出繁体：s2t、s2tw（台湾）、s2hk（香港）",
    )
    p.add_argument("--title", default="", help="标题（默认按体裁生成）")
    p.add_argument("--speaker", default="", help="发言人或署名")
    p.add_argument("--occasion", default="", help="场合，如 基层减负专题学习研讨会")
    p.add_argument(
        "--digits",
        type=int,
        choices=[0, 1, 2],
        default=None,
        help="数字精度：0整数、1一位小数、2两位小数（默认与对比页面一致：计算得出的比例一位小数，其余最多两位）",
    )
    p.add_argument(
        "--skip-level",
        action="append",
        choices=list(LEVELS),
        default=[],
        metavar="LEVEL",
        help=f"不按这一级的规定预警（可多次给出；可选：{'、'.join(LEVELS)}；默认各级都用，与对比页面一致）",
    )
    p.add_argument(
        "--self-name",
        default=None,
        help="正文中对本单位的称呼，如 我县、我镇、我局（默认：本单位发言的体裁用“我县”等，调研报告用单位名称）",
    )
    p.add_argument(
        "--sources",
        action="store_true",
        help="列出每一句的来源：对比数据、预警、自评、短语库或模板",
    )
    p.add_argument("--save", action="store_true", help="同时把稿子保存到数据库，可在网页中继续修改")
    p.add_argument(
        "--no-findings",
        action="store_true",
        help="不写入该单位的自评发现和问题线索（默认写入最近一次不少于5人的自评结果、"
        "今年核实属实的问题线索数）",
    )
    p = command("clues", "问题线索：列出、导出 Excel、起草通报", _clues)
    from ..clues.commands import add_arguments

    add_arguments(p)
    p = command("register", "台账：导入发文、会议、督检考台账，计算指标，查看预警", _register)
    from ..registers.commands import add_arguments as register_arguments

    register_arguments(p)
    add_ops_commands(command)
    return parser


def _clues(args) -> int:
    from ..clues.commands import run

    return run(args)


def _register(args) -> int:
    from ..registers.commands import run

    return run(args)


def _where(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="数据库地址（默认：数据目录下的 SQLite 文件）")
    p.add_argument(
        "--data-dir",
        help="数据目录（默认：$JIANFU_DATA_DIR；源码目录中为 instance/，安装版为用户数据目录，"
        "如 ~/.local/share/jianfu）",
    )


def _store():
    from ..store import Store

    return Store.default()


def _serve(args) -> int:
    if args.public:
        return _serve_public(args)
    from ..server import voila as serve

    store = _store()
    if store.is_empty() and not args.no_demo:
        _build_demo(store)
        print("数据库为空，已载入示例数据。")
    return serve.run(
        port=args.port or 8866,
        host=args.host or serve.HOST,
        token=args.token or os.environ.get(TOKEN_ENV),
        cull_idle_timeout=600 if args.cull_idle_timeout is None else args.cull_idle_timeout,
        preheat=1 if args.preheat is None else args.preheat,
        prefix=args.base_url,
    )


def _serve_public(args) -> int:
    from ..server import public

    return public.run(
        host=args.host or public.DEFAULT_HOST,
        port=args.port or public.DEFAULT_PORT,
        code=args.session,
        preheat=args.preheat,
        room=args.room,
        fill_delay=args.fill_delay,
        max_kernels=args.max_kernels,
        cull_idle_timeout=(
            public.CULL_IDLE_TIMEOUT if args.cull_idle_timeout is None else args.cull_idle_timeout
        ),
    )


def _demo(args) -> int:
    store = _store()
    _build_demo(store)
    print(f"示例数据已就绪：{store.url}")
    return 0


def _build_demo(store) -> None:
    """The demo figures and, beside them, the collection rounds and the sample townships'
    registers (idempotent)."""
    from ..collect.demo import build_demo_rounds
    from ..registers.sample import build_sample_registers
    from ..registers.store import RegisterStore
    from ..store.demo import build_demo

    build_demo(store)
    build_demo_rounds(store)
    build_sample_registers(RegisterStore(store.url, engine=store.engine))


def _import(args) -> int:
    from ..dataio.importer import import_file
    from ..dataio.preview import counts_text, preview_notes, read_line

    path = Path(args.file)
    if not path.is_file():
        raise JianfuError(f"找不到文件：{path}")
    store = _store()
    catalog = store.catalog()
    answers = dict.fromkeys(catalog.codes(), args.fractions) if args.fractions else {}
    result = import_file(path.read_bytes(), path.name, catalog, sheet=args.sheet, fractions=answers)
    if result.questions:
        for question in result.questions.values():
            print(f"需要确认：{question}", file=sys.stderr)
        raise JianfuError(
            "请用 --fractions percent（按比例换算）或 --fractions as_is（原样导入）说明"
        )
    changes = store.preview(result.observations)
    print(f"{read_line(result)}：{counts_text(changes)}")
    for note in preview_notes(result.notes, changes):
        print(f"注意：{note}")
    if args.dry_run:
        print("预览模式：未写入数据库。")
        return 0
    saved = store.save_observations(result.observations, source=f"导入：{path.name}")
    print(saved.summary())
    return 0


def _export(args) -> int:
    from ..dataio.all_data import export_csv, export_xlsx

    path = Path(args.file)
    store = _store()
    obs = store.observations()
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        data = export_xlsx(obs, store.catalog())
    elif suffix == ".csv":
        data = export_csv(obs, store.catalog())
    else:
        raise JianfuError("导出文件扩展名应为 .xlsx 或 .csv")
    path.write_bytes(data)
    print(f"已导出{len(obs)}条数据到 {path}")
    return 0


def _template(args) -> int:
    from ..dataio.template import template_xlsx

    path = Path(args.file)
    if path.suffix.lower() != ".xlsx":
        raise JianfuError("模板文件扩展名应为 .xlsx")
    store = _store()
    path.write_bytes(template_xlsx(store.catalog(), store.unit_names(), store.periods()))
    print(f"已生成模板：{path}")
    return 0


def _compare(args) -> int:
    from ..compare import selection, views
    from ..compare.sentences import span_note

    store = _store()
    catalog, obs = store.catalog(), store.observations()
    known, units = store.periods(), store.unit_names()
    sel = selection.Selection(
        units=tuple(args.unit or ()),
        group=args.group,
        before=args.before,
        after=args.after,
        periods=tuple(p.strip() for p in (args.periods or "").split(",") if p.strip()),
    )
    if args.periods:
        selection.check_run(sel, known, units, obs=obs)
        table, sentences = selection.run_trend(obs, catalog, sel, hierarchy=store.units())
        if args.json:
            print(json.dumps(views.trend_records(table), ensure_ascii=False, indent=2))
            return 0
        if note := span_note(sel.periods):
            print(f"注意：{note}。")
        _print_block(views.trend_view(table, list(sel.periods)))
        _print_lines(sentences)
        return 0
    if not (args.before and args.after):
        raise JianfuError("请用 --before 和 --after 指定两个时期，或用 --periods 指定多个时期")
    selection.check_pair(sel, known, units, obs=obs)
    result = selection.run_comparison(obs, catalog, sel, hierarchy=store.units())
    if args.json:
        print(json.dumps(views.compare_records(result.table), ensure_ascii=False, indent=2))
        return 0
    if note := result.span_note:  # before the figures it makes doubtful
        print(f"注意：{note}。")
    _print_block(views.table_view(result.table))
    for note in (result.overlap_note, result.not_rolled_up_note):
        if note:
            print(f"注意：{note}。")
    _print_block(views.not_compared_view(result.table), "以下指标只有一个时期有数据，未作比较：")
    _print_block(views.left_out_view(result.table), "汇总时未计入（缺少数据）：")
    _print_lines(result.sentences)
    return 0


def _chart(args) -> int:
    from ..charts.figures import KINDS, pair_figures, trend_figures
    from ..charts.images import page_paths, save_chart
    from ..charts.sizes import chart_size
    from ..compare import selection

    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg"):
        raise JianfuError("输出文件扩展名应为 .png 或 .svg")
    store = _store()
    catalog, obs = store.catalog(), store.observations()
    known, units = store.periods(), store.unit_names()
    sel = selection.Selection(
        units=tuple(args.unit),
        group=args.group,
        before=args.before,
        after=args.after,
        periods=tuple(p.strip() for p in (args.periods or "").split(",") if p.strip()),
        rank_by=args.rank_by,
    )
    if args.kind == "trend":
        if not args.periods:
            raise JianfuError("趋势图请用 --periods 指定多个时期，如 2019年,2020年,2021年")
        selection.check_run(sel, known, units, obs=obs)
        table, _ = selection.run_trend(obs, catalog, sel, hierarchy=store.units())
        if table.empty:
            raise JianfuError(selection.NO_RUN_DATA)
        figures = trend_figures(table, catalog, args.indicator)
    else:
        if not (args.before and args.after):
            raise JianfuError("请用 --before 和 --after 指定两个时期")
        selection.check_pair(sel, known, units, obs=obs)
        if args.rank_by and catalog.get(args.rank_by) is None:
            raise JianfuError(f"指标目录中没有指标“{args.rank_by}”")
        result = selection.run_comparison(obs, catalog, sel, said_units=0, hierarchy=store.units())
        if result.table.empty:
            raise JianfuError(selection.NO_PAIR_DATA)
        rank_label = catalog[args.rank_by].name if args.rank_by else None
        figures = pair_figures(result, catalog, rank_label)
    figure = next((f for f in figures if f.kind == args.kind), None)
    if figure is None:
        needs = {
            "category": "分类对比图只画一个单位：请只指定一个 --unit，或用 --group 汇总",
            "ranking": "单位排名需要至少两个单位（不汇总）",
        }
        raise JianfuError(needs.get(args.kind, f"无法生成{KINDS[args.kind]}图"))
    size = chart_size(args.size)
    pages = figure.pages(size)
    paths = page_paths(out, len(pages))
    for chart, path in zip(pages, paths, strict=True):
        save_chart(chart, path, size=size)
    print(f"已生成{KINDS[args.kind]}图{len(paths)}张（{size.label}）：")
    print("\n".join(str(path) for path in paths))
    return 0


def _print_block(frame, title: str = "") -> None:
    if frame.empty:
        return
    from ..compare.views import format_table

    if title:
        print(f"\n{title}")
    print(format_table(frame))


def _print_lines(lines: list[str]) -> None:
    if lines:
        print()
        print("\n".join(f"{line}。" for line in lines))


if __name__ == "__main__":
    sys.exit(main())
