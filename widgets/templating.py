"""The pages' HTML from jinja2 templates (widgets/templates), every value escaped.

Templates are indented for reading: their line breaks and leading or trailing
spaces are not part of the output (a text never spans two lines), so markup
stays as compact as hand-joined strings and inline pieces gain no stray gaps.
A piece already rendered by a template is passed on as :func:`trusted`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"


class _JoinedLines(jinja2.FileSystemLoader):
    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.strip() for line in source.splitlines()), filename, uptodate


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=_JoinedLines(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def render(name: str, **values: object) -> str:
    """``templates/<name>`` filled with ``values`` (escaped unless :func:`trusted`)."""
    return environment().get_template(name).render(**values)


def trusted(markup: str) -> Markup:
    """HTML made by :func:`render` (or another escaping builder), to put in a template as is."""
    return Markup(markup)


TAGS = frozenset({"b", "div", "h3", "p", "small", "span"})


def element(tag: str, text: object, cls: str = "", role: str = "") -> str:
    """``<tag class=cls role=role>text</tag>``, the text escaped (tags from a fixed set)."""
    if tag not in TAGS:
        raise ValueError(f"not a tag the pages use: {tag}")
    return render("element.html", tag=tag, text=str(text), cls=cls, role=role)
