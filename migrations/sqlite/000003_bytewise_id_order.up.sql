-- SQLite already compares text bytewise (BINARY collation): nothing to change. This migration
-- keeps the version numbers of both dialects in step (see the PostgreSQL one).
SELECT 1;
