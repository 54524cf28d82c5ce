from enum import StrEnum


class MembershipRole(StrEnum):
    ADMIN = "admin"
    CREATOR = "creator"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> "MembershipRole | None":
        """An open enum: a value the API adds later parses instead of failing the whole call.
        It is a member of this class that is not one of the names above, equal to its string."""
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member
