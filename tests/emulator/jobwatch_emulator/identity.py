# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who the emulator accepts: default credentials, kept in this one place.

A jobs file may override any field under ``"credentials"`` (same names as below;
``projects`` maps region name to project id). Huawei Cloud (AK/SK, IAM user, projects) and
Alibaba Cloud (``ali_*``: a permanent AccessKey pair and an STS triple) are separate accounts.
"""

import dataclasses
from typing import Mapping, Optional

DEFAULT_PROJECTS = {
    "cn-north-4": "0123456789abcdef0123456789abcdef",
    "ap-southeast-1": "fedcba9876543210fedcba9876543210",
}
DEFAULT_DATAARTS_WORKSPACE = "0833a5737480d53b2f250010d01a7b88"


@dataclasses.dataclass(frozen=True)
class Identity:
    """One cloud account with one IAM user, a permanent and a temporary key pair."""

    access_key: str = "EMULATORAK0000000001"
    secret_key: str = "emulator-secret-key-0000000000000000"
    temporary_access_key: str = "EMULATORTMPAK0000001"
    temporary_secret_key: str = "emulator-temp-secret-00000000000000000"
    security_token: str = "emulator-security-token-0001"
    user_name: str = "demo-user"
    user_id: str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    password: str = "demo-password-1"
    domain_name: str = "demo-domain"
    domain_id: str = "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    projects: Mapping[str, str] = dataclasses.field(default_factory=lambda: dict(DEFAULT_PROJECTS))
    # More projects, id -> name, that share a name with a region's project: IAM then lists several projects
    # for ``?name=REGION``, which the official SDK refuses to choose from ("Multiple project ids found").
    more_projects: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # The DataArts Studio workspace used when a request sends no ``workspace`` header.
    dataarts_default_workspace: str = DEFAULT_DATAARTS_WORKSPACE
    # Alibaba Cloud: a RAM user's AccessKey pair, and STS temporary credentials (AK, secret, token).
    ali_access_key: str = "EMULATORALIAK0000001"
    ali_secret_key: str = "emulator-ali-secret-000000000000000000"
    ali_sts_access_key: str = "STS.EMULATORALIAK01"
    ali_sts_secret_key: str = "emulator-ali-sts-secret-0000000000000"
    ali_sts_token: str = "emulator-ali-sts-token-0001"

    @classmethod
    def with_overrides(cls, overrides: Optional[Mapping[str, object]]) -> "Identity":
        """The defaults with the given fields replaced; unknown names are an error."""
        overrides = dict(overrides or {})
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError("unknown credentials field(s): %s (known: %s)" % (", ".join(unknown), ", ".join(sorted(known))))
        if "projects" in overrides and (not isinstance(overrides["projects"], Mapping) or not overrides["projects"]):
            raise ValueError("credentials.projects must map region names to project ids (at least one)")
        if not isinstance(overrides.get("more_projects", {}), Mapping):
            raise ValueError("credentials.more_projects must map project ids to project names")
        return cls(**overrides)

    @property
    def default_project_id(self) -> str:
        """The project of the first region: where jobs live unless they name another."""
        return next(iter(self.projects.values()))

    def secret_for(self, access_key: str) -> Optional[str]:
        """The secret key of an access key, or None when the account has no such key."""
        return {self.access_key: self.secret_key, self.temporary_access_key: self.temporary_secret_key}.get(access_key)

    def is_temporary(self, access_key: str) -> bool:
        """Temporary keys are only valid together with their security token."""
        return access_key == self.temporary_access_key

    def ali_secret_for(self, access_key: str) -> Optional[str]:
        """The AccessKey secret of an Alibaba AccessKey id (permanent or STS), or None."""
        return {self.ali_access_key: self.ali_secret_key, self.ali_sts_access_key: self.ali_sts_secret_key}.get(access_key)

    def ali_is_sts(self, access_key: str) -> bool:
        """STS AccessKeys are only valid together with their security token."""
        return access_key == self.ali_sts_access_key

    def all_projects(self):
        """(name, id) of every project of this account, the regions' own first."""
        return list(self.projects.items()) + [(name, pid) for pid, name in self.more_projects.items()]

    def region_of(self, project_id: str) -> Optional[str]:
        """The region (project name) of a project id of this account."""
        for name, pid in self.all_projects():
            if pid == project_id:
                return name
        return None

    def owns_project(self, project_id: str) -> bool:
        return self.region_of(project_id) is not None
