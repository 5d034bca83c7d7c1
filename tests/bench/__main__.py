"""Run the benchmarks: `python -m tests.bench [--cases N] [--databases sqlite,postgres]
[--only throughput,outbox,queue,export,log] [--json FILE]`. Prints a table and writes the
figures to a JSON file. Throughput and log need wrk (apt-get install wrk)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
from dataclasses import asdict
from pathlib import Path

from tests.bench.common import BENCH_DIR, Results, filled_database
from tests.bench.export import export_part
from tests.bench.log import sequencer_part, workers_part
from tests.bench.outbox import outbox_part
from tests.bench.queue import queue_part
from tests.bench.throughput import throughput_part

PARTS = ("throughput", "outbox", "queue", "export", "log")


def _machine() -> str:
    cores = os.cpu_count()
    memory = ""
    with open("/proc/meminfo", encoding="ascii") as info:
        memory = f", {int(info.readline().split()[1]) // 1024 // 1024} GiB"
    return f"{platform.processor() or platform.machine()}, {cores} cores{memory}, " \
           f"Python {platform.python_version()}, {platform.system()} {platform.release()}"


async def main(args: argparse.Namespace) -> Results:
    results = Results()
    for database in args.databases.split(","):
        if "throughput" in args.only:
            print(f"throughput on {database}, {args.connections} connections, "
                  f"{args.seconds} s each:", flush=True)
            await throughput_part(database, args.connections, args.seconds, results)
        if "log" in args.only:
            print(f"audit log on {database}:", flush=True)
            await sequencer_part(database, args.events, results)
            await workers_part(database, args.connections, args.seconds, results)
        if "outbox" in args.only:
            print(f"outbox on {database}:", flush=True)
            await outbox_part(database, args.mails, results)
        if "queue" not in args.only and "export" not in args.only:
            continue
        url = await filled_database(database, args.cases)
        if "queue" in args.only:
            print(f"queue over {args.cases:,} cases on {database}:", flush=True)
            await queue_part(url, database, args.cases, args.repeat, results)
        if "export" in args.only:
            print(f"export over {args.cases:,} cases on {database}:", flush=True)
            await export_part(url, database, args.cases, results)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=50_000,
                        help="audit events the sequencer integrates in the log part")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--only", default=",".join(PARTS))
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per scenario")
    parser.add_argument("--connections", type=int, default=16, help="throughput: concurrent")
    parser.add_argument("--seconds", type=int, default=15, help="throughput: per scenario")
    parser.add_argument("--mails", type=int, default=3000, help="outbox: messages to send")
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "results.json")
    arguments = parser.parse_args()
    figures = asyncio.run(main(arguments))
    for name, plan in figures.plans.items():
        print(f"\nquery plan, {name}:\n{plan}")
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(
        {"machine": _machine(), "cases": arguments.cases,
         "figures": [asdict(figure) for figure in figures.figures], "plans": figures.plans},
        ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nFigures written to {arguments.json}")
