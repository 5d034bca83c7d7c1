"""Everything read from config/ at start: who runs the service, agencies, routing rules, places,
service levels, reporting periods, the audit log's witnesses and how brand owners take part."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from workflows.i18n.paths import CHECKOUT_DIR
from workflows.i18n.translations import LANGUAGES, Translator, translator
from workflows.reference.agencies import Agency, load_agencies
from workflows.reference.boundaries import Boundaries, load_boundaries
from workflows.reference.brand_policy import BrandOwnerPolicy, load_brand_policy
from workflows.reference.identity import ServiceIdentity, load_identity
from workflows.reference.places import Places, load_places
from workflows.reference.reporting import ReportingCalendar, load_calendar
from workflows.reference.routing import Rule, load_rules
from workflows.reference.sla import ServiceLevels, load_service_levels
from workflows.reference.witnesses import Witnesses, load_witnesses

DEFAULT_CONFIG_DIR = CHECKOUT_DIR / "config"


@dataclass(frozen=True)
class ReferenceData:
    agencies: dict[str, Agency]
    rules: list[Rule]
    places: Places
    service_levels: ServiceLevels
    calendar: ReportingCalendar = ReportingCalendar()
    witnesses: Witnesses = Witnesses()
    boundaries_file: Path | None = None  # config/boundaries.geojson: see `boundaries`
    brand_owners: BrandOwnerPolicy = BrandOwnerPolicy()
    identity: ServiceIdentity = ServiceIdentity()

    @cached_property
    def translators(self) -> dict[str, Translator]:
        """Each language's catalogue with the configured agencies' and reports' names in it."""
        def entries(language: str) -> dict[str, str]:
            found: dict[str, str] = {}
            for agency in self.agencies.values():
                found.update(agency.catalogue(language))
            for report in self.calendar.reports.values():
                found.update(report.catalogue(language))
            return found

        return {language: translator(language, entries(language)) for language in LANGUAGES}

    @cached_property
    def boundaries(self) -> Boundaries | None:
        """Where each commune or ward lies, if configured; read when first asked for: shapely
        and numpy take 0.1 s to import, which `intake export` and the other commands that
        place no pin do without. A server reads it at start (`read_in_full`)."""
        if self.boundaries_file is None:
            return None
        return load_boundaries(self.boundaries_file, self.places.communes)

    def read_in_full(self) -> ReferenceData:
        """Itself, with what is otherwise read on first use read now: a server reads every
        file at start, so that a broken one stops the start."""
        self.boundaries  # noqa: B018 (a cached property: reading it loads the file)
        return self

    def translator(self, language: str) -> Translator:
        return self.translators.get(language) or self.translators["vi"]


def load_reference(config_dir: Path) -> ReferenceData:
    agencies = load_agencies(config_dir / "agencies.toml")
    places = load_places(config_dir / "communes.toml")
    return ReferenceData(
        agencies=agencies,
        # Criminal referrals are never routed: a rule may not name the police.
        rules=load_rules(config_dir / "routing.toml", {
            code for code, agency in agencies.items() if not agency.criminal_referrals},
            places.communes),
        places=places,
        service_levels=load_service_levels(config_dir / "sla.toml", config_dir / "holidays.toml",
                                           agencies),
        calendar=load_calendar(config_dir / "reporting.toml"),
        witnesses=load_witnesses(config_dir / "audit.toml"),
        boundaries_file=config_dir / "boundaries.geojson",
        brand_owners=load_brand_policy(config_dir / "brand_owners.toml"),
        identity=load_identity(config_dir / "service.toml", places.authority),
    )
