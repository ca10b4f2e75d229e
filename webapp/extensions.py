"""Flask extensions, created unbound and attached in :func:`webapp.create_app`."""
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every model (geo, reports, ...)."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
