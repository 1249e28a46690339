"""khabar: Arabic news understanding.

>>> import khabar
>>> nlp = khabar.Pipeline()
>>> doc = nlp.analyze("قال الرئيس إن الاجتماع كان مثمرا.", date="2017-08-01")
>>> [t["text"] for t in doc["tokens"]][:3]
['قال', 'الرئيس', 'إن']

Every result follows khabar's JSON contract (CONTRACT.md): the original ``text``
untouched and every annotation a span whose ``start``/``end`` are Python string
indices into it, so ``doc["text"][e["start"]:e["end"]] == e["text"]``.
"""

from ._khabar import ModelError, Pipeline, __version__, normalize, tokenize

__all__ = ["Pipeline", "ModelError", "normalize", "tokenize", "__version__"]
