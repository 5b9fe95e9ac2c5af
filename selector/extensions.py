"""Extension instances, created unbound and initialised in the application factory."""

from __future__ import annotations

import ipaddress

from flask import current_app
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints let Alembic alter and drop them the same way on SQLite and PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
cache = Cache()
babel = Babel()


def client_key() -> str:
    """Whom a rate limit counts: the client's address, or for IPv6 its /64, which a provider
    gives one customer whole (so that hopping between its addresses does not reset a limit)."""
    address = get_remote_address()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


limiter = Limiter(key_func=client_key)
#: Every POST of a client counts against one limit, whether it goes to the form or an API.
post_limit = limiter.shared_limit(lambda: current_app.config["POST_RATE_LIMIT"], scope="post")
#: Result pages and decision records that miss the worker's store count against one limit.
result_limit = limiter.shared_limit(lambda: current_app.config["RESULT_RATE_LIMIT"], scope="result")
