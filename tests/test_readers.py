"""read_table: bytes from Excel/WPS -> raw table indexed by Excel row number."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from jianfu.dataio import sheets
from jianfu.dataio.readers import column_letter, read_table
from jianfu.errors import ValidationError
from tests.support.sheetfiles import save, xlsx

CONTENT = "单位,时期,发文数量（件）,备注\n区委组织部,2019年,82,“便笺”不计\n城关镇,2020年,81,\n"


def cells(frame) -> list[list]:
    return frame.reset_index().values.tolist()


EXPECTED = [
    [2, "区委组织部", "2019年", "82", "“便笺”不计"],
    [3, "城关镇", "2020年", "81", None],
]


# --- encodings: the same Chinese content parses identically ---------------------------
@pytest.mark.parametrize(
    "data",
    [
        CONTENT.encode("utf-8"),
        CONTENT.encode("utf-8-sig"),
        CONTENT.encode("gbk"),
        CONTENT.encode("gb18030"),
        CONTENT.replace("\n", "\r\n").encode("gbk"),  # Windows line ends
        CONTENT.replace(",", "\t").encode("utf-16"),  # Excel “Unicode文本”
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "gbk-crlf", "utf16-tab"],
)
def test_csv_encodings_parse_identically(data):
    frame = read_table(data, "数据.csv")
    assert list(frame.columns) == ["单位", "时期", "发文数量（件）", "备注"]
    assert cells(frame) == EXPECTED


def test_gb18030_beyond_gbk():
    # 𠀀 (U+20000) exists only in GB18030: strict GBK would fail, GB18030 must not
    data = "单位,时期,发文数量\n𠀀镇,2023年,1\n".encode("gb18030")
    assert read_table(data, "a.csv").iloc[0, 0] == "𠀀镇"


def test_other_encodings_fall_back_to_detection():
    # neither UTF-8 nor GB18030: charset-normalizer is the last resort
    data = "unit,period,value\nCafé Müller,2023,1\n".encode("cp1252")
    assert read_table(data, "a.csv").iloc[0, 0] == "Café Müller"


# --- delimiters ------------------------------------------------------------------------
@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_csv_delimiters(sep):
    frame = read_table(CONTENT.replace(",", sep).encode(), "a.csv")
    assert cells(frame) == EXPECTED


def test_csv_quoted_comma_and_ragged_rows():
    data = '单位,时期,发文数量\n"甲,乙联合",2023年,"1,234"\n丙,2024年\n'.encode()
    frame = read_table(data, "a.csv")
    assert cells(frame) == [[2, "甲,乙联合", "2023年", "1,234"], [3, "丙", "2024年", None]]


# --- row numbers are the rows a user sees in Excel -------------------------------------
def test_blank_rows_skipped_but_row_numbers_kept():
    data = "单位,时期,发文数量\n甲,2023年,1\n,,\n\n乙,2023年,2\n".encode()
    frame = read_table(data, "a.csv")
    assert list(frame.index) == [2, 5]


def test_title_row_above_header_is_skipped():
    rows = [["2023年基层减负数据表"], [], ["单位", "时期", "发文数量"], ["甲", "2023年", 5]]
    frame = read_table(xlsx(("Sheet1", rows)), "a.xlsx")
    assert list(frame.columns) == ["单位", "时期", "发文数量"]
    assert cells(frame) == [[4, "甲", "2023年", 5]]


# --- xlsx ------------------------------------------------------------------------------
def test_xlsx_keeps_numbers_and_uses_first_sheet_with_data():
    data = xlsx(
        ("说明", [["怎么填"], ["单位", "时期"]]),  # our guide sheet is never data
        ("空表", []),
        ("数据", [["单位", "时期", "发文数量"], ["甲", 2023, 82], ["乙", "2023年", 81.5]]),
        ("另一张", [["单位", "时期", "会议数量"], ["丙", "2023年", 1]]),
    )
    frame = read_table(data, "填报.xlsx")
    assert cells(frame) == [[2, "甲", 2023, 82], [3, "乙", "2023年", 81.5]]
    assert frame.dtypes.eq(object).all()


def test_xlsx_hidden_sheets_come_last():
    wb = openpyxl.Workbook()
    lists = wb.active
    lists.title = "下拉选项"
    lists.append(["单位", "时期"])
    lists.append(["甲", "乙"])
    lists.sheet_state = "hidden"
    data = wb.create_sheet("数据")
    data.append(["单位", "时期", "发文数量"])
    data.append(["丙", "2023年", 3])
    wb.active = 1
    assert cells(read_table(save(wb), "a.xlsx")) == [[2, "丙", "2023年", 3]]


def test_xlsx_merged_cells_are_filled():
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["单位", "时期", "发文数量"], ["甲镇", "2023年", 5], [None, "2024年", 4]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    frame = read_table(save(wb), "a.xlsx")
    assert list(frame["单位"]) == ["甲镇", "甲镇"]


@pytest.mark.parametrize(
    "value, fmt, expected",
    [
        (0.926, "0.0%", "92.6%"),  # typed “92.6%” in Excel
        (1, "0%", "100%"),
        (0.926, "General", 0.926),
    ],
)
def test_xlsx_percent_formatted_numbers_come_back_as_percent_text(value, fmt, expected):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "时期", "干部对减负成效满意率"])
    ws.append(["甲", "2023年", value])
    ws["C2"].number_format = fmt
    assert read_table(save(wb), "a.xlsx").iloc[0, 2] == expected


def test_untitled_columns():
    data = "单位,时期,,发文数量,\n甲,2023年,7,1,\n".encode()
    frame = read_table(data, "a.csv")
    assert list(frame.columns) == ["单位", "时期", "（C列）", "发文数量"]


@pytest.mark.parametrize("index, letters", [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letter(index, letters):
    assert column_letter(index) == letters


# --- errors name the file and say what to do -------------------------------------------
HEADER_ONLY_XLSX = xlsx(("Sheet1", [["单位", "时期", "发文数量"]]))
EMPTY_XLSX = xlsx(("Sheet1", []), ("说明", [["只有说明"]]))


@pytest.mark.parametrize(
    "data, name, max_bytes, message",
    [
        (b"", "a.csv", None, "文件是空的（0字节），请检查是否选错了文件或文件未保存"),
        (
            b"x" * (3 * 1024 * 1024 // 2),
            "big.csv",
            1024 * 1024,
            "文件大小为1.5 MB，超过了1 MB的上限，请删除无关的工作表或拆分成几个文件分别导入",
        ),
        (
            b"abc",
            "a.xls",
            None,
            "这是旧版Excel（.xls）或WPS表格（.et）格式，请在Excel或WPS中“另存为”"
            "Excel工作簿（.xlsx）后再导入",
        ),
        (b"abc", "a.txt", None, "不支持“.txt”文件，请上传 .xlsx 或 .csv 文件"),
        (b"abc", "noext", None, "不支持没有扩展名的文件，请上传 .xlsx 或 .csv 文件"),
        (
            b"PK\x03\x04broken zip",
            "a.xlsx",
            None,
            "无法读取这个Excel文件，文件可能已损坏或并非.xlsx格式；请在Excel或WPS中打开后重新“另存为”"
            "Excel工作簿（.xlsx）",
        ),
        (
            b"this is not a workbook",
            "a.xlsx",
            None,
            "无法读取这个Excel文件，文件可能已损坏或并非.xlsx格式；请在Excel或WPS中打开后重新“另存为”"
            "Excel工作簿（.xlsx）",
        ),
        (
            b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
            "a.xlsx",
            None,
            "这个文件实际是旧版Excel（.xls）格式，或设置了打开密码；请在Excel或WPS中打开后“另存为”"
            "Excel工作簿（.xlsx，不设密码）再导入",
        ),
        (HEADER_ONLY_XLSX, "a.xlsx", None, "只有标题行，没有数据行；请在标题行下面填写数据"),
        (
            "单位,时期,发文数量\n,,\n".encode(),
            "a.csv",
            None,
            "只有标题行，没有数据行；请在标题行下面填写数据",
        ),
        (EMPTY_XLSX, "a.xlsx", None, "工作簿里没有数据（所有工作表都是空的）"),
        (b"\r\n\r\n", "a.csv", None, "文件里没有数据"),
    ],
    ids=[
        "empty",
        "too-big",
        "xls",
        "txt",
        "no-ext",
        "broken-zip",
        "not-zip",
        "ole",
        "header-only-xlsx",
        "header-only-csv",
        "empty-sheets",
        "blank-csv",
    ],
)
def test_file_errors(data, name, max_bytes, message):
    kwargs = {"max_bytes": max_bytes} if max_bytes else {}
    with pytest.raises(ValidationError) as info:
        read_table(data, name, **kwargs)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == (name, None, None)
    assert problem.message == message
    sheet = "工作表“Sheet1”" if data is HEADER_ONLY_XLSX else ""  # the sheet is named too
    assert str(info.value) == f"文件“{name}”{sheet}：{message}"


def test_corrupt_sheet_inside_a_valid_zip():
    good = xlsx(("Sheet1", [["单位", "时期", "发文数量"], ["甲", "2023年", 1]]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]  # truncated XML
            dst.writestr(item, body)
    with pytest.raises(ValidationError) as info:
        read_table(buffer.getvalue(), "a.xlsx")
    assert (
        info.value.problems[0].message
        == "Excel文件内容无法解析，文件可能已损坏；请在Excel或WPS中打开后重新保存"
    )


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_too_many_rows(monkeypatch, ext):
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    rows = [["单位", "时期", "发文数量"]] + [["甲", f"{2000 + i}年", i] for i in range(4)]
    data = (
        xlsx(("Sheet1", rows))
        if ext == "xlsx"
        else "\n".join(",".join(map(str, r)) for r in rows).encode()
    )
    with pytest.raises(ValidationError) as info:
        read_table(data, f"a.{ext}")
    assert info.value.problems[0].message == "文件超过3行，请拆分成几个文件分别导入"


def test_file_is_named_without_its_folder():
    with pytest.raises(ValidationError) as info:
        read_table(b"", "C:/Users/张三/桌面/数据.csv".replace("C:", ""))
    assert info.value.problems[0].file == "数据.csv"
