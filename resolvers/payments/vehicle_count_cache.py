"""The public weekly VIN counts are cached like reports, made stale by each registration."""

from domain.payments.vehicles import VEHICLE_REGISTERED

REGISTRATIONS = "vehicle_registrations"
CACHE_FAMILIES_BY_EVENT = {VEHICLE_REGISTERED: frozenset({REGISTRATIONS})}
