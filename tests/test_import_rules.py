"""The importer's rule table is one place in the code and one section of the README."""

from __future__ import annotations

import re

import pytest

from jianfu.catalog import values as value_rules
from jianfu.dataio import rules
from jianfu.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
SOURCES = {
    path.name: path.read_text(encoding="utf-8")
    for path in (PROJECT_ROOT / "jianfu" / "dataio").glob("*.py")
    if path.name != "rules.py"
}
VALUE_MESSAGES = {v for k, v in vars(value_rules).items() if k.isupper() and isinstance(v, str)}


def test_the_readme_section_is_the_rule_table():
    section = README.split("## 导入真实的表格")[1].split("\n## ")[0]
    table = re.search(r"<!-- rules:start -->\n(.*)<!-- rules:end -->", section, re.S)
    assert table, "README's 导入真实的表格 lacks the rules block"
    assert table.group(1) == rules.markdown(), "run: python -m jianfu.dataio.rules"


def test_every_message_the_importer_says_is_in_the_table():
    used = {key for text in SOURCES.values() for key in re.findall(r'say\(\s*"(\w+)"', text)}
    assert used <= set(rules.BY_KEY), used - set(rules.BY_KEY)


@pytest.mark.parametrize("rule", [r for r in rules.RULES if r.message], ids=lambda r: r.key)
def test_every_rule_with_words_is_used(rule):
    if rule.message in VALUE_MESSAGES:
        return  # the value rules shared with the form (jianfu.catalog.values)
    assert any(f'"{rule.key}"' in text for text in SOURCES.values()), rule.key


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda r: r.key)
def test_every_rule_has_a_known_action_and_a_case(rule):
    assert rule.action in rules.ACTIONS and rule.case.strip()
