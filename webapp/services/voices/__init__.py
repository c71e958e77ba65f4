"""Brand voices: a workspace's own voices, beside the built-in ones (vocabulary.Voice).

Every member of the workspace reads them; admins and the owner manage them
(Permission.MANAGE), and only while the workspace's plan holder (its owner) is on the
starter plan or above. A generation request names one as ``custom:<id>``; the worker
renders it into instructions for the model (`brief_voice`).
"""

from .core import (
    CUSTOM_PREFIX,
    DESCRIPTION_MAX,
    EXAMPLE_MAX,
    EXAMPLES_MAX,
    NAME_MAX,
    RULE_MAX,
    RULES_MAX,
    brand_voices_allowed,
    catalogue,
    create_voice,
    custom_id,
    delete_voice,
    get_voice_or_404,
    list_voices,
    plan_of,
    reference,
    update_voice,
)
from .generating import brief_voice, check_generation_voice, guide_of, names_of

__all__ = [
    "CUSTOM_PREFIX",
    "DESCRIPTION_MAX",
    "EXAMPLES_MAX",
    "EXAMPLE_MAX",
    "NAME_MAX",
    "RULES_MAX",
    "RULE_MAX",
    "brand_voices_allowed",
    "brief_voice",
    "catalogue",
    "check_generation_voice",
    "create_voice",
    "custom_id",
    "delete_voice",
    "get_voice_or_404",
    "guide_of",
    "list_voices",
    "names_of",
    "plan_of",
    "reference",
    "update_voice",
]
