"""The decision form: one radio group per answer of the decision contract.

WTForms renders and protects it (CSRF); marshmallow's DecisionInput validates
what it posts. The wording of each question comes from content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_wtf import FlaskForm
from wtforms import RadioField

from selector.answers import ANSWERS, REQUIRED
from selector.models import Question

SKIP = ("", "Skip this question")


class DecisionForm(FlaskForm):
    pass


for _key in ANSWERS:
    # Choices are checked by DecisionInput, so WTForms does not check them again.
    setattr(DecisionForm, _key, RadioField(_key, validate_choice=False))


def decision_form(
    questions: Sequence[Question], data: Mapping[str, str] | None = None
) -> DecisionForm:
    """The form with the content's wording; posted data is bound unless data is given."""
    form = DecisionForm(formdata=None, data=data) if data is not None else DecisionForm()
    for question in questions:
        field = form[question.key]
        field.label.text = question.prompt
        field.description = question.help
        field.choices = [(c["value"], c["label"]) for c in question.choices]
        if question.key not in REQUIRED:
            field.choices.append(SKIP)
    return form
