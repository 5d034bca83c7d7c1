"""Export: `intake export` over every case in the database (the report and the line list), run
as a separate process so that its time and peak memory are its own. The ended months are first
frozen as the server's background freezer does (timed apart: no report waits for it), so the
first yearly report is measured as a committee meets it after a year of use (issue 38: < 0.8 s
at 100,000 cases, < 2 s at 1,000,000). The line list of one month is measured too: peak memory
that does not grow from a month to all the cases shows that rows are streamed, not
gathered."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.common import Figure, Results, bench_settings, connected
from workflows.cases.models import Case
from workflows.figures.freezer import freeze_ended_months
from workflows.figures.frozen import forget_frozen_months
from workflows.i18n.formatting import VIETNAM
from workflows.reference.loading import DEFAULT_CONFIG_DIR, load_reference

# The child reports its own peak resident memory (VmHWM): the rusage of a forked child would
# count the parent's memory at the fork too.
CHILD = """import atexit, sys
from intake.cli import run
def peak():
    line = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
    print("peak-kib", line.split()[1], file=sys.stderr)
atexit.register(peak)
run(sys.argv[1:])
"""


def _run_export(url: str, arguments: list[str]) -> tuple[float, float, int]:
    """(seconds, peak resident MiB, bytes written) of one `intake export`."""
    settings = bench_settings(url)
    environment = {**os.environ, "INTAKE_DATABASE_URL": url,
                   "INTAKE_DATA_DIR": str(settings.data_dir),
                   "INTAKE_SECRET_KEY": settings.secret_key}
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "export.out"
        started = time.perf_counter()
        finished = subprocess.run(
            [sys.executable, "-c", CHILD, "export", *arguments, "--out", str(target)],
            env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            check=False)
        seconds = time.perf_counter() - started
        if finished.returncode:
            raise SystemExit(f"intake export {' '.join(arguments)} failed: {finished.stderr}")
        peak = next(line for line in finished.stderr.splitlines() if line.startswith("peak-kib"))
        return seconds, int(peak.split()[1]) / 1024, target.stat().st_size


async def _span_after_freezing(url: str) -> tuple[dt.date, dt.date, dt.date, float]:
    """The first and last days holding cases, a day in the busiest recent month, and the
    seconds the background freezer took to freeze every ended month from none."""
    async with connected(url):
        await forget_frozen_months()
        started = time.perf_counter()
        await freeze_ended_months(load_reference(DEFAULT_CONFIG_DIR).calendar)
        freezing = time.perf_counter() - started
        first = await Case.all().order_by("created_at").first().values_list("created_at",
                                                                              flat=True)
        last = await Case.all().order_by("-created_at").first().values_list("created_at",
                                                                              flat=True)
    assert isinstance(first, dt.datetime) and isinstance(last, dt.datetime)
    return (first.astimezone(VIETNAM).date(), last.astimezone(VIETNAM).date(),
            (last - dt.timedelta(days=20)).astimezone(VIETNAM).date(), freezing)


async def export_part(url: str, database: str, cases: int, results: Results) -> None:
    first, last, recent, freezing = await _span_after_freezing(url)
    results.add(Figure("export", database, "freezing every ended month, in the background",
                       freezing, "s", note="once; then one month a month"))
    every_case = ["--from", first.isoformat(), "--to", last.isoformat()]
    one_month = ["--period", f"{recent:%Y-%m}", "--cutoff", "0"]
    # The latest year whose yearly report window (to 14 November) is over.
    year = last.year if (last.month, last.day) > (11, 14) else last.year - 1
    yearly = ["--report", "bao-cao-nam", "--year", str(year), "--format", "xlsx"]
    goal = 0.8 if cases <= 100_000 else 2.0  # issue 38
    runs = (
        # The plans' reports by name, the first right after the months froze.
        (f"yearly report {year}, the first (xlsx)", yearly),
        (f"yearly report {year}, the second (xlsx)", yearly),
        (f"six-month report {year} (xlsx)", ["--report", "bao-cao-6-thang", "--year",
                                             str(year), "--format", "xlsx"]),
        ("report, every case (xlsx)", every_case + ["--format", "xlsx"]),
        ("line list, one month (csv)", one_month + ["--detail", "--format", "csv"]),
        ("line list, every case (csv)", every_case + ["--detail", "--format", "csv"]),
    )
    peaks = {}
    for label, arguments in runs:
        seconds, peak, size = _run_export(url, arguments)
        peaks[label] = peak
        named = "report " in label and "every case" not in label
        results.add(Figure("export", database, f"{label} time", seconds, "s",
                           goal=f"< {goal:g} s" if named else "",
                           met=seconds < goal if named else None,
                           note=f"{cases:,} cases, {size / 1e6:,.1f} MB written"))
        results.add(Figure("export", database, f"{label} peak memory", peak, "MiB"))
    ratio = peaks["line list, every case (csv)"] / peaks["line list, one month (csv)"]
    results.add(Figure("export", database, "peak memory, every case / one month", ratio, "×",
                       goal="≈ 1 (streamed)", met=ratio < 1.25))
