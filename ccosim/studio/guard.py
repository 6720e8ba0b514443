"""An ASGI wrapper that lets only the studio's own page talk to the studio.

A local server is reachable by any web page the user has open: a page on ``evil.example``
can point a name at 127.0.0.1 (DNS rebinding) or post to ``http://127.0.0.1:PORT`` directly.
The browser still sends that page's ``Host`` (the attacker's name) and ``Origin``; this
wrapper refuses any request, HTTP or WebSocket, whose ``Host`` is not the address the studio
serves on or whose ``Origin`` (when sent) is not that address, and any request body larger
than the upload limit. It also ends the studio's background jobs when the server shuts down.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

__all__ = ["LOCAL_HOSTS", "GuardedApp", "allowed_hosts"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Addresses that reach this machine only.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` values of the studio's own address (``127.0.0.1:8765``, ``localhost:8765``)."""
    names = {host}
    if host in LOCAL_HOSTS:
        names |= {"127.0.0.1", "localhost"}
    out = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        out.add(f"{shown}:{port}".lower())
    return frozenset(out)


class GuardedApp:
    """``app`` behind Host/Origin checks and a request-body limit (see the module docstring).

    Args:
        app: The ASGI application (the Shiny app).
        hosts: Accepted ``Host`` header values (``name:port``, lower case).
        max_body: Largest request body accepted, in bytes.
        on_startup: Called once the server has started.
        on_shutdown: Called when the server shuts down (ends background jobs).
    """

    def __init__(
        self,
        app: ASGIApp,
        hosts: Iterable[str],
        *,
        max_body: int,
        on_startup: Callable[[], None] | None = None,
        on_shutdown: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.hosts = frozenset(h.lower() for h in hosts)
        self.origins = frozenset(f"http://{h}" for h in self.hosts)
        self.max_body = max_body
        self.on_startup = on_startup
        self.on_shutdown = on_shutdown

    def refusal(self, scope: Scope) -> str | None:
        """Why a request is refused, or None to let it through."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return "this server answers only to its own address (Host refused)"
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return "requests from other sites are refused (Origin refused)"
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return "request too large"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection (see the class docstring)."""
        kind = scope["type"]
        if kind == "lifespan":
            await self.app(scope, self._watch_shutdown(receive), self._watch_startup(send))
            return
        why = self.refusal(scope)
        if why is not None:
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1008, "reason": why})
                return
            status = 413 if why == "request too large" else 403
            body = (why + "\n").encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        if kind == "http":
            receive = self._limited(receive)
        await self.app(scope, receive, send)

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise ValueError("request body over the studio's upload limit")
            return message

        return limited

    def _watch_shutdown(self, receive: Receive) -> Receive:
        async def watched() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown" and self.on_shutdown:
                self.on_shutdown()
            return message

        return watched

    def _watch_startup(self, send: Send) -> Send:
        async def watched(message: Message) -> None:
            await send(message)
            if message["type"] == "lifespan.startup.complete" and self.on_startup:
                self.on_startup()

        return watched
