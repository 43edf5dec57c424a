-- The collector's ClickHouse schema, single node. Idempotent: run at every
-- start of the collector.
--
-- {db} is a placeholder for the database name, which the collector
-- substitutes (a plain text replace of every `{db}`; the name must be a bare
-- identifier, [A-Za-z_][A-Za-z0-9_]*) before it sends the statements.
-- ClickHouse's HTTP interface takes one statement per request: the
-- collector splits this file on `;` at the end of a line, after dropping the
-- `--` comment lines; no statement has a `;` or a `--` inside it.
--
-- Checked on ClickHouse 18.16.1 (Debian bookworm's clickhouse-server), which
-- is the oldest server this has to run on; everything here is also valid on
-- current releases. 18.16 forms used on purpose:
--   * engines with parentheses (`MergeTree()`), and `PARTITION BY`/`ORDER BY`
--     clauses (the "custom partitioning" syntax, in 18.16 already);
--   * the materialized views write `TO` an explicit table, so the rollups are
--     ordinary tables (queried, dropped, replicated like any other) and a view
--     can be recreated without losing data;
--   * the views' columns are matched to the target table's by name, so each
--     SELECT names its columns exactly as the table does, with its types.

CREATE DATABASE IF NOT EXISTS {db};

-- One row per accepted report, as sent: nothing about the sender (no
-- receive time, no address). `id` is the report's random 128-bit id in
-- lowercase hex, kept to reject replays (see the query at the end).
-- The report's counts (the fixed-length vector of clipped counts, each
-- 0..1023) are kept sparse: `nonzero_cells` holds the 0-based indices of the
-- nonzero cells, ascending, and `nonzero_counts` their counts; every other
-- cell is 0. A cell's index is its place in schema 2's vector (1,092 cells),
-- which begins with schema 1's 758, so the two schemas share indices. A day
-- fills a few dozen of the cells; stored dense, the
-- zeros were most of ClickHouse's work per report (its CPU per stored report
-- in the collector's benchmark: about 70 us dense, 40 sparse).
-- Monthly partitions: an insert writes a part per partition it touches, and
-- the reports of one insert span the last few days; daily partitions cost
-- ClickHouse another third (28-32 us a report against 38-39). Old months are
-- dropped with ALTER TABLE ... DROP PARTITION.
CREATE TABLE IF NOT EXISTS {db}.reports
(
    day Date,
    id FixedString(32),
    schema UInt16,
    extension String,
    browser Enum8('firefox' = 1, 'chrome' = 2),
    nonzero_cells Array(UInt16),
    nonzero_counts Array(UInt16)
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (day, id);

-- Per day and cell: the sum of the counts and the number of reports in which
-- the cell was nonzero. Only nonzero cells get rows. Rows are summed when
-- parts merge, at no set time, so always read it with sum() ... GROUP BY:
--   SELECT day, cell, sum(total), sum(contributors) FROM {db}.cells
--   WHERE day BETWEEN ... GROUP BY day, cell
CREATE TABLE IF NOT EXISTS {db}.cells
(
    day Date,
    cell UInt16,
    total UInt64,
    contributors UInt64
)
ENGINE = SummingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (day, cell);

-- Fed from every INSERT into reports (each inserted block is aggregated on
-- its own; the table sums the blocks).
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.cells_mv TO {db}.cells
AS SELECT
    day,
    cell,
    sum(toUInt64(n)) AS total,
    count() AS contributors
FROM {db}.reports
ARRAY JOIN nonzero_cells AS cell, nonzero_counts AS n
GROUP BY day, cell;

-- Reports per day, the denominator for the cells; read it with
--   SELECT day, sum(reports) FROM {db}.days GROUP BY day
CREATE TABLE IF NOT EXISTS {db}.days
(
    day Date,
    reports UInt64
)
ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.days_mv TO {db}.days
AS SELECT
    day,
    count() AS reports
FROM {db}.reports
GROUP BY day;

-- Reports per day and schema: a schema-1 report has no counts in the cells
-- schema 2 added after its 758 (CRLs, the leaves' revocation information),
-- so those cells are read against the schema-2 reports of the day. Read it
-- with
--   SELECT day, schema, sum(reports) FROM {db}.day_schemas GROUP BY day, schema
-- Added with schema 2. A database made before it holds reports the view
-- below never saw: when day_schemas_mv is missing, the collector (re)creates
-- day_schemas and fills it from reports before it creates the view, with no
-- insert in between (it inserts only once it is serving); see
-- src/store/clickhouse.rs. A view in place means the table is complete.
CREATE TABLE IF NOT EXISTS {db}.day_schemas
(
    day Date,
    schema UInt16,
    reports UInt64
)
ENGINE = SummingMergeTree()
ORDER BY (day, schema);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.day_schemas_mv TO {db}.day_schemas
AS SELECT
    day,
    schema,
    count() AS reports
FROM {db}.reports
GROUP BY day, schema;

-- Replay detection, before an insert (not run by this file): the ids of a
-- batch that are already stored for their day, e.g.
--   SELECT id FROM {db}.reports WHERE day = '2025-01-31' AND id IN ('0123...', ...)
-- The (day, id) sorting key makes this a range read of one day's partition.
