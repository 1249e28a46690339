"""Type stubs for khabar's Python bindings (the native module khabar._khabar)."""

import datetime
from os import PathLike
from typing import Any, Iterable, Literal, TypedDict

__version__: str

Profile = Literal["search", "light"]
Layers = Literal["all", "text"]
DateLike = str | datetime.date | None

class ModelError(ValueError):
    """A model file that is damaged, truncated, of another version or not a khabar model."""

class Token(TypedDict):
    start: int
    end: int
    text: str
    norm: str
    segments: list[str]
    stem: str
    kind: Literal["word", "number", "punct", "latin", "symbol"]

class RawToken(TypedDict):
    start: int
    end: int
    text: str
    kind: Literal["word", "number", "punct", "latin", "symbol"]

class Analysis(TypedDict, total=False):
    """The contract's document: see CONTRACT.md for every field."""

    schema: int
    text: str
    date: str | None
    tokens: list[Token]
    sentences: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    repairs: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    entity_index: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    times: list[dict[str, Any]]
    amounts: list[Amount]

class Amount(TypedDict):
    """A quantity: `value` in units of `unit` (an int when whole, else a float)."""

    start: int
    end: int
    text: str
    kind: Literal["money", "percent", "count", "number"]
    value: int | float
    unit: str | None
    approx: bool

class Pipeline:
    """The analysis pipeline on the built-in models, or on model files given by path.

    Build one and reuse it; it is safe to share between threads.

    Raises ValueError for an unknown profile or layers, OSError for a model file that
    cannot be read, and ModelError for one that is not a valid khabar model.
    """

    def __init__(
        self,
        profile: Profile = "search",
        layers: Layers = "all",
        *,
        ner_model: str | PathLike[str] | None = None,
        segmenter_model: str | PathLike[str] | None = None,
        lexicon: str | PathLike[str] | None = None,
        ner_convention: Literal["news", "anercorp"] = "news",
    ) -> None:
        """`ner_convention="news"` (default) also reports institutions named by their
        function (وزارة الخارجية المصرية, الحكومة الأردنية) as ORG; `"anercorp"` follows
        ANERcorp's annotation, which leaves them out."""
    @property
    def stages(self) -> list[str]:
        """The stages, in the order they run."""
    def analyze(self, text: str, date: DateLike = None, *, fields: str | Iterable[str] | None = None) -> Analysis:
        """Analyzes one text (GIL released while it runs).

        ``date`` (``YYYY-MM-DD`` or a ``datetime.date``) resolves relative times.
        ``fields`` (``"entities,quotes"`` or ``["entities", "quotes"]``) chooses the
        top-level fields to compute and return (``schema`` and ``text`` always; default
        all); the stages no chosen field needs do not run.
        Raises ValueError for an invalid date, an unknown field or a text over 16 MiB.
        """
    def analyze_batch(
        self, texts: Iterable[str], dates: Iterable[DateLike] | None = None, *, fields: str | Iterable[str] | None = None
    ) -> list[Analysis]:
        """Analyzes many texts on all cores with the GIL released, in input order.

        The result equals ``[analyze(t, d, fields=fields) for t, d in zip(texts, dates)]``.
        Errors name the offending item (``texts[3]: …``).
        """

def normalize(text: str, profile: Profile = "search") -> str:
    """Normalizes text for matching (``search``) or only harmlessly (``light``)."""

def tokenize(text: str) -> list[RawToken]:
    """Splits text into tokens with Python-index offsets (no glued-word repair)."""
