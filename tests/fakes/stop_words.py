"""English stop words for tests of generated text: words a theme vocabulary must not use."""

from __future__ import annotations

_STOP_WORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now d ll m o re ve y ain aren
    couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn wasn weren won wouldn
    thanks thank error code trying try tried please help question answer anyone hello hi
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
"""NLTK's English stop words, and the Stack Overflow boilerplate a text cleaner also drops."""
