"""The demo data: figures from public material with their source, every category covered."""

from jianfu.catalog import CATEGORIES
from jianfu.store.demo import build_demo, demo_observations


def value(obs, unit, period, code):
    match = obs[(obs.unit == unit) & (obs.period == period) & (obs.indicator == code)]
    assert len(match) == 1, (unit, period, code)
    return match.iloc[0]


def test_seed_figures_with_sources(demo_store):
    obs = demo_store.observations()
    assert [
        value(obs, "区委组织部", p, "doc_count")["value"] for p in ("2019年", "2020年", "2021年")
    ] == [82, 81, 85]
    assert value(obs, "区委组织部", "2019年", "doc_count")["source"].startswith(
        "某区委组织部减负调研材料（公开交流材料）"
    )
    assert value(obs, "公安分局", "改革前", "community_police_ledgers")["value"] == 16
    assert value(obs, "公安分局", "改革后", "community_police_ledgers")["value"] == 10
    assert value(obs, "公安分局", "改革后", "frontline_police")["value"] == 377
    assert value(obs, "公安分局", "改革后", "total_police")["source"] == (
        "某公安分局警力下沉经验材料（公开交流材料）"
    )


def test_sources_name_no_internal_material(demo_store):
    sources = set(demo_store.observations()["source"])
    assert not [s for s in sources if "种子" in s or "seed" in s.lower()]
    assert all("公开交流材料" in s or s == "示例数据（虚构）" for s in sources)


def test_every_category_has_before_and_after(demo_store, catalog):
    obs = demo_store.observations()
    town = obs[obs.unit == "示例县城关镇"]
    for category in CATEGORIES:
        codes = {i.code for i in catalog if i.category == category}
        periods = set(town[town.indicator.isin(codes)].period)
        assert {"2023年", "2024年"} <= periods, category


def test_fictional_units_are_labelled(demo_store):
    for unit in demo_store.unit_names():
        if unit not in ("区委组织部", "公安分局"):
            assert unit.startswith("示例"), unit


def test_demo_is_idempotent(demo_store):
    build_demo(demo_store)
    assert len(demo_store.observations()) == len(demo_observations())
