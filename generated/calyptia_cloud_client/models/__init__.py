"""Contains all the data models used in inputs/outputs"""

from .create_project import CreateProject
from .created_project import CreatedProject
from .deleted import Deleted
from .error import Error
from .membership import Membership
from .membership_role import MembershipRole
from .project import Project
from .project_settings import ProjectSettings
from .update_project import UpdateProject
from .update_project_set_settings import UpdateProjectSetSettings
from .user import User

__all__ = (
    "CreatedProject",
    "CreateProject",
    "Deleted",
    "Error",
    "Membership",
    "MembershipRole",
    "Project",
    "ProjectSettings",
    "UpdateProject",
    "UpdateProjectSetSettings",
    "User",
)
