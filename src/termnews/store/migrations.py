"""The database schema as an ordered list of migrations; migration N sets user_version N.

Never edit a migration that has shipped: add a new one. Each is tested from a
database built at the version before it.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, ...]] = [
    # 1: sources, posts, documents and the full-text index.
    (
        """CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL CHECK (kind IN ('feed', 'site')),
            feed_url TEXT,
            etag TEXT,
            last_modified TEXT,
            last_refresh REAL,
            last_error TEXT,
            last_error_at REAL,
            retry_after REAL,
            tags TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL
        )""",
        """CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            source_id INTEGER REFERENCES sources (id),
            identity TEXT NOT NULL,
            url TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            published REAL,
            sort_key REAL NOT NULL,
            content TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            read_at REAL,
            saved_at REAL,
            position REAL NOT NULL DEFAULT 0,
            added_at REAL NOT NULL
        )""",
        "CREATE UNIQUE INDEX posts_identity ON posts (source_id, identity)",
        "CREATE UNIQUE INDEX posts_library_identity ON posts (identity) WHERE source_id IS NULL",
        "CREATE INDEX posts_recent ON posts (sort_key DESC, id DESC)",
        "CREATE INDEX posts_source_recent ON posts (source_id, sort_key DESC)",
        "CREATE INDEX posts_url ON posts (url)",
        "CREATE INDEX posts_saved ON posts (saved_at) WHERE saved_at IS NOT NULL",
        """CREATE TABLE documents (
            post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            fetched_at REAL NOT NULL
        )""",
        "CREATE VIRTUAL TABLE post_fts USING fts5 (title, body, tokenize = 'unicode61')",
    ),
    # 2: remember failed article downloads, so prefetch retries politely and saved
    #    posts whose page could not be fetched are retried later.
    (
        "ALTER TABLE posts ADD COLUMN doc_error TEXT",
        "ALTER TABLE posts ADD COLUMN doc_tried_at REAL",
        "CREATE INDEX posts_added ON posts (added_at)",
    ),
    # 3: remember what retention pruned, so a feed that still lists an old entry
    #    does not bring it back as a new unread post on every refresh.
    (
        """CREATE TABLE pruned (
            source_id INTEGER NOT NULL,
            identity TEXT NOT NULL,
            pruned_at REAL NOT NULL,
            PRIMARY KEY (source_id, identity)
        ) WITHOUT ROWID""",
    ),
    # 4: what the last fetch of a source left out ("2 items skipped (…)"), for `list`.
    ("ALTER TABLE sources ADD COLUMN fetch_note TEXT",),
]

SCHEMA_VERSION = len(MIGRATIONS)
