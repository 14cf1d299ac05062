"""The library functions behind the commands that span stages: push, pull, status, review, project, serve.

The cli calls these; they call the stage packages."""
