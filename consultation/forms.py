"""Forms: the resident's comment (the statutory form), the planner's consultation and position."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from consultation import rules
from consultation.models import Comment, ConsultationEvent
from consultation.submission import (
    PlaceError,
    check_attachment,
    check_place,
    geometry_from_geojson,
    max_attachments,
    parcels_by_identifier,
    zone_of_draft,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class CommentForm(forms.Form):
    """Fields of the form of Dz.U. 2023 poz. 2509 as art. 8g ust. 2 u.p.z.p. requires them."""

    submitter_kind = forms.ChoiceField(
        label=_("I submit as"), choices=Comment.Submitter.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("First name and surname, or name of the organisation"), max_length=200
    )
    address = forms.CharField(label=_("Address of residence or seat"), max_length=300)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    topic = forms.ChoiceField(
        label=_("Topic (optional)"),
        choices=Comment.Topic.choices,
        initial=Comment.Topic.OTHER,
        required=False,
    )
    content = forms.CharField(
        label=_("Content of the comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    property_right = forms.ChoiceField(
        label=_("Are you the owner or perpetual usufructuary of the property concerned?"),
        choices=Comment.Right.choices,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(widget=forms.HiddenInput, required=False)
    parcels = forms.CharField(
        label=_("Parcels (identifiers, separated by commas)"), required=False, max_length=500
    )
    zone = forms.CharField(
        label=_("Zone of the draft (designation, e.g. 1MN)"), required=False, max_length=40
    )
    attachments = MultipleFileField(label=_("Attachments (PDF, JPEG or PNG)"), required=False)
    confirm = forms.BooleanField(
        label=_("I confirm that the data above are correct and I submit the comment.")
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation

    def clean_topic(self):
        return self.cleaned_data.get("topic") or Comment.Topic.OTHER

    def clean_attachments(self):
        files = [f for f in self.cleaned_data.get("attachments") or [] if f]
        if len(files) > max_attachments():
            raise forms.ValidationError(_("At most %(n)d attachments.") % {"n": max_attachments()})
        checked = []
        for upload in files:
            try:
                checked.append((upload, check_attachment(upload)))
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return checked

    def clean_place(self):
        text = self.cleaned_data.get("place", "").strip()
        if not text:
            return None
        try:
            geom = geometry_from_geojson(text)
            check_place(consultation=self.consultation, geom=geom)
        except PlaceError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return geom

    def clean_parcels(self):
        try:
            return ", ".join(
                parcels_by_identifier(
                    consultation=self.consultation, text=self.cleaned_data["parcels"]
                )
            )
        except PlaceError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_zone(self):
        try:
            return zone_of_draft(
                consultation=self.consultation, designation=self.cleaned_data["zone"]
            )
        except PlaceError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("place") or data.get("parcels") or data.get("zone")):
            raise forms.ValidationError(
                _(
                    "Show what the comment is about: mark a place on the map, give parcels or a zone."
                )
            )
        return data


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    first_day = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(
        label=_("Last day for comments"), widget=forms.DateInput(attrs={"type": "date"})
    )
    announcement = forms.CharField(
        label=_("Announcement (art. 8h)"), widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"] = forms.ModelChoiceField(label=_("Draft plan"), queryset=plans)

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day"):
            try:
                rules.check_period(first_day=data["first_day"], last_day=data["last_day"])
            except rules.RuleError as exc:
                self.add_error("last_day", str(exc))
        return data


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Form"), choices=ConsultationEvent.Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=300)


class BaseEventFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        kinds = {f.cleaned_data["kind"] for f in self.forms if f.cleaned_data.get("kind")}
        try:
            rules.check_forms(kinds)
        except rules.RuleError as exc:
            raise forms.ValidationError(str(exc)) from exc


EventFormSet = formset_factory(EventForm, formset=BaseEventFormSet, extra=3)


class PositionForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Position"),
        choices=[c for c in Comment.Position.choices if c[0]],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of comment no. (optional)"), required=False, min_value=1
    )


class ExtendForm(forms.Form):
    last_day = forms.DateField(
        label=_("New last day for comments"), widget=forms.DateInput(attrs={"type": "date"})
    )
