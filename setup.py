"""Which packages the wheel holds; everything else about the project is in pyproject.toml.

The ipywidgets pages live in the top-level widgets/ folder but install as
``jianfu_widgets``: a generic top-level name like ``widgets`` would clash with
other projects in the same environment.
"""

from setuptools import find_packages, setup

WIDGETS = ["jianfu_widgets"] + [f"jianfu_widgets.{p}" for p in find_packages("widgets")]

setup(
    packages=find_packages(include=["jianfu", "jianfu.*"]) + WIDGETS,
    package_dir={"jianfu_widgets": "widgets"},
)
