from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

SCORES = [
    ("5", _("5 – very satisfied")),
    ("4", _("4 – satisfied")),
    ("3", _("3 – neither")),
    ("2", _("2 – dissatisfied")),
    ("1", _("1 – very dissatisfied")),
]


class SurveyForm(forms.Form):
    score = forms.ChoiceField(
        label=_("How satisfied are you with how your request was handled?"),
        choices=SCORES,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional; read only by the gmina's administrators)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, question: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if question:
            self.fields["score"].label = question

    def clean_comment(self) -> str:
        return self.cleaned_data["comment"].replace("\x00", "").strip()
