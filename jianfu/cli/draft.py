"""`jianfu draft`: compose a draft from the compare results and write it as the page would."""

from __future__ import annotations

from pathlib import Path

from ..errors import JianfuError
from ..store import Store


def run_draft(args) -> int:
    from ..compare.selection import Selection, check_pair
    from ..speech.checks import locate, run_checks
    from ..speech.compose import DraftRequest, compose_draft
    from ..speech.documents import FORMATS, write_draft
    from ..speech.drafts import DraftStore
    from ..speech.figures import draft_figures, figures_note
    from ..speech.genres import load_genres
    from ..speech.phrasebank import load_phrasebank
    from ..speech.render import length

    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        raise JianfuError(f"输出文件扩展名应为 {'、'.join(FORMATS)}")
    store = Store.default()
    obs, catalog, bank = store.observations(), store.catalog(), load_phrasebank()
    check_pair(
        Selection(units=(args.unit,), before=args.before, after=args.after),
        store.periods(),
        store.unit_names(),
        obs=obs,
    )
    findings = () if args.no_findings else _assess_findings(store, args.unit)
    request = DraftRequest(
        genre=args.genre,
        unit=args.unit,
        before=args.before,
        after=args.after,
        title=args.title,
        speaker=args.speaker,
        occasion=args.occasion,
        digits=args.digits,
        disabled_levels=tuple(args.skip_level),
        findings=findings,
        self_name=args.self_name,
    )
    draft = compose_draft(obs, catalog, request, load_genres(), bank)
    draft.script = args.script or ""
    write_draft(draft, out)
    print(f"已写出 {out}：{length(draft).describe()}；{figures_note(draft)}")
    if findings:
        print(
            f"已写入自评结果、问题线索{len(findings)}句（“存在的主要问题”一节，放在它佐证的问题下）。"
        )
    if args.sources:
        _print_sources(draft)
    for finding in run_checks(draft, draft_figures(obs, catalog, draft), bank):
        print(f"提示（{finding.label}，{locate(draft, finding)}）：{finding.message}")
    if args.save:
        DraftStore(store.url, engine=store.engine).save(draft)
        print("已保存到数据库，可在“发言稿起草”中继续修改。")
    return 0


def _print_sources(draft) -> None:
    """Every sentence of the draft with where it came from (the composer shows the same)."""
    from ..speech.render import markers
    from ..speech.sources import provenance

    numbers = markers(draft)
    print("\n来源：")
    for section in draft.sections:
        if section.title:
            print(f"{numbers.get(section.id, '')}{section.title}")
        for paragraph in section.paragraphs:
            mark = numbers.get(paragraph.id) or "段落"
            for line in provenance(paragraph.topic, paragraph.text, paragraph.sources):
                print(f"  [{mark}·{line.label}] {line.text}")
                if line.basis:
                    print(f"      依据：{line.basis}")


def _assess_findings(store, unit: str) -> tuple:
    from ..clues.evidence import draft_evidence

    return tuple(draft_evidence(store.url, unit, engine=store.engine))
