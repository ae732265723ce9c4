-- A termnews database at schema version 5, with data.
-- Generated once from v4.sql and migration 5; never edit: tests migrate it to the current schema.
PRAGMA user_version = 5;
CREATE TABLE sources (
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
        );
CREATE TABLE posts (
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
        );
CREATE UNIQUE INDEX posts_identity ON posts (source_id, identity);
CREATE UNIQUE INDEX posts_library_identity ON posts (identity) WHERE source_id IS NULL;
CREATE INDEX posts_recent ON posts (sort_key DESC, id DESC);
CREATE INDEX posts_source_recent ON posts (source_id, sort_key DESC);
CREATE INDEX posts_url ON posts (url);
CREATE INDEX posts_saved ON posts (saved_at) WHERE saved_at IS NOT NULL;
CREATE TABLE documents (
            post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            fetched_at REAL NOT NULL
        );
CREATE VIRTUAL TABLE post_fts USING fts5 (title, body, tokenize = 'unicode61');
INSERT INTO "documents" VALUES(1,'{"url": "http://example.test/one", "title": "First post", "byline": "Jane", "published": null, "site_name": "Example", "lead_image": null, "note": null, "blocks": [{"type": "heading", "level": 2, "inlines": [{"t": "Zebra crossing"}]}, {"type": "paragraph", "inlines": [{"t": "The saved body text with a "}, {"t": "link", "href": "http://example.test/x"}]}]}',1793660000.0);
INSERT INTO "documents" VALUES(3,'{"url": "http://library.test/page", "title": "A saved page", "byline": "Jane", "published": null, "site_name": "Example", "lead_image": null, "note": null, "blocks": [{"type": "heading", "level": 2, "inlines": [{"t": "Zebra crossing"}]}, {"type": "paragraph", "inlines": [{"t": "The saved body text with a "}, {"t": "link", "href": "http://example.test/x"}]}]}',1793400000.0);
INSERT INTO "posts" VALUES(1,1,'guid-1','http://example.test/one','First post','Jane',1793600000.0,1793600000.0,'<p>Alpha</p>','Alpha summary',1793650000.0,1793660000.0,0.4,1793600000.0);
INSERT INTO "posts" VALUES(2,1,'guid-2','http://example.test/two','Second post','',1793500000.0,1793500000.0,'','Bravo summary',NULL,NULL,0.0,1793500000.0);
INSERT INTO "posts" VALUES(3,NULL,'http://library.test/page','http://library.test/page','A saved page','Ann',NULL,1793400000.0,'','',1793400000.0,1793400000.0,1.0,1793400000.0);
INSERT INTO "sources" VALUES(1,'http://example.test/feed.xml','Example News','feed','http://example.test/feed.xml','"abc"','Wed, 04 Nov 2026 10:00:00 GMT',1793700000.0,NULL,NULL,NULL,'Tech',1793000000.0);
INSERT INTO post_fts (rowid, title, body) VALUES (1, 'First post', 'Zebra crossing The saved body text with a link');
INSERT INTO post_fts (rowid, title, body) VALUES (2, 'Second post', 'Bravo summary');
INSERT INTO post_fts (rowid, title, body) VALUES (3, 'A saved page', 'Zebra crossing The saved body text with a link');
ALTER TABLE posts ADD COLUMN doc_error TEXT;
ALTER TABLE posts ADD COLUMN doc_tried_at REAL;
CREATE INDEX posts_added ON posts (added_at);
UPDATE posts SET doc_error = 'HTTP 404 Not Found', doc_tried_at = 1793600000 WHERE id = 2;
CREATE TABLE pruned (
            source_id INTEGER NOT NULL,
            identity TEXT NOT NULL,
            pruned_at REAL NOT NULL,
            PRIMARY KEY (source_id, identity)
        ) WITHOUT ROWID;
INSERT INTO pruned VALUES(1,'guid-0',1793000000.0);
ALTER TABLE sources ADD COLUMN fetch_note TEXT;
CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
CREATE TABLE sync_sources (
            source_id INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
            stream_id TEXT NOT NULL UNIQUE
        );
CREATE TABLE sync_items (
            item_id INTEGER PRIMARY KEY,
            post_id INTEGER UNIQUE REFERENCES posts (id) ON DELETE SET NULL,
            is_read INTEGER NOT NULL DEFAULT 0,
            is_starred INTEGER NOT NULL DEFAULT 0
        );
CREATE TABLE sync_queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL
                CHECK (kind IN ('read', 'starred', 'subscribe', 'unsubscribe')),
            target TEXT NOT NULL,
            value TEXT NOT NULL DEFAULT '',
            changed_at REAL NOT NULL
        );
CREATE TABLE sync_applying (flag INTEGER PRIMARY KEY);
CREATE TRIGGER sync_queue_read AFTER UPDATE OF read_at ON posts
            WHEN (old.read_at IS NULL) != (new.read_at IS NULL)
                AND NOT EXISTS (SELECT 1 FROM sync_applying)
            BEGIN
                INSERT INTO sync_queue (kind, target, value, changed_at)
                SELECT 'read', item_id, CASE WHEN new.read_at IS NULL THEN '0' ELSE '1' END,
                    coalesce(new.read_at, (julianday('now') - 2440587.5) * 86400.0)
                FROM sync_items WHERE post_id = new.id;
            END;
CREATE TRIGGER sync_queue_starred AFTER UPDATE OF saved_at ON posts
            WHEN (old.saved_at IS NULL) != (new.saved_at IS NULL)
                AND NOT EXISTS (SELECT 1 FROM sync_applying)
            BEGIN
                INSERT INTO sync_queue (kind, target, value, changed_at)
                SELECT 'starred', item_id, CASE WHEN new.saved_at IS NULL THEN '0' ELSE '1' END,
                    coalesce(new.saved_at, (julianday('now') - 2440587.5) * 86400.0)
                FROM sync_items WHERE post_id = new.id;
            END;
CREATE TRIGGER sync_queue_subscribe AFTER INSERT ON sources
            WHEN (new.kind = 'feed' OR new.feed_url IS NOT NULL)
                AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'account')
                AND NOT EXISTS (SELECT 1 FROM sync_applying)
            BEGIN
                INSERT INTO sync_queue (kind, target, value, changed_at)
                VALUES ('subscribe', coalesce(new.feed_url, new.url),
                    new.title || char(10) || new.tags, new.created_at);
            END;
CREATE TRIGGER sync_queue_unsubscribe BEFORE DELETE ON sources
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
            BEGIN
                INSERT INTO sync_queue (kind, target, value, changed_at)
                SELECT 'unsubscribe', stream_id, '', (julianday('now') - 2440587.5) * 86400.0
                FROM sync_sources WHERE source_id = old.id;
            END;
