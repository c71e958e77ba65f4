"""Review: what a team does with a finished draft.

- `editing`: content changes under optimistic locking (`item_version`), per channel;
- `channel_content`: a channel's content object re-derived from its source of truth;
- `revisions`: every content change kept, compared and restorable;
- `quotes`: finding a quoted passage in a post;
- `approval`: the review state table and "approval required";
- `comments`, `sharing`, `suggestions`, `notifications`: discussion, guest links, model
  suggestions (the `ai_edit` job) and review mail.
"""
