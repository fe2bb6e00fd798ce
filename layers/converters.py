"""URL converters: a parcel identifier keeps its slash (``…/123/4/``)."""

from layers.identifiers import parse_parcel_id


class ParcelIdConverter:
    regex = r"\d{6}_\d\.\d{4}\.(?:AR_\d{1,4}\.)?\d{1,6}(?:/\d{1,5})?"

    def to_python(self, value: str) -> str:
        return str(parse_parcel_id(value))

    def to_url(self, value: str) -> str:
        return str(value)
