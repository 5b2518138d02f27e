"""The fast <select> renderer writes exactly what Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from gcmtracker.forms import FastSelectRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "A & B"), ("b", '"Quoted" <b>')], required=False)
    grouped = forms.ChoiceField(
        choices=[("Europe", [("fr", "France"), ("de", "Germany")]), ("Africa", [("ke", "Kenya")]), ("x", "Other")]
    )
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, "Three")], required=False)
    attrs = forms.ChoiceField(
        choices=[("y", "Yes")],
        widget=forms.Select(attrs={"aria-describedby": "help <x>", "disabled": True, "data-off": False}),
    )


DATA = {"plain": "b", "grouped": "ke", "many": ["1", "3"], "attrs": "y"}


@pytest.mark.parametrize("name", ["plain", "grouped", "many", "attrs"])
@pytest.mark.parametrize("data", [DATA, None], ids=["bound", "unbound"])
def test_select_markup_is_django_templates_own(name, data):
    django_html = str(Sample(data, renderer=DjangoTemplates())[name])
    fast_html = str(Sample(data, renderer=FastSelectRenderer())[name])
    assert fast_html == django_html
    assert "<select" in fast_html


def test_model_choices_and_errors_render_the_same(db):
    from recommendations.filtersets import RecommendationFilterSet
    from recommendations.models import Recommendation

    data = {"theme": "no-such-theme", "kind": "practical", "commitment": "3"}

    def fields(renderer):
        form = RecommendationFilterSet(data, queryset=Recommendation.objects.all()).form
        form.renderer = renderer
        return [str(field) for field in form]

    assert fields(FastSelectRenderer()) == fields(DjangoTemplates())


def test_other_widgets_still_use_their_templates():
    form = forms.Form(renderer=FastSelectRenderer())
    form.fields["when"] = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    form.fields["yes"] = forms.BooleanField()
    assert str(form["when"]) == '<input type="date" name="when" required id="id_when">'
    assert str(form["yes"]) == '<input type="checkbox" name="yes" required id="id_yes">'
