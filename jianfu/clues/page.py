"""The public 问题线索 pages as plain HTML: a phone-first form, 已收到 with the 查询码, a look-up.

No kernel and no script: the server answers these itself (jianfu.server.report).
Every piece of user text is escaped; the 查询码 appears once, on the 已收到 page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from .model import CATEGORIES, FREQUENCIES, MAX_SHORT, MAX_WHAT, PublicStatus

REPORT_PATH = "report"
STATUS_PATH = "report/status"
NOT_FOUND = (
    "未查到处理信息。请核对查询码（12位字母和数字，分隔符可不输入）；刚提交的线索也可能尚未登记。"
)
RECEIVED = "已收到"
# Over the per-client limit: said plainly, with no code (a code that was never stored
# would mislead a real reporter behind a shared address), and what was typed kept.
TOO_MANY_REPORTS = (
    "提交过于频繁，本次没有保存，请一小时后再试。填写的内容还在下面，可以先复制留存。"
)
TOO_MANY_LOOKUPS = "查询过于频繁，请一小时后再试。"

STYLE = """
*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,"PingFang SC","Microsoft YaHei",
sans-serif;color:#222;background:#f5f6f8}main{max-width:560px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:8px 0 4px}p.lead{color:#555;margin:0 0 12px}
label{display:block;font-weight:600;margin:14px 0 4px}
input,select,textarea{width:100%;font-size:16px;padding:10px;border:1px solid #bbb;
border-radius:8px;background:#fff}textarea{min-height:140px}
.check{display:flex;gap:8px;align-items:center;font-weight:400}.check input{width:auto}
button{width:100%;margin:20px 0 8px;padding:14px;font-size:18px;border:0;border-radius:8px;
background:#b71c1c;color:#fff}.msg{background:#fff3f3;border:1px solid #e0a0a0;padding:10px;
border-radius:8px}.code{font:700 26px/1.4 monospace;letter-spacing:2px;text-align:center;
background:#fff;border:2px dashed #b71c1c;padding:12px;border-radius:8px;user-select:all}
.note{color:#666;font-size:14px}a{color:#b71c1c}.box{background:#fff;padding:12px;border-radius:8px}
"""


def html_page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _options(choices: Iterable[str], chosen: str, blank: str) -> str:
    items = [f'<option value="">{escape(blank)}</option>']
    for choice in choices:
        sel = " selected" if choice == chosen else ""
        items.append(f'<option value="{escape(choice)}"{sel}>{escape(choice)}</option>')
    return "".join(items)


def form_page(
    xsrf: str, units: Iterable[str] = (), message: str = "", values: Mapping[str, str] = {}
) -> str:
    """The report form; ``xsrf`` is the server's hidden field, ``values`` refill it after an error."""
    v = {
        k: escape(str(values.get(k) or ""))
        for k in ("imposed_by", "what", "when", "hours", "contact")
    }
    units_list = "".join(f'<option value="{escape(u)}">' for u in units)
    checked = " checked" if values.get("contact_ok") else ""
    error = f'<p class="msg" role="alert">{escape(message)}</p>' if message else ""
    body = f"""
<h1>反映形式主义问题线索</h1>
<p class="lead">匿名填写：不记录姓名、IP地址和提交时刻，只记录日期。提交后会给您一个查询码，凭码查看处理情况和答复。</p>
{error}
<form method="post" action="">{xsrf}
<label for="category">问题类别</label>
<select id="category" name="category" required>{_options(CATEGORIES, values.get("category", ""), "请选择")}</select>
<label for="imposed_by">哪一级或哪个单位要求的</label>
<input id="imposed_by" name="imposed_by" list="units" maxlength="{MAX_SHORT}" value="{v["imposed_by"]}" placeholder="如：某县某局">
<datalist id="units">{units_list}</datalist>
<label for="what">发生了什么</label>
<textarea id="what" name="what" maxlength="{MAX_WHAT}" required placeholder="如：同一张表本月要求填报三次；督查要求提供现场照片……">{v["what"]}</textarea>
<p class="note">请只写事情本身，不要写自己或他人的姓名。</p>
<label for="when">什么时候</label>
<input id="when" name="when" maxlength="20" value="{v["when"]}" placeholder="如：2026年11月">
<label for="how_often">多频繁</label>
<select id="how_often" name="how_often">{_options(FREQUENCIES, values.get("how_often", ""), "（可不填）")}</select>
<label for="hours">大约花费多少小时</label>
<input id="hours" name="hours" inputmode="decimal" maxlength="10" value="{v["hours"]}" placeholder="如：6">
<label class="check"><input type="checkbox" id="contact_ok" name="contact_ok" value="1"{checked}> 可联系我（自愿）</label>
<input id="contact" name="contact" maxlength="{MAX_SHORT}" value="{v["contact"]}" placeholder="联系方式，仅在勾选“可联系我”时保存">
<label for="supervisor">监督员编码（没有可不填）</label>
<input id="supervisor" name="supervisor" maxlength="20" autocomplete="off">
<button type="submit" id="send">提交</button>
</form>
<p class="note"><a href="report/status">已提交过？凭查询码查看处理情况</a></p>"""
    return html_page("反映问题线索", body)


def received_page(code: str) -> str:
    """已收到, with the 查询码 shown this once."""
    body = f"""
<h1>{RECEIVED}</h1>
<p class="lead">感谢您的反映。请记下或截图保存查询码，这是查看处理情况和答复的唯一方式，本页关闭后不再显示。</p>
<p class="code" id="code">{escape(code)}</p>
<p class="note"><a href="report/status">凭查询码查看处理情况</a> · <a href="report">再反映一条</a></p>"""
    return html_page(RECEIVED, body)


def lookup_page(
    xsrf: str, asked: bool = False, found: PublicStatus | None = None, message: str = ""
) -> str:
    """The look-up form; after a look-up, the status and reply, the one neutral answer,
    or ``message`` (the look-up was not made)."""
    result = ""
    if message:
        result = f'<p class="msg" id="result" role="alert">{escape(message)}</p>'
    elif found is not None:
        reply = escape(found.reply).replace("\n", "<br>") if found.reply else "暂无答复"
        when = f"（{found.replied_on:%Y-%m-%d}）" if found.replied_on else ""
        result = f"""<div class="box" id="result"><p>受理日期：{found.received_on:%Y-%m-%d}</p>
<p>处理状态：<b>{escape(found.status)}</b></p><p>答复{when}：{reply}</p></div>"""
    elif asked:
        result = f'<p class="msg" id="result">{escape(NOT_FOUND)}</p>'
    body = f"""
<h1>查看处理情况</h1>
{result}
<form method="post" action="status">{xsrf}
<label for="code">查询码</label>
<input id="code" name="code" maxlength="30" autocomplete="off" autocapitalize="characters" required>
<button type="submit" id="look">查询</button>
</form>
<p class="note"><a href="../report">反映新的问题线索</a></p>"""
    return html_page("查看处理情况", body)
