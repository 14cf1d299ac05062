"""The library functions behind the commands that span stages (push, pull, status). The cli calls
these; they call the stage packages."""
