"""Run the benchmarks: `python -m tests.bench [--cases N] [--databases sqlite,postgres]
[--only throughput,steps,outbox,queue,export,log] [--json FILE]`. Prints a table and writes the
figures to a JSON file, and each figure against the committed baseline
(tests/bench/baseline.json: the figures the README shows) as a ratio, so that a regression
shows; `--save-baseline` makes this run the baseline. Throughput and log need wrk (apt-get
install wrk)."""

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
from tests.bench.steps import steps_part
from tests.bench.throughput import throughput_part

PARTS = ("throughput", "steps", "outbox", "queue", "export", "log")
BASELINE = Path(__file__).with_name("baseline.json")
# Where a smaller figure is the better one: a ratio above 1 against the baseline is a regression.
SMALLER_IS_BETTER = ("ms", "s", "MiB")


def save_baseline(rows: list[dict[str, object]], machine: str) -> None:
    """This run's figures replace theirs in the baseline; the parts not run stay as they were."""
    kept = json.loads(BASELINE.read_text(encoding="utf-8"))["figures"] if BASELINE.exists() \
        else []
    ran = {(row["part"], row["database"]) for row in rows}
    merged = [row for row in kept if (row["part"], row["database"]) not in ran] + rows
    BASELINE.write_text(json.dumps({"machine": machine, "figures": merged}, ensure_ascii=False,
                                   indent=2), encoding="utf-8")


def against_baseline(figures: list[dict[str, object]]) -> None:
    """Print each figure beside the baseline's figure of the same name, as a ratio."""
    if not BASELINE.exists():
        print(f"\nNo baseline at {BASELINE}: run with --save-baseline to make one.")
        return
    earlier = {(row["part"], row["database"], row["name"]): row
               for row in json.loads(BASELINE.read_text(encoding="utf-8"))["figures"]}
    print(f"\nAgainst the baseline ({BASELINE.name}); > 1 is better, < 1 a regression:")
    for row in figures:
        before = earlier.get((row["part"], row["database"], row["name"]))
        if before is None or not before["value"] or not row["value"]:
            continue
        value, old = float(row["value"]), float(before["value"])  # type: ignore[arg-type]
        better = old / value if row["unit"] in SMALLER_IS_BETTER else value / old
        print(f"  {row['database']:9} {row['name']:52} {old:12,.2f} → {value:12,.2f} "
              f"{row['unit']:6} {better:6.2f}×")


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
        if "steps" in args.only:
            print(f"where a filing's CPU goes on {database}, {args.filings} filings in-process:",
                  flush=True)
            await steps_part(database, args.filings, results)
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
    parser.add_argument("--filings", type=int, default=500, help="steps: filings profiled")
    parser.add_argument("--mails", type=int, default=3000, help="outbox: messages to send")
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "results.json")
    parser.add_argument("--save-baseline", action="store_true",
                        help=f"write this run's figures to {BASELINE.name} too")
    arguments = parser.parse_args()
    figures = asyncio.run(main(arguments))
    for name, plan in figures.plans.items():
        print(f"\nquery plan, {name}:\n{plan}")
    rows = [asdict(figure) for figure in figures.figures]
    against_baseline(rows)
    document = json.dumps({"machine": _machine(), "cases": arguments.cases, "figures": rows,
                           "plans": figures.plans}, ensure_ascii=False, indent=2)
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(document, encoding="utf-8")
    print(f"\nFigures written to {arguments.json}")
    if arguments.save_baseline:
        save_baseline(rows, _machine())
        print(f"Baseline written to {BASELINE}")
