"""The importer's rules in one table: what is refused, asked, converted, left out or said.

Every message the importer shows comes from here (:func:`say`), and README's section
“导入真实的表格” is this table (:func:`markdown`; tests/test_import_rules.py checks
that they agree). A rule's ``case`` is what a user may have in the file, its
``action`` what happens, its ``message`` the words shown (fields in braces).

Actions: 拒绝 (the file is not imported; the message names file, sheet, row and
column), 询问 (the import waits for an answer), 换算 (converted exactly, and said),
不导入 (left out, and said), 提醒 (imported as it is, and said), 照读 (read as shown,
nothing to say).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import values as value_rules

ACTIONS = {
    "拒绝": "整个文件不导入，提示指明文件、工作表、行和列",
    "询问": "先问清楚，按回答导入",
    "换算": "准确换算后导入，并在预览中说明",
    "不导入": "这些行不导入，并在预览中说明",
    "提醒": "照常导入，并在预览中提醒",
    "照读": "按Excel中显示的样子读取",
}


@dataclass(frozen=True)
class Rule:
    key: str
    group: str
    case: str  # in the words of the README's table
    action: str
    message: str = ""


FILE, SHEET, LABEL, VALUE, TOTAL = "文件", "工作表与表头", "单位和时期", "数值", "合计与增减"

RULES = (
    # ---- the file ------------------------------------------------------------------
    Rule("empty_file", FILE, "空文件（0字节）", "拒绝",
         "文件是空的（0字节），请检查是否选错了文件或文件未保存"),
    Rule("file_too_big", FILE, "超过20MB的文件", "拒绝",
         "文件大小为{size} MB，超过了{limit} MB的上限，请删除无关的工作表或拆分成几个文件分别导入"),
    Rule("old_excel", FILE, "旧版Excel（.xls）、WPS表格（.et）", "拒绝",
         "这是旧版Excel（.xls）或WPS表格（.et）格式，请在Excel或WPS中“另存为”"
         "Excel工作簿（.xlsx）后再导入"),
    Rule("old_inside", FILE, "扩展名是.xlsx、实为旧版格式或设了打开密码", "拒绝",
         "这个文件实际是旧版Excel（.xls）格式，或设置了打开密码；请在Excel或WPS中"
         "打开后“另存为”Excel工作簿（.xlsx，不设密码）再导入"),
    Rule("unsupported", FILE, "其他扩展名", "拒绝", "不支持{shown}文件，请上传 .xlsx 或 .csv 文件"),
    Rule("unreadable", FILE, "损坏的.xlsx", "拒绝",
         "无法读取这个Excel文件，文件可能已损坏或并非.xlsx格式；请在Excel或WPS中"
         "打开后重新“另存为”Excel工作簿（.xlsx）"),
    Rule("unparsable", FILE, "工作表内容无法解析", "拒绝",
         "Excel文件内容无法解析，文件可能已损坏；请在Excel或WPS中打开后重新保存"),
    Rule("too_many_rows", FILE, "超过20万行", "拒绝", "文件超过{limit}行，请拆分成几个文件分别导入"),
    Rule("too_many_cells", FILE, "一张表超过300万个格子（含只设了格式的空格子）", "拒绝",
         "工作表的格子超过{limit}万个（到第{row}行），请删除多余的行和列（包括只设了格式的空格子），"
         "或拆分成几个文件分别导入"),
    Rule("no_data", FILE, "没有数据的文件", "拒绝", "文件里没有数据"),
    Rule("empty_workbook", FILE, "所有工作表都是空的", "拒绝", "工作簿里没有数据（所有工作表都是空的）"),
    Rule("encoding", FILE, "无法识别文字编码的CSV", "拒绝",
         "无法识别文件的文字编码，请在Excel或WPS中另存为“CSV UTF-8（逗号分隔）”格式"),
    Rule("big5", FILE, "繁体（Big5）编码的CSV", "提醒", "文件按繁体中文（Big5）编码读取"),
    Rule("csv_quote", FILE, "CSV中引号不配对", "拒绝",
         "第{line}行引号不配对（“\"”只有开头没有结尾），其后各行都会被读进同一格；"
         "请检查这一行的引号后重新保存"),
    Rule("csv_broken", FILE, "CSV格式有误", "拒绝",
         "CSV文件第{line}行格式有误（引号不配对或含有非法字符），请在Excel或WPS中打开后重新保存为CSV"),
    # ---- sheets and the header ----------------------------------------------------------
    Rule("no_sheet", SHEET, "指定的工作表不存在", "拒绝",
         "找不到有数据的工作表“{wanted}”，有数据的工作表是：{names}"),
    Rule("hidden_only", SHEET, "只有隐藏的工作表里有数据表", "拒绝",
         "数据表只在隐藏的工作表{names}中；隐藏的工作表不会自动导入，"
         "如确要导入，请选择工作表（命令行用 --sheet 工作表名称）"),
    Rule("hidden_left", SHEET, "隐藏的工作表也有数据", "提醒",
         "隐藏的工作表{names}也有数据，没有导入；如要导入它，请另选工作表"),
    Rule("hidden_chosen", SHEET, "选了隐藏的工作表", "提醒",
         "工作表“{sheet}”在Excel中是隐藏的，请确认要导入的是它"),
    Rule("header_only", SHEET, "只有标题行", "拒绝", "只有标题行，没有数据行；请在标题行下面填写数据"),
    Rule("missing_columns", SHEET, "缺少单位、时期（长表还有指标、数值）列", "拒绝",
         "缺少必需的列：{names}（{shape}）"),
    Rule("repeated_role", SHEET, "同一作用的列出现两次", "拒绝", "与第{n}列“{other}”重复，请只保留一列"),
    Rule("unknown_column", SHEET, "无法识别的指标列", "拒绝",
         "无法识别的指标列“{header}”{hint}（如不是指标，请删除此列）"),
    Rule("untitled_column", SHEET, "表头中间没有标题、下面有数据的列", "拒绝",
         "此列有数据但没有列标题，请填写指标名称或删除此列"),
    Rule("far_columns", SHEET, "表头以外的列有数据（如远处的一个格子）", "拒绝",
         "{columns}有数据但没有列标题（如第{row}行{column}列的“{text}”），"
         "请删除这些格子或给它们所在的列填写指标名称"),
    Rule("same_indicator", SHEET, "同一指标有两列", "拒绝",
         "与“{other}”列是同一指标（{name}），请只保留一列"),
    Rule("ratio_column", SHEET, "由分子分母计算的比例列", "拒绝",
         "“{name}”由“{part}”和“{whole}”计算得出，请填写这两项"),
    Rule("no_indicator_columns", SHEET, "宽表没有任何指标列", "拒绝",
         "没有找到任何指标列：列标题应为指标名称、代码或“名称（计量单位）”，可下载模板对照"),
    Rule("traditional_header", SHEET, "繁体字的列标题、大小写不同的指标代码", "照读"),
    Rule("header_measure", SHEET, "列标题写明可准确换算的计量单位（小时、千字、万件）", "换算",
         "“{header}”列已按{rule}换算"),
    Rule("header_measure_refused", SHEET, "列标题的计量单位无法准确换算（如“天”）", "拒绝",
         "列标题中的计量单位“{written}”无法换算为“{name}”的计量单位“{measure}”，"
         "请按“{measure}”填写并把列标题改为“{label}”"),
    Rule("measure_row", SHEET, "表头下面的计量单位行（件、次、小时）", "不导入",
         "第{row}行是计量单位行，未导入；各列按其中的计量单位读取"),
    Rule("measure_conflict", SHEET, "列标题与计量单位行写的计量单位不同", "拒绝",
         "列标题中的计量单位是“{header}”，第{row}行计量单位行写的是“{written}”，请只保留正确的一个"),
    Rule("measure_row_refused", SHEET, "计量单位行中无法准确换算的计量单位", "拒绝",
         "计量单位“{written}”无法换算为“{name}”的计量单位“{measure}”，"
         "请按“{measure}”填写并把计量单位改为“{measure}”"),
    Rule("measure_column", SHEET, "“计量单位”列写明可准确换算的计量单位", "换算",
         "{name}第{rows}行的计量单位是“{written}”，已按{rule}换算"),
    Rule("measure_column_refused", SHEET, "“计量单位”列中无法准确换算的计量单位", "拒绝",
         "计量单位“{written}”无法换算为指标的计量单位“{measure}”"),
    Rule("merged_label", SHEET, "单位、时期格子合并跨几行", "照读"),
    Rule("merged_value", SHEET, "数值格子合并跨几行或几列", "拒绝",
         "数值格子与其他格子合并在一起（{ref}，跨{span}），会被算作每一{each}的数值；"
         "请取消合并，把数值只填在它所属的那一格"),
    Rule("hidden_rows", SHEET, "隐藏或筛选掉的行", "提醒",
         "表中有{count}行在Excel中被隐藏或筛选掉（第{rows}行），也一并导入了，请确认"),
    # ---- units and periods -------------------------------------------------------------
    Rule("unit_empty", LABEL, "单位为空", "拒绝", "单位不能为空"),
    Rule("period_empty", LABEL, "时期为空", "拒绝", "时期不能为空"),
    Rule("name_too_long", LABEL, "超过60个字的名称", "拒绝", "{what}过长（最多{limit}个字）：“{text}……”"),
    Rule("same_name", LABEL, "只有空格、全角半角、“年度/年”不同的名称", "提醒",
         "文件中的“{typed}”与“{kept}”是同一{what}，按“{kept}”导入"),
    Rule("renamed", LABEL, "与数据库中已有名称只差空格、全角半角、“年度/年”的名称", "提醒",
         "“{typed}”按已有名称“{stored}”导入"),
    Rule("duplicate", LABEL, "同一单位、时期、指标出现两次且数值不同", "拒绝",
         "与第{first}行重复（同一单位、时期和指标{spelled}），但数值不同："
         "第{first}行为{first_value}，本行为{value}"),
    Rule("duplicate_equal", LABEL, "同一单位、时期、指标出现两次且数值相同（合为一项）", "照读"),
    Rule("date_period", LABEL, "显示为年份、年月的日期格子（2024年、2024年1月）", "照读"),
    Rule("date_not_period", LABEL, "显示为具体日期的时期", "拒绝",
         "时期是日期格子，显示为“{shown}”，不是年份或月份；请写成“2024年”“2024年上半年”这样的时期名称"),
    Rule("year_in_date_cell", LABEL, "年份填进了日期格式的格子（显示为1905年）", "拒绝",
         "这一格是日期格式，填入的{typed}被显示成了“{shown}”；请把这一格设为“常规”或“文本”格式，"
         "再填写“{typed}年”"),
    Rule("number_period", LABEL, "不是年份的数字作时期", "拒绝",
         "时期应写成“2024年”“2024年上半年”这样的名称，而不是数字“{text}”"),
    Rule("new_labels", LABEL, "数据库中还没有的单位、时期", "提醒", "将新建{what}（{count}个）：{names}"),
    # ---- values ------------------------------------------------------------------------
    Rule("no_values", VALUE, "指标格子全是空的", "拒绝", "没有找到任何数值：指标格子都是空的，请填写数据后再导入"),
    Rule("blank_mark", VALUE, "空格子和“—”“/”等无数据记号（视为没有数据）", "照读"),
    Rule("not_a_number", VALUE, "不是数字（含上标、带圈数字如45¹、⑫，逻辑值TRUE）", "拒绝",
         value_rules.NOT_A_NUMBER),
    Rule("negative", VALUE, "负数", "拒绝", value_rules.NEGATIVE),
    Rule("not_whole", VALUE, "计数类指标的小数", "拒绝", value_rules.NOT_WHOLE),
    Rule("over_percent", VALUE, "超过100的百分比", "拒绝", value_rules.OVER_PERCENT),
    Rule("too_big", VALUE, "超出合理范围的数值（如1e26）", "拒绝", value_rules.TOO_BIG),
    Rule("formula", VALUE, "没有保存计算结果的公式格", "拒绝",
         "这个格子是公式，但文件里没有保存计算结果（常见于由软件生成的表格）；"
         "请在Excel或WPS中打开并保存后再导入"),
    Rule("percent_signed", VALUE, "带%号或设了百分比格式的格子（0.5%）", "照读"),
    Rule("fraction", VALUE, "百分比列中不带%、0到1之间的数（0.926、1）", "询问",
         "“{name}”有{count}个不带%的数值在0到1之间（如第{row}行的{example}），"
         "是指{percent}%这样的比例，还是就是{example}%？"),
    Rule("fraction_converted", VALUE, "答“是比例”后的这些数", "换算",
         "{name}的{count}个数值已按比例换算为百分数（如{example}记为{percent}%）"),
    Rule("fraction_mixed", VALUE, "同一百分比列既有大于1的数又有不带%的0到1之间的数", "拒绝",
         "同一列中有大于1的数（如第{row}行的{big}），也有不带%的0到1之间的数（本格{small}），"
         "无法确定是比例还是百分数；请统一写成百分数（如92.6）或加上%"),
    Rule("part_over_whole", VALUE, "同一单位、时期的分子大于分母（警力、视频会议等）", "拒绝",
         "{part}（{part_value}）大于{whole}（{whole_value}{where}），"
         "部分不能大于整体（{ratio} = {part} ÷ {whole}）"),
    Rule("unknown_indicator", VALUE, "长表中无法识别的指标", "拒绝", "无法识别的指标“{text}”{hint}"),
    Rule("indicator_empty", VALUE, "长表中指标为空", "拒绝", "指标不能为空"),
    Rule("code_mismatch", VALUE, "长表中“指标”与“指标代码”不一致", "拒绝",
         "“指标”列是“{name}”，而“指标代码”列是“{code}”（{code_name}），两者不一致"),
    # ---- totals and changes ------------------------------------------------------------
    Rule("total_row", TOTAL, "单位一栏的合计、小计行（全县合计、合  计、总计（2个镇））", "不导入",
         "{rows}是合计或小计行，未导入（汇总数由系统按各单位计算）"),
    Rule("total_mismatch", TOTAL, "合计、小计行与上面各行之和不符", "提醒",
         "第{row}行“{label}”的{name}为{value}，上面各行之和为{sums}，请核对"),
    Rule("change_row", TOTAL, "时期一栏的增减、同比、合计行（比上年增减、小计：…）", "不导入",
         "{rows}是增减、同比或合计行（时期一栏），未导入"),
    Rule("change_mismatch", TOTAL, "增减、同比、合计行与上面各行不符", "提醒",
         "第{row}行“{unit}”“{label}”的{name}为{value}，{expected}，请核对"),
)  # fmt: skip

BY_KEY = {rule.key: rule for rule in RULES}


def say(key: str, *args: object, **fields: object) -> str:
    """The message of rule ``key`` with its fields filled in."""
    return BY_KEY[key].message.format(*args, **fields)


def markdown() -> str:
    """README's table of the rules (``python -m jianfu.dataio.rules`` prints it)."""
    out = ["；".join(f"**{action}**：{meaning}" for action, meaning in ACTIONS.items()) + "。", ""]
    out += ["| 方面 | 处理 | 情况 |", "| --- | --- | --- |"]
    for group in dict.fromkeys(rule.group for rule in RULES):
        for action in ACTIONS:
            cases = [r.case for r in RULES if r.group == group and r.action == action]
            if cases:
                out.append(f"| {group} | {action} | {'；'.join(cases)} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
