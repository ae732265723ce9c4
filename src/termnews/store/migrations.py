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
    # 5: sync with a Google Reader API server. Local changes to read/saved state
    #    and to subscriptions are queued by triggers, in the same transaction as
    #    the change, so no code path (the reader, the CLI, another process) can
    #    forget one and a killed process loses none. The sync's own writes set
    #    the sync_applying flag inside their transaction, so they are not queued.
    (
        """CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE sync_sources (
            source_id INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
            stream_id TEXT NOT NULL UNIQUE
        )""",
        """CREATE TABLE sync_items (
            item_id INTEGER PRIMARY KEY,
            post_id INTEGER UNIQUE REFERENCES posts (id) ON DELETE SET NULL,
            is_read INTEGER NOT NULL DEFAULT 0,
            is_starred INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE sync_queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL
                CHECK (kind IN ('read', 'starred', 'subscribe', 'unsubscribe')),
            target TEXT NOT NULL,
            value TEXT NOT NULL DEFAULT '',
            changed_at REAL NOT NULL
        )""",
        "CREATE TABLE sync_applying (flag INTEGER PRIMARY KEY)",
        """CREATE TRIGGER sync_queue_read AFTER UPDATE OF read_at ON posts
            WHEN (old.read_at IS NULL) != (new.read_at IS NULL)
                AND NOT EXISTS (SELECT 1 FROM sync_applying)
            BEGIN
                INSERT INTO sync_queue (kind, target, value, changed_at)
                SELECT 'read', item_id, CASE WHEN new.read_at IS NULL THEN '0' ELSE '1' END,
                    coalesce(new.read_at, (julianday('now') - 2440587.5) * 86400.0)
                FROM sync_items WHERE post_id = new.id;
            END""",
        """CREATE TRIGGER sync_queue_starred AFTER UPDATE OF saved_at ON posts
            WHEN (old.saved_at IS NULL) != (new.saved_at IS NULL)
                AND NOT EXISTS (SELECT 1 FROM sync_applying)
            BEGIN
                INSERT INTO sync_queue (kind, target, value, changed_at)
                SELECT 'starred', item_id, CASE WHEN new.saved_at IS NULL THEN '0' ELSE '1' END,
                    coalesce(new.saved_at, (julianday('now') - 2440587.5) * 86400.0)
                FROM sync_items WHERE post_id = new.id;
            END""",
        """CREATE TRIGGER sync_queue_subscribe AFTER INSERT ON sources
            WHEN (new.kind = 'feed' OR new.feed_url IS NOT NULL)
                AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'account')
                AND NOT EXISTS (SELECT 1 FROM sync_applying)
            BEGIN
                INSERT INTO sync_queue (kind, target, value, changed_at)
                VALUES ('subscribe', coalesce(new.feed_url, new.url),
                    new.title || char(10) || new.tags, new.created_at);
            END""",
        """CREATE TRIGGER sync_queue_unsubscribe BEFORE DELETE ON sources
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
            BEGIN
                INSERT INTO sync_queue (kind, target, value, changed_at)
                SELECT 'unsubscribe', stream_id, '', (julianday('now') - 2440587.5) * 86400.0
                FROM sync_sources WHERE source_id = old.id;
            END""",
    ),
    # 6: the sources pane's unread counts: one grouped query over the unread posts
    #    only (a small partial index), instant at 100,000 posts and 1,000 sources.
    ("CREATE INDEX posts_unread ON posts (source_id) WHERE read_at IS NULL",),
]

SCHEMA_VERSION = len(MIGRATIONS)
