"""Loading questionnaire files (data/questionnaires/<key>.yaml) through the data-file layer.

An organisation replaces the files; every error names the form, the item and the
field. Only yaml and the layer's light modules are imported on the way to a form
already validated once: the participant page loads this module.
"""

from __future__ import annotations

from pathlib import Path

from ...datafiles import DataFile
from ...errors import DataFileError
from ...paths import DATA_FILES
from .model import Questionnaire

QUESTIONNAIRES = DATA_FILES / "questionnaires"
BUILTIN = ("quick", "full")


class QuestionnaireError(DataFileError):
    """A questionnaire file is broken; the message names form, item and field."""


FORM_FILE = DataFile(Questionnaire, "问卷", QuestionnaireError)


def builtin_forms() -> dict[str, str]:
    """Key -> title of the shipped forms, in order (快速版 first)."""
    return {key: load_questionnaire(key).title for key in BUILTIN}


def load_questionnaire(name: str | Path) -> Questionnaire:
    """A form by built-in key ("quick", "full") or by file path.

    Raises
    ------
    QuestionnaireError
        naming the form, the item and the field that is wrong.
    """
    path = Path(name) if str(name).endswith((".yaml", ".yml")) else QUESTIONNAIRES / f"{name}.yaml"
    return FORM_FILE.load(path)


def parse_questionnaire(data: object, source: str | None = None) -> Questionnaire:
    """Validate parsed YAML; every problem is collected before raising."""
    return FORM_FILE.parse(data, source)
