"""Which verified owners a case names, and which guides the report form shows, on both
databases: an owner verified before a name was found generic (the outside tester's "Ko rõ",
issue 31) or a prefix found a country's range is neither asked nor shown under it, while the
owner of a real brand and company prefix still is."""

from __future__ import annotations

from workflows.cases.models import Case
from workflows.parties.brand_claims import case_keys, verified_owners_of
from workflows.parties.genuine_guides import guides_for_brand, published_guides, shown_photo
from workflows.parties.models import BrandClaim, BrandOwner, GenuineGuide, GuidePhoto

# What the tester's owner published under "Ko rõ".
REFUND_GUIDE = "Hàng không rõ nguồn gốc? Gọi 0900 000 000 để được hoàn tiền"


async def owner(email: str, claims: list[tuple[str, str, str]]) -> BrandOwner:
    """A verified owner with claims stored as they are (a registration before the rule)."""
    made = await BrandOwner.create(organisation=email, kind="producer", contact_name="A",
                                   email=email, trademark_numbers="345678", status="verified")
    for kind, value, key in claims:
        await BrandClaim.create(owner=made, kind=kind, value=value, key=key)
    return made


async def guide(by: BrandOwner, brand: str, key: str, title: str) -> GuidePhoto:
    written = await GenuineGuide.create(owner=by, brand=brand, brand_key=key, title=title,
                                        body=title, published=True)
    return await GuidePhoto.create(guide=written, storage_name=f"{key}.jpg",
                                   original_name="tem.jpg", content_type="image/jpeg", size=1,
                                   received_sha256="0" * 64, stored_sha256="0" * 64)


async def test_an_owner_verified_for_a_generic_name_is_neither_asked_nor_shown(app):
    squatter = await owner("ko-ro@example.vn", [
        ("brand", "Ko rõ", "koro"), ("brand", "Hàng Trung Quốc", "hangtrungquoc"),
        ("brand", "Đức", "duc"), ("gs1", "893458", "893458"), ("gs1", "893", "893")])
    real = await owner("nhan-hieu@hungthinh.com.vn", [
        ("brand", "Hưng Thịnh", "hungthinh"), ("gs1", "8934588", "8934588")])
    for brand, barcode in (("KO RÕ", ""), ("ko ro", ""), ("hàng trung quốc", ""), ("Đức", ""),
                           ("", "8934581234567"), ("Ko rõ", "8930000000017")):
        case = Case(brand=brand, barcode=barcode)
        assert await verified_owners_of(None, case) == [], (brand, barcode)
        assert case_keys(case) is None or not await BrandClaim.filter(
            case_keys(case), owner_id=squatter.id).exists(), (brand, barcode)
    named = await verified_owners_of(None, Case(brand="Ko rõ", barcode="8934588063053"))
    assert [found.id for found in named] == [real.id]  # the barcode alone names its owner
    named = await verified_owners_of(None, Case(brand="HƯNG-THỊNH®", barcode=""))
    assert [found.id for found in named] == [real.id]

    generic_photo = await guide(squatter, "Ko rõ", "koro", REFUND_GUIDE)
    real_photo = await guide(real, "Hưng Thịnh", "hungthinh", "Tem chống giả màu bạc")
    for typed in ("Ko rõ", "KO-RO", "ko ro"):
        assert await guides_for_brand(typed) == [], typed
    assert [shown.title for shown in await guides_for_brand("hung thinh")] == [
        "Tem chống giả màu bạc"]
    assert [shown.title for shown in await published_guides()] == ["Tem chống giả màu bạc"]
    assert await shown_photo(generic_photo.guide_id, generic_photo.id) is None
    assert await shown_photo(real_photo.guide_id, real_photo.id) is not None
