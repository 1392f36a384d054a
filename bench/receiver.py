"""The webhooks scenarios' receiver: answers every HTTP/1.1 request at once with a fixed 200,
on kept-alive connections, as an asyncio protocol of a few lines.

    python -m bench.receiver PORT

On this 2-core machine the receiver's CPU is taken from the server under test (a real
receiver runs elsewhere), so it does as little as a receiver can: about 20 us a delivery,
where Starlette on granian took about 120 and a bare ASGI app on granian about 85
(issue 19). Requests it reads need a Content-Length (the sender's always have one).
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from bench import loop

ANSWER = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 17\r\n\r\n"
    b'{"received":true}'
)


class Receiving(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: Any = None  # uvloop's transport is no asyncio.Transport subclass

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        answers = 0
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            length = 0
            for line in bytes(self.buffer[:end]).split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                break  # the body is still coming
            del self.buffer[: end + 4 + length]
            answers += 1
        if answers and self.transport is not None:
            self.transport.write(ANSWER * answers)


async def main(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Receiving, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    loop.run(main(int(sys.argv[1])))
