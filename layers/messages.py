"""Texts for people that are translated when they are read, not when they are made.

An import runs in a worker, in no one's language; its report is read later by a planner in Polish
or English. A finding therefore keeps its message as a template (the msgid, marked for translation
with ``gettext_noop``) and its parameters, and is translated on display::

    from django.utils.translation import gettext_noop as _
    problem(_("invalid geometry: %(reason)s"), reason=reason)

``str()`` gives the English text (reports on the command line, ``--json``, logs, tests); a parameter
may itself be a message (a hint inside a sentence). Parameters are stored in JSON, so they are kept
as text and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

Params = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    msgid: str
    params: Params = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self.msgid, self.params, translate=False)

    def translated(self) -> str:
        """The message in the active language."""
        return render(self.msgid, self.params, translate=True)

    def as_dict(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": self.params}


def problem(msgid: str, /, **params: Any) -> Message:
    """A message with named ``%(placeholders)s``; ``msgid`` is marked with ``gettext_noop``."""
    return Message(msgid, {name: _storable(value) for name, value in params.items()})


def verbatim(text: str) -> Message:
    """A text from elsewhere (a library's error, an already translated one): shown as it is."""
    return Message("%(text)s", {"text": str(text)})


def as_message(value: str | Message) -> Message:
    return value if isinstance(value, Message) else verbatim(value)


def render(msgid: str, params: Params, *, translate: bool) -> str:
    """The text of a stored message; a broken translation falls back to the English template."""
    values = {
        name: render(value["msgid"], value["params"], translate=translate)
        if isinstance(value, dict)
        else value
        for name, value in params.items()
    }
    template = gettext(msgid) if translate and msgid else msgid
    try:
        return template % values if values else template
    except (KeyError, ValueError, TypeError):
        return msgid % values if values else msgid


def _storable(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_dict()
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)
