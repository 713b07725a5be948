-- +goose Up
-- The bytes of evidence files on PostgreSQL, where several servers share one database and no folder: one row per
-- distinct content, named by its SHA-256 (hex). SQLite keeps its files in the data folder (blobs/ab/cdef...) and
-- leaves this table empty. BYTEA is PostgreSQL's byte type; SQLite accepts the name as it is, so both engines
-- declare the same columns. Backups carry the files separately (blobs/ in the archive), never this table.
CREATE TABLE blobs (
    sha256  TEXT PRIMARY KEY,
    size    BIGINT NOT NULL,
    content BYTEA NOT NULL
);

-- +goose Down
DROP TABLE blobs;
