"""The search page's GET form: the query and its filters. Choices are read when the form is
made, so new departments, themes and regions appear without a restart. A filter value that
is not one of the choices is reported and left out; the query itself goes to the engine as
typed, which says clearly what is wrong with it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from onestop.catalog import selectors as catalog
from onestop.catalog.enums import ItemLevel, ItemType, OnlineDepth
from onestop.core.regions import region_children, region_districts
from onestop.search.names import name_in_language
from onestop.search.selectors import SearchFilters

PAGE_SIZE = 10
MAX_PAGE = 1000

AUDIENCE_CHOICES = [
    ("", _("Anyone")),
    ("natural", _("Individuals")),
    ("legal", _("Businesses and organisations")),
]


def _with_any(label: Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


# Counting each theme's published items takes a noticeable part of a second at city scale;
# the filter lists change only when the catalog's vocabulary does, so they are kept a while.
CATALOG_CHOICES_KEY = "search:filter-choices:v2"
CATALOG_CHOICES_SECONDS = 300


def catalog_choices() -> dict[str, list[tuple[str, str]]]:
    """The city's departments and the themes that have services, as (code, name); a
    theme's name in the current language."""
    choices = cache.get(CATALOG_CHOICES_KEY)
    if choices is None:
        choices = {
            "departments": [
                (d.code, d.name) for d in catalog.department_list() if d.parent_id is None
            ],
            "themes": [
                (t.code, t.name, t.name_i18n.get("zh-hant", ""), t.name_i18n.get("en", ""))
                for t in catalog.theme_list()
            ],
        }
        cache.set(CATALOG_CHOICES_KEY, choices, CATALOG_CHOICES_SECONDS)
    language = get_language() or "zh-hans"
    return {
        "departments": choices["departments"],
        "themes": [
            (code, name_in_language(name, hant, english, language))
            for code, name, hant, english in choices["themes"]
        ],
    }


def district_choices() -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in region_districts().filter(is_administrative=True)]


def street_choices(district_code: str) -> list[tuple[str, str]]:
    district = region_districts().filter(code=district_code).first()
    if district is None:
        return []
    return [(r.code, r.name) for r in region_children(district).filter(is_administrative=True)]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for a service"), required=False, strip=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    street = forms.ChoiceField(label=_("Street or town"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    item_type = forms.ChoiceField(label=_("Kind of service"), required=False)
    theme = forms.ChoiceField(label=_("Life event or topic"), required=False)
    audience = forms.ChoiceField(label=_("For"), required=False, choices=AUDIENCE_CHOICES)
    online_depth = forms.ChoiceField(label=_("How far online"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["level"].choices = _with_any(_("All levels"), list(ItemLevel.choices))
        fields["district"].choices = _with_any(_("All districts"), district_choices())
        district = self.data.get("district", "") if self.is_bound else ""
        streets = street_choices(district) if district else []
        fields["street"].choices = _with_any(_("All streets and towns"), streets)
        known = catalog_choices()
        fields["department"].choices = _with_any(_("All departments"), known["departments"])
        fields["item_type"].choices = _with_any(_("All kinds"), list(ItemType.choices))
        fields["theme"].choices = _with_any(_("All life events and topics"), known["themes"])
        fields["online_depth"].choices = _with_any(_("Any"), list(OnlineDepth.choices))

    @property
    def has_streets(self) -> bool:
        return len(self.fields["street"].choices) > 1  # type: ignore[attr-defined]

    def _valid(self, name: str) -> Any:
        """The field's value if it passed, else its empty value: one bad filter does not
        throw away the others."""
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get(name) if name not in self.errors else None

    def query(self) -> str:
        return self.data.get("q", "") if self.is_bound else ""

    def page_number(self) -> int:
        return self._valid("page") or 1

    def filters(self) -> SearchFilters:
        return SearchFilters(
            level=self._valid("level") or None,
            region_code=self._valid("street") or self._valid("district") or None,
            department_code=self._valid("department") or None,
            item_type=self._valid("item_type") or None,
            theme_code=self._valid("theme") or None,
            audience=self._valid("audience") or None,
            online_depth=self._valid("online_depth") or None,
        )

    def filter_errors(self) -> list[str]:
        """One line per filter left out, for the page to say so."""
        return [
            _("%(field)s: %(message)s") % {"field": self.fields[name].label, "message": message}
            for name, messages in self.errors.items()
            if name != "page"
            for message in messages
        ]

    def active_filter_count(self) -> int:
        filters = self.filters()
        return sum(
            1
            for value in (
                filters.level,
                filters.region_code,
                filters.department_code,
                filters.item_type,
                filters.theme_code,
                filters.audience,
                filters.online_depth,
            )
            if value
        )


class RegionPreferenceForm(forms.Form):
    """The citizen's own district, which search ranks first. Empty clears the choice."""

    region = forms.ChoiceField(
        label=_("Your district"),
        required=False,
        widget=forms.Select(attrs={"aria-describedby": "region-help"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _with_any(  # type: ignore[attr-defined]
            _("No preference"), district_choices()
        )
