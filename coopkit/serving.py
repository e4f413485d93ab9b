"""What the Voila server sends a viewer's browser: no tracebacks, no stderr.

Voila's ``--show_tracebacks=False`` hides tracebacks in the rendered page, but
a kernel keeps talking to the page over its websocket after that: an exception
in a widget callback travels as an iopub ``error`` message (the traceback's
source lines and file paths), and anything logged goes out as a ``stderr``
``stream`` message. The page shows neither, but the browser's developer tools
do. :class:`QuietKernelConnection` is the websocket connection Voila uses
(``--Voila.kernel_websocket_connection_class``, set by ``coopkit serve``): it
blanks the ``traceback`` and ``evalue`` of ``error`` messages and of error
replies, and drops ``stderr`` streams, before they leave the server. The
server's own log still has them (ipykernel writes tracebacks of comm handlers
to the kernel's log, and coopkit logs to the server's terminal).

This follows the OWASP guidance on error handling: detailed errors go to logs,
users get a generic message (OWASP Cheat Sheet Series, "Error Handling").
"""

from __future__ import annotations

import typing as t

from jupyter_client.session import Session
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["QuietKernelConnection", "quieten"]

_DELIM = b"<IDS|MSG>"


def quieten(session: Session, parts: list[bytes]) -> list[bytes] | None:
    """A kernel message's frames with tracebacks blanked; None when the message must not be sent.

    ``parts`` are the frames after the signature: header, parent header, metadata, content,
    then any buffers.

    Examples
    --------
    >>> s = Session(key=b"")
    >>> header = s.pack({"msg_type": "error"})
    >>> content = s.pack({"ename": "RuntimeError", "evalue": "secret", "traceback": ["File /srv/x.py"]})
    >>> out = quieten(s, [header, s.pack({}), s.pack({}), content])
    >>> s.unpack(out[3])
    {'ename': 'Error', 'evalue': '', 'traceback': []}
    >>> quieten(s, [s.pack({"msg_type": "stream"}), s.pack({}), s.pack({}), s.pack({"name": "stderr"})]) is None
    True
    """
    if len(parts) < 4:
        return parts
    msg_type = session.unpack(parts[0]).get("msg_type")
    if msg_type not in ("error", "stream", "execute_reply"):
        return parts
    content = session.unpack(parts[3])
    if msg_type == "stream":
        return None if content.get("name") == "stderr" else parts
    if msg_type == "execute_reply" and content.get("status") != "error":
        return parts
    content = {**content, "ename": "Error", "evalue": "", "traceback": []}
    return [*parts[:3], session.pack(content), *parts[4:]]


class QuietKernelConnection(ZMQChannelsWebsocketConnection):
    """Voila's kernel websocket connection, minus tracebacks and stderr (see the module docstring)."""

    def handle_outgoing_message(self, stream: str, outgoing_msg: list[t.Any]) -> None:
        idents, fed = self.session.feed_identities(outgoing_msg)
        parts = [bytes(p) if not isinstance(p, bytes) else p for p in fed[1:]]
        try:
            quiet = quieten(self.session, parts)
        except Exception:  # a frame we cannot read is not forwarded either
            self.log.warning("coopkit: dropped an unreadable kernel message", exc_info=True)
            return
        if quiet is None:
            return
        if quiet is not parts:
            outgoing_msg = [*idents, _DELIM, self.session.sign(quiet[:4]), *quiet]
        super().handle_outgoing_message(stream, outgoing_msg)
