"""An OpenAI-compatible chat server on loopback, for tests and benchmarks: litellm talks to
it over real HTTP (plain JSON or Server-Sent Events), and tests script its behaviour.

Default replies: an outline JSON when asked for "exactly N sections", else prose of the
"about N words" asked for, so the pipeline's length targets can be checked. A test can set
`responder(body) -> text`, or script the next answers (`reply_next`), failures
(`fail_next`) and hangs (`hang_next`); `requests` holds every request body received as
sent (messages, `response_format`, `stream`...).

`python -m tests.llm_server --port P` runs it as a process of its own (the benchmarks do,
so that it does not share a GIL with what they measure); `POST /control` with
`{"delay": s, "chunk_delay": s}` changes its pacing, `GET /control` reports the requests
served."""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SENTENCES = (
    "Start with the one question your readers ask most often and answer it in plain words.",
    "A short checklist at the end of each section makes the advice easy to act on.",
    "Teams that publish on a steady weekly rhythm build trust faster than teams that "
    "publish in bursts.",
    "Measure what changed after each post: replies, sign-ups and time on page tell "
    "different stories.",
    "Concrete examples beat general claims, so show the before and the after.",
    "Keep one goal per piece and cut every paragraph that does not serve it.",
    "Your audience already has habits; meet them in the channels they open every morning.",
    "A clear headline promises one result and the body keeps that promise.",
    "Reuse the best material: a strong blog post becomes a thread, a newsletter and a talk.",
    "Budget time for review, because a second reader catches what the writer cannot see.",
    "Small experiments with subject lines and openings teach more than long debates.",
    "Write the way your customers speak, and borrow their words for your headings.",
    "Every claim that matters deserves a number, a source or a story behind it.",
    "Plan the next step for the reader before you write the first line.",
    "Simple layouts with short paragraphs keep people reading on a phone.",
    "Listen to the questions sales and support hear every week; they are your best topics.",
)


HEADINGS = (
    "Why it matters this season",
    "Start with what your customers ask",
    "A checklist you can use this week",
    "Stories from teams who did it",
    "Measure what works",
    "Mistakes worth avoiding",
    "Tools that save an afternoon",
    "Your next three steps",
)


def prose(words: int, seed: int = 0) -> str:
    """Deterministic readable sentences, exactly `words` words, in paragraphs of about 60
    words (the last sentence is cut short when it would overshoot)."""
    sentences, written, index = [], 0, seed
    while written < words:
        chosen = SENTENCES[(index * 7) % len(SENTENCES)].split()[: words - written]
        sentence = " ".join(chosen)
        sentences.append(sentence if sentence.endswith(".") else sentence.rstrip(",;:") + ".")
        written += len(chosen)
        index += 1
    paragraphs, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if sum(len(s.split()) for s in current) >= 60:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs + ([" ".join(current)] if current else []))


def default_reply(body: dict) -> str:
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    sections = re.search(r"exactly (\d+) sections", text)
    if sections:
        topic = re.search(r"^Topic: (.+)$", text, re.M)
        topic = topic.group(1).strip() if topic else "the topic"
        count = int(sections.group(1))
        headings = [HEADINGS[i % len(HEADINGS)] for i in range(count)]
        return json.dumps(
            {
                "title": f"{topic[:1].upper()}{topic[1:]}: a practical guide",
                "meta_keywords": topic.lower().split()[:3],
                "sections": [
                    {"heading": heading, "points": ["why", "how"]} for heading in headings
                ],
            }
        )
    words = re.search(r"about (\d+) words", text)
    reply = prose(int(words.group(1)) if words else 60, seed=len(text) % 11)
    return cite_passages(reply, re.findall(r"^\[(\d+)\] ", text, re.M))


def cite_passages(reply: str, numbers: list[str]) -> str:
    """Each paragraph of `reply` ends citing one of the numbered passages the prompt
    carried, in turn, as a model asked to cite does (none when it carried none)."""
    if not numbers:
        return reply
    paragraphs = reply.split("\n\n")
    return "\n\n".join(f"{p} [{numbers[i % len(numbers)]}]" for i, p in enumerate(paragraphs))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Many calls connect at once (a bulk job's rows, a post's sections): socketserver's
    # listen backlog of 5 drops the SYNs beyond it, and the client resends them a second
    # later, a second that is not the model's.
    request_queue_size = 128


class FakeModelServer:
    def __init__(self, port: int = 0):
        self.lock = threading.Lock()
        self.reset()
        self.httpd = _Server(("127.0.0.1", port), _handler(self))
        self.httpd.handle_error = _ignore_gone_clients(self.httpd.handle_error)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.delay = 0.0
            self.chunk_delay = 0.0
            self.responder = None
            self.requests: list[dict] = []
            # ("fail", status, retry_after) | ("hang", s) | ("reply", text)
            self._script: list[tuple] = []

    def fail_next(self, status: int, times: int = 1, retry_after=None) -> None:
        with self.lock:
            self._script += [("fail", status, retry_after)] * times

    def reply_next(self, *texts: str) -> None:
        """Answer the next requests with `texts`, one each, whatever they ask."""
        with self.lock:
            self._script += [("reply", text) for text in texts]

    def hang_next(self, seconds: float, times: int = 1) -> None:
        with self.lock:
            self._script += [("hang", seconds)] * times

    def next_action(self, body: dict):
        with self.lock:
            self.requests.append(body)
            return self._script.pop(0) if self._script else None

    def reply(self, body: dict) -> str:
        return (self.responder or default_reply)(body)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _ignore_gone_clients(handle_error):
    """A client that timed out and hung up before a (hanging) reply is not an error."""

    def handle(request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            handle_error(request, client_address)

    return handle


def _handler(server: FakeModelServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.rstrip("/") != "/control":
                return self._json(404, {"error": {"message": "not found"}})
            self._json(
                200,
                {
                    "requests": len(server.requests),
                    "delay": server.delay,
                    "chunk_delay": server.chunk_delay,
                },
            )

        def do_POST(self):
            if self.path.rstrip("/") == "/control":
                return self._control()
            if not self.path.rstrip("/").endswith("/chat/completions"):
                return self._json(404, {"error": {"message": "not found"}})
            try:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                return self._json(400, {"error": {"message": "invalid JSON"}})
            action = server.next_action(body)
            if server.delay:
                time.sleep(server.delay)
            if action and action[0] == "hang":
                time.sleep(action[1])
            elif action and action[0] == "fail":
                headers = {"Retry-After": str(action[2])} if action[2] is not None else {}
                return self._json(
                    action[1],
                    {"error": {"message": f"scripted {action[1]}", "type": "server_error"}},
                    headers,
                )
            text = action[1] if action and action[0] == "reply" else server.reply(body)
            usage = {
                "prompt_tokens": max(1, len(json.dumps(body.get("messages"))) // 4),
                "completion_tokens": max(1, len(text.split()) * 4 // 3),
            }
            usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
            if body.get("stream"):
                return self._stream(body, text, usage)
            self._json(
                200,
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model"),
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": text},
                        }
                    ],
                    "usage": usage,
                },
            )

        def _control(self):
            settings = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            with server.lock:
                server.delay = float(settings.get("delay", server.delay))
                server.chunk_delay = float(settings.get("chunk_delay", server.chunk_delay))
            self._json(200, {"delay": server.delay, "chunk_delay": server.chunk_delay})

        def _json(self, status, payload, headers=None):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, body, text, usage):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            pieces = re.findall(r"\S+\s*", text) or [""]
            for start in range(0, len(pieces), 5):
                self._event(body, {"content": "".join(pieces[start : start + 5])})
                if server.chunk_delay:
                    time.sleep(server.chunk_delay)
            self._event(body, {}, finish="stop")
            if (body.get("stream_options") or {}).get("include_usage"):
                self._send_sse(
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": int(time.time()),
                        "model": body.get("model"),
                        "choices": [],
                        "usage": usage,
                    }
                )
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

        def _event(self, body, delta, finish=None):
            self._send_sse(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": body.get("model"),
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                }
            )

        def _send_sse(self, payload):
            self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
            self.wfile.flush()

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before answering")
    parser.add_argument(
        "--chunk-delay", type=float, default=0.0, help="seconds between streamed chunks"
    )
    args = parser.parse_args()
    server = FakeModelServer(args.port)
    server.delay, server.chunk_delay = args.delay, args.chunk_delay
    print(server.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.close()


@pytest.fixture(scope="session")
def _llm_server_process():
    server = FakeModelServer()
    yield server
    server.close()


@pytest.fixture
def llm_server(_llm_server_process):
    """The loopback model server, its script and recorded requests reset for this test."""
    _llm_server_process.reset()
    yield _llm_server_process
    _llm_server_process.reset()


if __name__ == "__main__":
    main()
