"""What a server runs for bench/frameworks.py, copied beside a sample's app.py.

The sample's application is its module's `app`, or what its `create_app()` returns. A Django
sample configures its settings in its own module; a real project's settings differ from that
minimum in ways that cost time per request, so before the sample is imported
`settings.configure` is wrapped to add them: the middleware and apps `django-admin
startproject` writes (read from the installed Django's own template) and, when the sample has
a database, CONN_MAX_AGE from the environment. `BENCH_ASGI=1` serves Django's ASGI handler.
Runs in the samples' environment, not the site's.

    python served.py    # prints the Django settings that matter, as Django read them
"""

from __future__ import annotations

import ast
import json
import os
import secrets
from pathlib import Path
from typing import Any

DJANGO = "BENCH_CONN_MAX_AGE" in os.environ


def _startproject(name: str) -> list[str]:
    """A list setting as `django-admin startproject` writes it for the installed Django."""
    import django

    template = Path(django.__file__).parent / "conf/project_template/project_name/settings.py-tpl"
    for node in ast.parse(template.read_text()).body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name:
            return list(ast.literal_eval(node.value))
    raise LookupError(f"{name} is not in {template}")


def _project_settings() -> None:
    from django.conf import LazySettings

    configure = LazySettings.configure

    def with_project_settings(
        self: LazySettings, default_settings: Any = None, **options: Any
    ) -> None:
        project_apps = _startproject("INSTALLED_APPS")
        apps = [a for a in options.get("INSTALLED_APPS", []) if a not in project_apps]
        options["INSTALLED_APPS"] = [*project_apps, *apps]
        options["MIDDLEWARE"] = _startproject("MIDDLEWARE")
        # Signed cookies need a key, as startproject writes one; nothing signed is measured,
        # so each process may draw its own.
        options.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        for database in options.get("DATABASES", {}).values():
            database["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])
        if default_settings is None:
            configure(self, **options)
        else:
            configure(self, default_settings, **options)

    # The class, not the instance: LazySettings sets instance attributes on the settings.
    LazySettings.configure = with_project_settings  # type: ignore[method-assign]


if DJANGO:
    _project_settings()

import app as sample  # noqa: E402  (after the settings are wrapped)

application = sample.app if hasattr(sample, "app") else sample.create_app()
if os.environ.get("BENCH_ASGI") == "1":
    from django.core.asgi import get_asgi_application

    application = get_asgi_application()


def django_settings() -> dict[str, str]:
    """The settings that matter to speed, as the running Django reads them."""
    from django.conf import settings

    read = {
        "DEBUG": repr(settings.DEBUG),
        "MIDDLEWARE": ", ".join(m.rsplit(".", 1)[1] for m in settings.MIDDLEWARE),
    }
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.dummy":  # Django's stand-in for no database
        read["CONN_MAX_AGE"] = repr(database["CONN_MAX_AGE"])
    return read


if __name__ == "__main__":
    print(json.dumps(django_settings() if DJANGO else {}))
