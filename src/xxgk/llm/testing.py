"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests and benchmarks (no network, no model).

    with ScriptedServer() as server:
        server.queue(answer({"corrections": []}), status(429), delay(5.0))
        settings = server.settings(mode="json_schema")
        ...
        server.requests[0].body["response_format"]

Each POST to ``/v1/chat/completions`` takes the next scripted reply (or asks ``fallback(request)`` when the
queue is empty). A reply is shaped for the request: for a ``tools`` request the JSON goes into a tool
call, otherwise into the message content. Usage is estimated (CJK characters + ASCII words).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .config import LLMSettings, ModeName

_TOKEN = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9_]+|[^\sA-Za-z0-9_\u3400-\u9fff]")


IMAGE_TOKENS = 1000  # what a page image counts as in the scripted usage


def estimate_tokens(text: str) -> int:
    """A rough token count: one per CJK character, ASCII word or punctuation mark."""
    return len(_TOKEN.findall(text))


@dataclass
class Received:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def text(self) -> str:
        """Every message's text joined: what the model was shown (image parts left out, see ``images``)."""
        out = []
        for m in self.messages:
            content = m.get("content") or ""
            if isinstance(content, list):
                out.extend(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text")
            else:
                out.append(str(content))
        return "\n".join(out)

    @property
    def images(self) -> list[str]:
        """The image URLs the request carried (``image_url`` parts of any message)."""
        return [
            str(p["image_url"]["url"])
            for m in self.messages
            if isinstance(m.get("content"), list)
            for p in m["content"]
            if isinstance(p, dict) and p.get("type") == "image_url"
        ]

    @property
    def mode(self) -> str:
        """The instructor mode this request looks like: tools | json_schema | json | md_json."""
        if self.body.get("tools"):
            return "tools"
        fmt = (self.body.get("response_format") or {}).get("type")
        if fmt == "json_schema":
            return "json_schema"
        if fmt == "json_object":
            return "json"
        return "md_json"


@dataclass
class Reply:
    """A scripted answer: content for the model's message, or an HTTP error, possibly after a delay."""

    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    raw_body: str | None = None


def answer(data: Any) -> Reply:
    """A reply whose message is ``data`` as JSON (a str is sent as is: use it for broken JSON)."""
    return Reply(content=data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))


def status(code: int, retry_after: float | None = 0.01) -> Reply:
    """An HTTP error reply (429 carries a short retry-after so that tests stay fast)."""
    headers = {"retry-after-ms": str(int(retry_after * 1000))} if retry_after is not None else {}
    return Reply(status=code, headers=headers, raw_body=json.dumps({"error": {"message": f"scripted {code}", "type": "scripted"}}))


def delay(seconds: float, then: Reply | None = None) -> Reply:
    """A reply sent only after ``seconds`` (longer than the client's timeout: a timeout)."""
    r = then or answer({})
    r.delay = seconds
    return r


Fallback = Callable[[Received], Reply]


class ScriptedServer:
    """An OpenAI-compatible server in a thread, answering from a script."""

    def __init__(self, fallback: Fallback | None = None, model: str = "scripted-model") -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[Received] = []
        self.fallback = fallback
        self.model = model
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    # -- lifecycle
    def start(self) -> ScriptedServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, code: int, body: str, headers: dict[str, str] | None = None) -> None:
                data = body.encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:  # noqa: N802
                server._record(self, {})
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, json.dumps({"object": "list", "data": [{"id": server.model, "object": "model", "owned_by": "xxgk"}]}))
                else:
                    self._send(404, json.dumps({"error": {"message": "not found"}}))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                received = server._record(self, body)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, json.dumps({"error": {"message": "not found"}}))
                    return
                reply = server._next(received)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    self._send(reply.status, reply.raw_body or "{}", reply.headers)
                    return
                self._send(200, server._completion(received, reply), reply.headers)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- script
    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def settings(self, mode: ModeName = "json_schema", **overrides: Any) -> LLMSettings:
        """Settings pointing at this server (no key unless given)."""
        values: dict[str, Any] = {"name": "scripted", "base_url": self.base_url, "model": self.model, "mode": mode, "timeout": 10.0, "http_retries": 2, "max_retries": 2}
        values.update(overrides)
        return LLMSettings(**values)

    @property
    def chat_requests(self) -> list[Received]:
        return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    # -- internals
    def _record(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> Received:
        received = Received(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()}, body)
        with self._lock:
            self.requests.append(received)
        return received

    def _next(self, received: Received) -> Reply:
        with self._lock:
            if self.replies:
                return self.replies.popleft()
        if self.fallback is not None:
            return self.fallback(received)
        return Reply(status=500, raw_body=json.dumps({"error": {"message": "script exhausted"}}))

    def _completion(self, received: Received, reply: Reply) -> str:
        content = reply.content or ""
        message: dict[str, Any] = {"role": "assistant", "content": content}
        finish = "stop"
        if received.mode == "tools":
            tools = received.body.get("tools") or []
            name = tools[0]["function"]["name"] if tools else "answer"
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": f"call_{len(self.requests)}", "type": "function", "function": {"name": name, "arguments": content}}],
            }
            finish = "tool_calls"
        elif received.mode == "md_json":
            message["content"] = f"```json\n{content}\n```"
        prompt_tokens = estimate_tokens(received.text + json.dumps(received.body.get("tools") or received.body.get("response_format") or "", ensure_ascii=False))
        prompt_tokens += IMAGE_TOKENS * len(received.images)
        completion_tokens = estimate_tokens(content)
        return json.dumps(
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": received.body.get("model", self.model),
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
            },
            ensure_ascii=False,
        )


__all__ = ["Received", "Reply", "ScriptedServer", "answer", "delay", "estimate_tokens", "status"]
