"""CRM: SQLAlchemy models, migrations, repositories and services over the shared database."""
