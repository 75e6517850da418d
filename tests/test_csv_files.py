"""CSV files as offices save them: broken quotes, other delimiters and encodings,
a measure row under the header, codes in another case (issue 16, items 8 and 12)."""

from __future__ import annotations

import pytest

from jianfu.dataio.importer import import_file
from jianfu.dataio.readers import read_table
from tests.support.sheetfiles import CATALOG, csv, problems, values

# ---- item 8: an unterminated quote swallows the rows after it ------------------------------


def test_an_unterminated_quote_is_refused_with_its_line():
    data = csv("单位,时期,发文数量", "甲镇,2024年,30", '"乙镇,2024年,20', "丙镇,2024年,10")
    assert problems(data, "表.csv") == [
        '文件“表.csv”：第3行引号不配对（“"”只有开头没有结尾），其后各行都会被读进同一格；'
        "请检查这一行的引号后重新保存"
    ]


def test_a_quote_closed_rows_later_is_refused_too():
    data = csv("单位,时期,发文数量", '甲镇,"2024年,30', "乙镇,2024年,20", '丙镇,2024年",10')
    assert problems(data, "表.csv") == [
        '文件“表.csv”：第2行引号不配对（“"”只有开头没有结尾），其后各行都会被读进同一格；'
        "请检查这一行的引号后重新保存"
    ]


def test_a_quoted_line_break_inside_a_cell_is_fine():
    data = csv("单位,时期,发文数量,备注", '甲镇,2024年,30,"第一行', '第二行"', "乙镇,2024年,20,")
    result = import_file(data, "表.csv", CATALOG)
    assert result.rows_read == 2 and set(result.units) == {"甲镇", "乙镇"}


# ---- item 12: delimiters, encodings, a measure row, codes ----------------------------------


@pytest.mark.parametrize("sep", ["\t", ";"], ids=["tab", "semicolon"])
def test_the_delimiter_is_found_on_the_header_and_data_under_a_title(sep):
    rows = [
        "2024年基层减负情况统计表",
        "单位|时期|发文数量|会议数量",
        "甲镇|2024年|30|12",
        "乙镇|2024年|20|8",
    ]
    data = csv(*(r.replace("|", sep) for r in rows))
    result = import_file(data, "表.csv", CATALOG)
    assert values(result)[("乙镇", "2024年", "meeting_count")] == 8


def test_a_big5_file_is_read_as_big5():
    text = "單位,時期,發文數量,備註\n甲鎮,2024年,30,臺灣\n乙鎮,2024年,20,\n"
    frame = read_table(text.encode("big5"), "表.csv")
    assert list(frame.columns) == ["單位", "時期", "發文數量", "備註"]
    assert frame.loc[2, "備註"] == "臺灣"


def test_big5_messages_are_readable_and_traditional_headers_match():
    text = "單位,時期,發文數量,會議數量\n甲鎮,2024年,三十,12\n"
    assert problems(text.encode("big5"), "表.csv") == [
        "文件“表.csv”第2行“發文數量”列：数值应为数字，而不是“三十”"
    ]
    good = import_file(text.replace("三十", "30").encode("big5"), "表.csv", CATALOG)
    assert values(good) == {
        ("甲鎮", "2024年", "doc_count"): 30,
        ("甲鎮", "2024年", "meeting_count"): 12,
    }


def test_undecodable_bytes_are_refused_not_guessed():
    data = bytes(range(128, 256)) * 20
    assert problems(data, "表.csv") == [
        "文件“表.csv”：无法识别文件的文字编码，请在Excel或WPS中另存为“CSV UTF-8（逗号分隔）”格式"
    ]


def test_a_measure_row_under_the_header_is_used_and_not_imported():
    data = csv(
        "单位,时期,发文数量,单次会议时长,单件文件平均字数",
        ",,件,小时,千字",
        "甲镇,2024年,30,1.5,4.2",
    )
    result = import_file(data, "表.csv", CATALOG)
    assert values(result) == {
        ("甲镇", "2024年", "doc_count"): 30,
        ("甲镇", "2024年", "meeting_minutes"): 90,
        ("甲镇", "2024年", "doc_avg_chars"): 4200,
    }
    assert "第2行是计量单位行，未导入；各列按其中的计量单位读取" in result.notes
    assert "“单次会议时长”列已按1小时=60分钟换算" in result.notes


def test_a_measure_row_that_cannot_convert_is_refused():
    data = csv("单位,时期,单次会议时长", "计量单位,,天", "甲镇,2024年,1")
    assert problems(data, "表.csv") == [
        "文件“表.csv”第2行“单次会议时长”列：计量单位“天”无法换算为“单次会议时长”的计量单位“分钟”，"
        "请按“分钟”填写并把计量单位改为“分钟”"
    ]


@pytest.mark.parametrize("header", ["DOC_COUNT", "Doc_Count", "ｄｏｃ＿ｃｏｕｎｔ"])
def test_an_indicator_code_in_another_case_is_matched(header):
    result = import_file(csv(f"单位,时期,{header}", "甲镇,2024年,30"), "表.csv", CATALOG)
    assert values(result) == {("甲镇", "2024年", "doc_count"): 30}


@pytest.mark.parametrize(
    "header, hint",
    [
        ("发文数", "“发文数量”"),
        ("2024年发文数量合计", "“发文数量”"),
        ("DOC_CNT", "“发文数量”"),
        ("会议次数", "“会议数量”"),
    ],
)
def test_an_unknown_column_gets_a_suggestion(header, hint):
    [message] = problems(csv(f"单位,时期,{header}", "甲镇,2024年,30"), "表.csv")
    assert message.startswith(
        f"文件“表.csv”第1行“{header}”列：无法识别的指标列“{header}”，您是不是要找：{hint}"
    )


def test_a_measure_row_that_contradicts_the_header_is_refused():
    data = csv("单位,时期,单次会议时长（小时）", ",,分钟", "甲镇,2024年,90")
    assert problems(data, "表.csv") == [
        "文件“表.csv”第2行“单次会议时长（小时）”列：列标题中的计量单位是“小时”，"
        "第2行计量单位行写的是“分钟”，请只保留正确的一个"
    ]
