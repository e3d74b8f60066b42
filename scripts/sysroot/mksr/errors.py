"""Errors that mksysroot reports to the user as one line, without a traceback."""


class MksrError(Exception):
    """Any failure the user can act on: printed as 'mksysroot: <message>'."""


class SpecError(MksrError):
    """A problem in a spec file, located at file:line when the location is known."""

    def __init__(self, msg, where=None):
        self.where = where
        super().__init__(f"{where}: {msg}" if where else msg)


class ToolError(MksrError):
    """A missing or failing external tool (rpmbuild, createrepo_c, gpg...)."""
