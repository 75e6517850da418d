"""The participant's address: the public server's root with the session code (``?s=abc``).

The dashboard builds the link it shows as a QR code, ``jianfu serve --public``
prints it, and the participant page reads the code back: all three here, so
the link handed out is the link the page understands.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote

# The public server's HttpOnly cookie holding a participant's random token; the
# page reads it back from the Cookie header (jianfu.server.voila_public, widgets/assess.py).
TOKEN_COOKIE = "jianfu_participant"
CODE_PARAM = "s"  # short: the link is typed off a projector
CODE_PARAMS = (CODE_PARAM, "code", "session")  # read, for links written by hand


def participant_link(base: str, code: str | None = None) -> str:
    """``base`` (a server's address) as a root URL, with the session ``code`` if given."""
    base = (base or "").strip()
    if not base.endswith("/"):
        base += "/"
    code = (code or "").strip()
    return f"{base}?{CODE_PARAM}={quote(code)}" if code else base


def session_code(query_string: str) -> str:
    """The session code from a page's query string ("s=abc", also "code=" / "session=")."""
    params = parse_qs(query_string or "")
    for name in CODE_PARAMS:
        if params.get(name):
            return params[name][0].strip()
    return ""
