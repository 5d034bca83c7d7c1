"""Who runs the service, from config/service.toml: what every public page's header and footer
and every mail to someone outside the agencies show, so that a citizen, a business or a brand
owner knows who writes, can reach a person and can check that a message is genuine. The
province and its People's Committee come from config/communes.toml (workflows.reference.places)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from workflows.mail.addresses import NotAMailbox, mailbox
from workflows.reference.tomlfile import ConfigError, TomlFile, read_toml

TEXTS = ("name_vi", "name_en", "operator_vi", "operator_en", "hotline", "address", "email",
         "privacy_vi", "privacy_en")
REQUIRED = ("name_vi", "name_en", "operator_vi", "operator_en", "hotline", "email")
EMBLEMS = {".svg": "image/svg+xml", ".png": "image/png"}


@dataclass(frozen=True)
class ServiceIdentity:
    name_vi: str = "Phản ánh hàng giả"
    name_en: str = "Report fake goods"
    operator_vi: str = ""  # the body that runs the service: "Sở Công Thương tỉnh Khánh Hòa"
    operator_en: str = ""
    hotline: str = ""
    address: str = ""
    email: str = ""  # the service's mailbox, which a person reads
    privacy_vi: str = ""  # the privacy notice (Decree 13/2023/NĐ-CP), paragraphs by blank lines
    privacy_en: str = ""
    emblem: Path | None = None  # an SVG or PNG shown in every page's header
    authority: str = ""  # the province's People's Committee, from the places

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_vi

    def operator(self, language: str) -> str:
        return self.operator_en if language == "en" else self.operator_vi

    def privacy(self, language: str) -> list[str]:
        text = self.privacy_en if language == "en" else self.privacy_vi
        return [" ".join(paragraph.split()) for paragraph in text.split("\n\n")
                if paragraph.strip()]

    @property
    def emblem_type(self) -> str:
        return EMBLEMS[self.emblem.suffix.lower()] if self.emblem else ""


def domain_of(base_url: str) -> str:
    """What a reader checks a link against: the service's host name."""
    return urlsplit(base_url).hostname or ""


def load_identity(path: Path, authority: str) -> ServiceIdentity:
    source = read_toml(path)
    data = source.data
    unknown = sorted(set(data) - {*TEXTS, "emblem"})
    if unknown:
        raise source.error(f"unknown key {unknown[0]!r} (known: "
                           f"{', '.join(sorted({*TEXTS, 'emblem'}))})", key=unknown[0])
    for key in TEXTS:
        value = data.get(key, "")
        if not isinstance(value, str) or (key in REQUIRED and not value.strip()):
            raise source.error(f"{key} must be a non-empty text", key=key)
    try:
        email = mailbox(data["email"])
    except NotAMailbox as refused:
        raise source.error(f"email {data['email']!r} is not one address ({refused})",
                           key="email") from None
    return ServiceIdentity(
        **{key: str(data.get(key, "")).strip() for key in TEXTS if key != "email"},
        email=email, emblem=_emblem(source, path), authority=authority)


def _emblem(source: TomlFile, path: Path) -> Path | None:
    name = source.data.get("emblem", "")
    if not name:
        return None
    if not isinstance(name, str):
        raise source.error("emblem is a file name", key="emblem")
    file = (path.parent / name).resolve()
    if file.suffix.lower() not in EMBLEMS:
        raise ConfigError(f"{source.where(key='emblem')}: emblem {name!r}: an SVG or a PNG")
    if not file.is_file():
        raise ConfigError(f"{source.where(key='emblem')}: emblem {name!r}: no such file beside "
                          f"{path.name}")
    return file
