"""The decision form: a radio group per single-valued answer of the decision contract, a group of
checkboxes per multi-valued one.

WTForms renders and protects it (CSRF); marshmallow's DecisionInput validates
what it posts. The wording of each question comes from content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from selector.engine.answers import ANSWERS, MULTI, REQUIRED, Value, as_lists


class Question(Protocol):
    """What the form reads of a question's wording (content/loaded.py's Question)."""

    @property
    def key(self) -> str: ...
    @property
    def prompt(self) -> str: ...
    @property
    def help(self) -> str: ...
    @property
    def choices(self) -> Sequence[Mapping[str, str]]: ...


SKIP = ("", _l("Skip this question"))


class DecisionForm(FlaskForm):
    pass


class CheckboxesField(SelectMultipleField):
    """Several values of one answer, each a checkbox: usable without script."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


for _key in ANSWERS:
    # Choices are checked by DecisionInput, so WTForms does not check them again.
    _field = CheckboxesField if _key in MULTI else RadioField
    setattr(DecisionForm, _key, _field(_key, validate_choice=False))


def decision_form(
    questions: Sequence[Question],
    data: Mapping[str, Value] | None = None,
    formdata: MultiDict[str, str] | None = None,
) -> DecisionForm:
    """The form with the content's wording, filled from data or from what was posted.

    What was posted is always handed in, never read from the request by Flask-WTF: a body
    that is not a form (JSON, say) then gives an empty form rather than an error.
    """
    form = DecisionForm(formdata=formdata, data=as_lists(data or {}))
    for question in questions:
        field = form[question.key]
        field.label.text = question.prompt
        field.description = question.help
        field.choices = [(c["value"], c["label"]) for c in question.choices]
        if question.key not in REQUIRED and question.key not in MULTI:
            field.choices.append((SKIP[0], str(SKIP[1])))
    return form
