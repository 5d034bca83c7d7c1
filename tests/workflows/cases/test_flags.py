from __future__ import annotations

from tests.helpers import VALID_REPORT, post_report
from workflows.cases.flags import BAD_CHECK_DIGIT, FOREIGN_PREFIX_ON_VIETNAMESE_LABEL, case_flags
from workflows.cases.models import Case
from workflows.i18n.translations import translator


async def flags_for(client, **changes: str) -> list:
    assert (await post_report(client, {**VALID_REPORT, **changes})).status_code == 303
    case = await Case.all().order_by("-id").first()
    return case_flags(case)


async def test_a_wrong_check_digit_is_flagged_not_refused(client):
    assert await flags_for(client, barcode="8934588063054") == [BAD_CHECK_DIGIT]
    assert translator("vi").gettext(BAD_CHECK_DIGIT.label) == "Mã vạch sai số kiểm tra"


async def test_a_vietnamese_label_with_a_foreign_gs1_prefix_is_flagged(client):
    assert await flags_for(client, barcode="4006381333931", label_origin="vn") == [
        FOREIGN_PREFIX_ON_VIETNAMESE_LABEL]
    assert await flags_for(client, barcode="4006381333931", label_origin="foreign") == []
    assert await flags_for(client, barcode="8934588063053", label_origin="vn") == []
