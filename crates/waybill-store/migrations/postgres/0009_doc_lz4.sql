-- Documents are 2 to 4 KB of JSON, so PostgreSQL compresses each one as it is stored. LZ4 costs
-- about a quarter less server CPU than the default pglz on a bulk load (see BENCHMARKS.md) and
-- decompresses faster on reads. It applies to rows written from now on; older rows keep pglz,
-- which PostgreSQL reads as before. A server without LZ4 (built without it, or older than 14)
-- keeps pglz: this is an optimization, never a reason to fail the upgrade.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE records ALTER COLUMN doc SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'documents stay pglz-compressed: %', SQLERRM;
END
$$;
