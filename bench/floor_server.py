"""The floor for bench/webinar_fanout.py: a minimal broadcast server written with the `websockets` library.

It speaks just enough of the live-room protocol for the benchmark client (snapshot, ask, vote, events with a
seq) and does nothing else: no database, no authentication, no Django. Whatever our room costs above this is
the price of the real thing.

    python bench/floor_server.py --port 8765
"""

import argparse
import asyncio
import json

from websockets.asyncio.server import broadcast, serve

clients = set()
state = {"seq": 0, "questions": {}, "next_id": 1}


def event(name: str, data: dict) -> str:
    state["seq"] += 1
    return json.dumps({"type": "event", "seq": state["seq"], "name": name, "data": data}, separators=(",", ":"))


async def handler(socket):
    await socket.send(json.dumps({"type": "snapshot", "seq": state["seq"], "role": "attendee", "questions": [],
                                  "polls": [], "attendees": len(clients)}))  # fmt: skip
    clients.add(socket)
    try:
        async for raw in socket:
            frame = json.loads(raw)
            if frame.get("type") == "question.ask":
                qid = state["next_id"]
                state["next_id"] += 1
                question = {"id": qid, "text": frame["text"], "votes": 0, "author": None, "anonymous": True}
                state["questions"][qid] = question
                await socket.send(
                    json.dumps({"type": "ack", "client_id": frame.get("client_id"), "question": question})
                )
                broadcast(clients, event("question.created", question))
            elif frame.get("type") == "question.vote":
                question = state["questions"].get(frame.get("question_id"))
                if question is not None:
                    question["votes"] += 1
                    broadcast(clients, event("question.updated", question))
    finally:
        clients.discard(socket)


async def main(host: str, port: int) -> None:
    async with serve(handler, host, port, compression=None, max_queue=None):
        print(f"floor server on ws://{host}:{port}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
