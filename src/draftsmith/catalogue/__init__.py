"""The catalogue of named editor resources: animations, effects, filters, transitions, fonts,
masks, blend modes and audio effects, with the ids a draft needs to use them.

Source: the metadata that pyJianYingDraft (Apache-2.0) maintains, turned into
`pyjianyingdraft.json` by `scripts/gen_catalogue.py`. The server reads that file rather than
importing pyJianYingDraft at run time: importing the package imports pymediainfo and imageio,
which the server does not otherwise need, and a generated file pins exactly which names a
release knows (tests/parity/test_catalogue.py checks it against the installed package).

Not covered, because pyJianYingDraft keeps no list of them: text effects (花字) and stickers.
Those come from the lists capcut-mate (Apache-2.0) ships, shipped here too
(`capcut_mate_stickers.json`, `capcut_mate_text_effects.json`, see NOTICE), each replaced by
the operator's file when one is named (`DRAFTSMITH_STICKER_CATALOGUE`,
`DRAFTSMITH_TEXT_EFFECT_CATALOGUE`): `operator.py`. The service holds the `OperatorCatalogue`
built at start-up, whose `text_effect_id(name_or_id)` resolves a text effect.

Editing verbs resolve names with `lookup(kind, name, field=...)`, which raises `UnknownName`
(a 400 naming the field, with close matches) for names the catalogue does not know.
"""

from draftsmith.catalogue.data import Catalogue, Entry, Kind, Param, entries, load
from draftsmith.catalogue.names import find, lookup, normalize, search, suggestions

__all__ = [
    "Catalogue",
    "Entry",
    "Kind",
    "Param",
    "entries",
    "find",
    "load",
    "lookup",
    "normalize",
    "search",
    "suggestions",
]
