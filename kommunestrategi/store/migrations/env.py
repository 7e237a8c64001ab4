"""Alembic environment: runs on the connection the store hands over.

The store calls Alembic programmatically (``Store.open``) with an open
connection in ``config.attributes["connection"]``, so migrations need neither an
``alembic.ini`` nor a particular working directory.
"""

from alembic import context

from kommunestrategi.store.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
