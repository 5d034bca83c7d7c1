"""The statistics as files: CSV (UTF-8 with BOM, so Excel shows Vietnamese), XLSX laid out as a
report a clerk can print, JSON; and the case-level line list for analysts.

Nothing about a reporter and no description is ever written. Text cells that a spreadsheet
would read as a formula (=, +, -, @, tab, CR) are neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from workflows.audit.log import Actor, append_event
from workflows.cases.models import Case
from workflows.figures.statistics import Figures, Report
from workflows.i18n.formatting import VIETNAM
from workflows.reference import catalog
from workflows.reference.agencies import Agency
from workflows.reference.reporting import Period

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
VND_FORMAT = '#,##0 "₫"'
TITLE = "BÁO CÁO THỐNG KÊ PHẢN ÁNH HÀNG GIẢ, HÀNG NHÁI, HÀNG KÉM CHẤT LƯỢNG"
OUTCOME_LABELS = {"violation_confirmed": "Xác định có vi phạm", "not_confirmed": "Không có vi phạm",
                  "referred": "Chuyển cơ quan có thẩm quyền",
                  "insufficient_information": "Không đủ thông tin"}
DETAIL_COLUMNS = (
    ("tracking_code", "Mã phản ánh"), ("created_at", "Ngày tiếp nhận"),
    ("intake_channel", "Kênh tiếp nhận"), ("category", "Loại vi phạm"),
    ("product_group", "Nhóm hàng"), ("product_name", "Sản phẩm"), ("brand", "Nhãn hiệu"),
    ("sales_channel", "Nơi bán"), ("platform", "Sàn/nền tảng"), ("shop_name", "Cơ sở bán"),
    ("commune", "Xã/phường"), ("agency_code", "Cơ quan xử lý"), ("status", "Trạng thái"),
    ("due_at", "Hạn xử lý"), ("resolved_at", "Ngày kết thúc"), ("outcome", "Kết quả"),
    ("fine_vnd", "Tiền phạt (đ)"), ("seized_quantity", "Hàng tạm giữ (số lượng)"),
    ("seized_value_vnd", "Giá trị hàng tạm giữ (đ)"),
)
DETAIL_BATCH = 2000
# Line-list columns written as their Vietnamese label rather than their code.
DETAIL_LABELS = {"category": catalog.CATEGORIES, "product_group": catalog.PRODUCT_GROUPS,
                 "sales_channel": catalog.SALES_CHANNELS, "intake_channel": catalog.INTAKE_CHANNELS,
                 "status": catalog.STATUSES}


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Line:
    label: str
    current: float | int | None
    previous: float | int | None
    money: bool = False

    @property
    def change(self) -> float | int | None:
        if self.current is None or self.previous is None:
            return None
        return round(self.current - self.previous, 4)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list[Line]


def _term_label(terms: tuple[catalog.Term, ...], code: str) -> str:
    term = catalog.find(terms, code)
    return term.vi if term else (code or "(không rõ)")


def sections(report: Report, agencies: dict[str, Agency]) -> list[Section]:
    """The report as titled sections of lines, in Vietnamese: one source for every format."""
    now, before = report.current, report.previous

    def both(pick: Callable[[Figures], Any]) -> tuple[Any, Any]:
        return pick(now), pick(before)

    def breakdown(key: str, title: str, label) -> Section:  # type: ignore[no-untyped-def]
        keys = sorted(set(now.by[key]) | set(before.by[key]),
                      key=lambda k: (-now.by[key].get(k, 0), k))
        return Section(key, title, [Line(label(k), now.by[key].get(k, 0),
                                         before.by[key].get(k, 0)) for k in keys])

    def agency_name(code: str) -> str:
        return agencies[code].name_vi if code in agencies else (code or "Chờ phân loại")

    def share(value: float | None) -> float | None:
        return None if value is None else round(100 * value, 1)

    headline = [
        Line("Số phản ánh tiếp nhận", *both(lambda f: f.received)),
        Line("Tỷ lệ bán trực tuyến (%)", *both(lambda f: share(f.online_share))),
        Line("Đã giải quyết trong kỳ", *both(lambda f: f.resolved)),
        Line("Giải quyết đúng hạn", *both(lambda f: f.resolved_in_time)),
        Line("Tỷ lệ đúng hạn (%)", *both(lambda f: share(f.in_time_share))),
        Line("Số ngày giải quyết (trung vị)", *both(lambda f: f.median_days)),
        Line("Số ngày giải quyết (phân vị 90)", *both(lambda f: f.p90_days)),
        Line("Xác định có vi phạm", *both(lambda f: f.outcomes.get("violation_confirmed", 0))),
        Line("Chuyển cơ quan có thẩm quyền", *both(lambda f: f.outcomes.get("referred", 0))),
        Line("Tổng tiền phạt", *both(lambda f: f.fines_vnd), money=True),
        Line("Hàng tạm giữ (số lượng)", *both(lambda f: f.seized_quantity)),
        Line("Giá trị hàng tạm giữ", *both(lambda f: f.seized_value_vnd), money=True),
    ]
    status = [Line("Đã giải quyết đến cuối kỳ", *both(lambda f: f.settled_by_end)),
              Line("Không thụ lý", *both(lambda f: f.rejected)),
              Line("Còn đang xử lý cuối kỳ", *both(lambda f: f.open_at_end))]
    outcomes = [Line(label, now.outcomes.get(code, 0), before.outcomes.get(code, 0))
                for code, label in OUTCOME_LABELS.items()]

    def top(pick, title: str, key: str) -> Section:  # type: ignore[no-untyped-def]
        earlier = {row[:-1]: row[-1] for row in pick(before)}
        return Section(key, title, [Line(" · ".join(row[:-1]), row[-1], earlier.get(row[:-1], 0))
                                    for row in pick(now)])

    return [
        Section("summary", "Tổng hợp", headline),
        breakdown("category", "Theo loại vi phạm", lambda k: _term_label(catalog.CATEGORIES, k)),
        breakdown("agency_code", "Theo cơ quan xử lý", agency_name),
        breakdown("commune", "Theo xã, phường", lambda k: k or "(không rõ)"),
        breakdown("product_group", "Theo nhóm hàng",
                  lambda k: _term_label(catalog.PRODUCT_GROUPS, k)),
        breakdown("sales_channel", "Theo nơi bán", lambda k: _term_label(catalog.SALES_CHANNELS, k)),
        breakdown("intake_channel", "Theo kênh tiếp nhận",
                  lambda k: _term_label(catalog.INTAKE_CHANNELS, k)),
        Section("status", "Tình trạng cuối kỳ", status),
        Section("outcomes", "Kết quả xử lý", outcomes),
        top(lambda f: [(b, n) for b, n in f.top_brands], "Nhãn hiệu bị phản ánh nhiều", "brands"),
        top(lambda f: [(p, n) for p, n in f.top_products], "Sản phẩm bị phản ánh nhiều",
            "products"),
        top(lambda f: f.top_shops, "Cơ sở bị phản ánh nhiều", "shops"),
    ]


def period_text(period: Period) -> str:
    return (f"{period.label} ({period.first_day:%d/%m/%Y} – {period.last_day:%d/%m/%Y})")


def scope_text(report: Report, agencies: dict[str, Agency]) -> str:
    if report.agency_code and report.agency_code in agencies:
        return agencies[report.agency_code].name_vi
    return "Toàn tỉnh (tất cả cơ quan)"


def to_csv(report: Report, agencies: dict[str, Agency]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Mục", "Nội dung", f"Kỳ này {report.period.label}",
                     f"Kỳ trước {report.previous_period.label}", "Tăng/giảm"])
    for section in sections(report, agencies):
        for line in section.lines:
            writer.writerow([section.title, neutralise(line.label), _plain(line.current),
                             _plain(line.previous), _plain(line.change)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _plain(value: object) -> object:
    return "" if value is None else value


def to_json(report: Report, agencies: dict[str, Agency]) -> bytes:
    document = {
        "period": {"label": report.period.label, "from": report.period.first_day.isoformat(),
                   "to": report.period.last_day.isoformat()},
        "previous_period": {"label": report.previous_period.label,
                            "from": report.previous_period.first_day.isoformat(),
                            "to": report.previous_period.last_day.isoformat()},
        "agency": report.agency_code,
        "current": _figures_json(report.current),
        "previous": _figures_json(report.previous),
        "sections": [{"key": s.key, "title": s.title,
                      "lines": [{"label": line.label, "current": line.current,
                                 "previous": line.previous, "change": line.change}
                                for line in s.lines]} for s in sections(report, agencies)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _figures_json(figures: Figures) -> dict[str, object]:
    return {"received": figures.received, "by": figures.by,
            "open_at_end": figures.open_at_end, "settled_by_end": figures.settled_by_end,
            "rejected": figures.rejected, "resolved": figures.resolved,
            "resolved_in_time": figures.resolved_in_time, "median_days": figures.median_days,
            "p90_days": figures.p90_days, "outcomes": figures.outcomes,
            "fines_vnd": figures.fines_vnd, "seized_quantity": figures.seized_quantity,
            "seized_value_vnd": figures.seized_value_vnd,
            "top_brands": figures.top_brands, "top_products": figures.top_products,
            "top_shops": figures.top_shops}


def to_xlsx(report: Report, agencies: dict[str, Agency], made_on: dt.date) -> bytes:
    workbook = Workbook()
    bold = Font(bold=True)
    for index, section in enumerate(sections(report, agencies)):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = section.title[:31]
        sheet.append([TITLE])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"Kỳ báo cáo: {period_text(report.period)}"])
        sheet.append([f"Kỳ so sánh: {period_text(report.previous_period)}"])
        sheet.append([f"Đơn vị: {scope_text(report, agencies)}"])
        sheet.append([f"Ngày lập: {made_on:%d/%m/%Y}"])
        sheet.append([])
        sheet.append([section.title.upper()])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.append(["Nội dung", "Kỳ này", "Kỳ trước", "Tăng/giảm"])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for line in section.lines:
            sheet.append([neutralise(line.label), line.current, line.previous, line.change])
            if line.money:
                for cell in sheet[sheet.max_row][1:]:
                    cell.number_format = VND_FORMAT
            else:
                for cell in sheet[sheet.max_row][1:]:
                    cell.number_format = "#,##0.##"
        for column, width in zip("ABCD", (48, 18, 18, 16), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.print_title_rows = "8:8"
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _detail_value(column: str, value: object, agencies: dict[str, Agency]) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    if column in DETAIL_LABELS and isinstance(value, str):
        return _term_label(DETAIL_LABELS[column], value)
    if column == "agency_code":
        return agencies[value].name_vi if value in agencies else "Chờ phân loại"
    if column == "outcome":
        return OUTCOME_LABELS.get(str(value), "")
    return neutralise(value) if value is not None else ""


async def detail_rows(period: Period, agency_code: str | None,
                      agencies: dict[str, Agency]) -> AsyncIterator[list[object]]:
    """One row per case received in the period, oldest first, read in keyset batches along the
    created_at index: memory stays flat, and a month of a large database reads only that
    month."""
    scope = Case.filter(created_at__gte=period.start, created_at__lt=period.end)
    if agency_code:
        scope = scope.filter(agency_code=agency_code)
    columns = [name for name, _ in DETAIL_COLUMNS]
    batch = await (scope.order_by("created_at", "id").limit(DETAIL_BATCH)
                   .values_list("id", *columns))
    while batch:
        for row in batch:
            yield [_detail_value(name, value, agencies) for name, value in zip(
                columns, row[1:], strict=True)]
        last_id, last_created = batch[-1][0], batch[-1][1 + columns.index("created_at")]
        batch = await (scope.filter(created_at__gte=last_created)
                       .filter(Q(created_at__gt=last_created) | Q(id__gt=last_id))
                       .order_by("created_at", "id").limit(DETAIL_BATCH)
                       .values_list("id", *columns))


def detail_header() -> list[str]:
    return [title for _, title in DETAIL_COLUMNS]


async def detail_lines(period: Period, agency_code: str | None, agencies: dict[str, Agency],
                       file_format: str) -> AsyncIterator[str]:
    """The line list as text lines: CSV (a BOM and a header first) or JSON lines."""
    header = detail_header()
    if file_format == "csv":
        yield "\ufeff" + csv_line(header)
    async for row in detail_rows(period, agency_code, agencies):
        if file_format == "csv":
            yield csv_line(row)
        else:
            yield json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False) + "\n"


def csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(list(values))
    return buffer.getvalue()


FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json"}


def file_name(report_period: Period, agency_code: str | None, extension: str,
              detail: bool = False) -> str:
    scope = agency_code or "tinh"
    kind = "danh-sach" if detail else "thong-ke"
    return f"intake-{kind}-{report_period.label.replace('..', '_')}-{scope}.{extension}"


def render_report(report: Report, agencies: dict[str, Agency], file_format: str,
                  made_on: dt.date) -> bytes:
    if file_format == "csv":
        return to_csv(report, agencies)
    if file_format == "xlsx":
        return to_xlsx(report, agencies, made_on)
    return to_json(report, agencies)


async def record_export(actor: Actor, period: Period, agency_code: str | None, file_format: str,
                        detail: bool) -> None:
    """Who took which figures out, in the audit trail."""
    async with in_transaction() as connection:
        await append_event(connection, case=None, actor=actor, action="export",
                           after={"period": period.label, "agency": agency_code,
                                  "format": file_format, "detail": detail})
