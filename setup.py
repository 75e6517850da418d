"""Which packages and files the wheel holds; everything else about the project is in pyproject.toml.

The ipywidgets pages live in the top-level widgets/ folder but install as
``jianfu_widgets``: a generic top-level name like ``widgets`` would clash with
other projects in the same environment. The data files, notebooks and the Voila
template install under ``<prefix>/share/jianfu/`` (jianfu.paths finds them there).
"""

import os

from setuptools import find_packages, setup

WIDGETS = ["jianfu_widgets"] + [f"jianfu_widgets.{p}" for p in find_packages("widgets")]
# checkout folder -> folder under the installation prefix (jianfu.paths.SOURCES)
SHIPPED = {"data": "share/jianfu/data", "notebooks": "share/jianfu/notebooks",
           "share/jupyter": "share/jianfu/jupyter"}  # fmt: skip
SKIPPED = {"__pycache__", ".ipynb_checkpoints"}


def data_files():
    """(target folder, [files]) for every folder under SHIPPED, as setuptools wants them."""
    found = []
    for source, target in SHIPPED.items():
        for folder, subfolders, files in os.walk(source):
            subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED)
            files = sorted(os.path.join(folder, f) for f in files if not f.endswith(".pyc"))
            if files:
                found.append((os.path.join(target, os.path.relpath(folder, source)), files))
    return found


setup(
    packages=find_packages(include=["jianfu", "jianfu.*"]) + WIDGETS,
    package_dir={"jianfu_widgets": "widgets"},
    package_data={
        "jianfu.server": ["*.html"],  # the public server's gate and busy pages
        "jianfu_widgets": ["templates/*.html"],  # the pages' HTML (widgets/templating.py)
    },
    data_files=data_files(),
)
