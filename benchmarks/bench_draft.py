"""The 发言稿 app: preview after an edit, Word export, and a user's path to a .docx.

1. Core, on a 2,000-字 draft (a composed 研讨交流发言 padded with the user's text):
   - the refresh after a keystroke (edit the model, run every check, count, build the
     escaped preview) against the baseline of only escaping the text into HTML;
   - the .docx export in 公文 layout against python-docx writing the same paragraphs
     with no styling at all.
2. In headless Chromium against a real Voila server on a fresh demo database, as
   a user would: open the page, 生成初稿, 导出 tab, 生成Word, click the link; the
   clicks and the seconds until the .docx has arrived.

Run: .venv/bin/python benchmarks/bench_draft.py [--runs N] [--no-browser]
"""

from __future__ import annotations

import argparse
import html
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: project root

from jianfu.speech.checks import run_checks
from jianfu.speech.compose import DraftRequest, compose_draft
from jianfu.speech.figures import draft_figures
from jianfu.speech.genres import load_genres
from jianfu.speech.phrasebank import load_phrasebank
from jianfu.speech.render import blocks, char_count, length, to_html
from jianfu.speech.word import draft_docx
from jianfu.store.demo import demo_observations
from tests.support.browser import chromium, open_app, watch_requests
from tests.support.demo import build_demo_file, sqlite_url
from tests.support.servers import start_server, stop_server

TARGET_CHARS = 2000
FILLER = "我们坚持问题导向，把基层反映最集中的事项列成清单，逐项明确责任单位和完成时限。"


def two_thousand_chars():
    from jianfu.catalog import load_catalog

    obs, catalog = demo_observations(), load_catalog()
    draft = compose_draft(
        obs,
        catalog,
        DraftRequest("研讨交流发言", "示例县城关镇", "2023年", "2024年"),
        load_genres(),
        load_phrasebank(),
    )
    points = [p for s in draft.sections for p in s.paragraphs if p.kind == "point"]
    i = 0
    while char_count(draft) < TARGET_CHARS:
        points[i % len(points)].text += FILLER
        i += 1
    return draft, draft_figures(obs, catalog, draft)


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_core(runs: int) -> None:
    draft, figures = two_thousand_chars()
    bank = load_phrasebank()
    target = draft.sections[2].paragraphs[0]
    original = target.text
    keystrokes = iter(range(10**9))

    def refresh() -> None:  # what DraftApp.refresh does after a keystroke
        draft.set_text(target.id, original + "字" * (next(keystrokes) % 7))
        findings = run_checks(draft, figures, bank)
        flagged = frozenset(f.paragraph_id for f in findings if f.paragraph_id)
        to_html(draft, "", flagged)
        length(draft)

    def escape_only() -> None:
        "".join(f"<p>{html.escape(b.text)}</p>" for b in blocks(draft))

    def plain_docx() -> None:
        from docx import Document

        doc = Document()
        for b in blocks(draft):
            doc.add_paragraph(b.text)
        doc.save(io.BytesIO())

    refresh_s, base_s = median_time(refresh, runs), median_time(escape_only, runs)
    docx_s, plain_s = median_time(lambda: draft_docx(draft), runs), median_time(plain_docx, runs)
    print(f"draft: {char_count(draft)} 字, {len(blocks(draft))} blocks, median of {runs} runs")
    print(
        f"preview after an edit (checks + count + HTML): {refresh_s * 1000:.1f} ms; "
        f"escape-only baseline {base_s * 1000:.2f} ms; ratio {refresh_s / base_s:.0f}x"
    )
    print(
        f".docx export (公文 layout): {docx_s * 1000:.1f} ms; unstyled python-docx "
        f"{plain_s * 1000:.1f} ms; ratio {docx_s / plain_s:.2f}x"
    )


def bench_browser(runs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="jianfu-bench-draft-"))
    results = []
    for run in range(runs):
        db = sqlite_url(build_demo_file(folder / f"db{run}"))  # a fresh database: no draft yet
        server = start_server(folder / f"voila{run}", db_url=db)
        try:
            with chromium() as browser:
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                watch_requests(context)
                page = context.new_page()
                results.append(user_path(page, server.render_url("03_draft.ipynb")))
                if run == 0:
                    page.screenshot(path=str(folder / "draft-page.png"), full_page=False)
        finally:
            stop_server(server)
    for clicks, interactive, total in results:
        print(
            f"browser: page interactive {interactive:.1f} s; {clicks} clicks; "
            f".docx downloaded {total:.1f} s after opening the page"
        )
    print(f"median seconds to a downloaded .docx: {statistics.median(r[2] for r in results):.1f}")
    print(f"screenshot: {folder / 'draft-page.png'}")


def user_path(page, url: str) -> tuple[int, float, float]:
    start = time.perf_counter()
    interactive = open_app(page, url, ".jf-draft")
    clicks = 0
    page.get_by_role("button", name="生成初稿", exact=True).click()
    clicks += 1
    page.wait_for_selector(".jf-draft-paragraph textarea", state="visible", timeout=60000)
    page.locator(".lm-TabBar-tab", has_text="导出").click()
    clicks += 1
    page.get_by_role("button", name="生成Word 文档（.docx）").click()
    clicks += 1
    link = page.locator("a.jianfu-download")
    link.wait_for(timeout=60000)
    with page.expect_download() as download:
        link.click()
        clicks += 1
    download.value.path()
    return clicks, interactive, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--browser-runs", type=int, default=2)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    bench_core(args.runs)
    if not args.no_browser:
        bench_browser(args.browser_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
