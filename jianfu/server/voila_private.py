"""Voila for the private apps (`jianfu serve`): Voila itself plus ``/healthz``.

Run by jianfu.server.voila (``python -m jianfu.server.voila_private <folder> <voila
options>``) as the server's own process; like voila_public, no core module imports
it (tests/test_core_imports.py). ``/healthz`` (``/jianfu/healthz`` under
``--base-url /jianfu/``) answers without the access token: monitoring has none, and
the answer is only ``{"ok": true|false}`` (jianfu.server.health).
"""

from __future__ import annotations

import sys
import warnings

from jianfu.startup import skip_iri_grammar

skip_iri_grammar()  # this launcher's first act: before Voila imports jsonschema

from voila.app import Voila

from jianfu.server.health import ROUTE as HEALTH_ROUTE
from jianfu.server.health import HealthHandler

# voila re-enables DeprecationWarnings on import; the dict-literal option is ours.
warnings.filterwarnings("ignore", "--tornado_settings", DeprecationWarning)


class PrivateVoila(Voila):
    def init_handlers(self):
        health = (f"{self.server_url.rstrip('/')}/{HEALTH_ROUTE}", HealthHandler)
        return [health, *super().init_handlers()]


if __name__ == "__main__":
    sys.exit(PrivateVoila.launch_instance())
