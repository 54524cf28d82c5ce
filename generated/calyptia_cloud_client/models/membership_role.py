from enum import StrEnum


class MembershipRole(StrEnum):
    ADMIN = "admin"
    CREATOR = "creator"

    def __str__(self) -> str:
        return str(self.value)
