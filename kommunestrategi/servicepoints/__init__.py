"""Service points: where citizens meet their municipality and the state (both countries).

A workspace has a service-point layer (and one per scenario): service centres
("en dörr in", at least one per municipality is the Swedish aim), fixed service
points and mobile ones (a route of stops with a visiting schedule), each with the
agencies present and opening hours. ``model`` holds the types and checks,
``layers`` stores a layer in the workspace, ``importing`` reads point and
population-grid files, ``coverage`` answers "does each municipality have a service
centre, and what share of its inhabitants live within N km of a point?" - from an
imported population grid when there is one, otherwise estimated from municipal
centres (and said so).
"""

from kommunestrategi.servicepoints.coverage import CoverageResult, MunicipalityCoverage, compute_coverage
from kommunestrategi.servicepoints.model import AGENCIES, KINDS, ServicePoint, ServicePointError, Stop

__all__ = ["AGENCIES", "KINDS", "CoverageResult", "MunicipalityCoverage", "ServicePoint", "ServicePointError",
           "Stop", "compute_coverage"]
