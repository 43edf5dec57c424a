-- The collector's ClickHouse schema for a cluster: documentation of the
-- replicated, sharded form of collector/sql/clickhouse.sql (same tables,
-- same columns, same queries). The project's tests and benchmarks run the
-- single-node file; this one is not part of them.
--
-- Placeholders, as in clickhouse.sql: {db} is the database name, replaced
-- by the caller (plain text replace). {shard} and {replica} are NOT replaced
-- by the caller: they are the server's own macros, from each server's
-- <macros> config, and must reach ClickHouse as written. The cluster is
-- named `revoscope` in every server's <remote_servers>, and the servers need
-- <zookeeper> (replication and ON CLUSTER DDL) and <distributed_ddl>.
-- Statements end with `;` at the end of a line, comment lines start with `--`.
--
-- Layout: on every server, *_local tables hold that shard's data
-- (Replicated*MergeTree, one ZooKeeper path per shard, one replica name per
-- server); the materialized views read the local reports table and write the
-- local rollups, so each insert is rolled up once, on the replica that took
-- it, and the rolled-up parts replicate like any other (a replica fetching a
-- part of reports_local doesn't fire the views). reports, cells and days are
-- Distributed tables over the local ones, with the single-node names: the
-- collector inserts into {db}.reports and reads {db}.cells/{db}.days with the
-- same queries as on one node (sums per shard add up, as they are always
-- read with sum() ... GROUP BY). Reports are sharded by their id, so a
-- replayed report lands on the shard that holds its first copy.
--
-- What was checked (ClickHouse 18.16.1, Debian's, with Debian's ZooKeeper
-- 3.8 on loopback): every statement of this file, ON CLUSTER, on two
-- servers made into one shard of two replicas and, separately, two shards of
-- one replica each; inserts through {db}.reports, replication of reports and
-- of the rollups to the other replica, and the cells/days/replay queries
-- through the Distributed tables, with the same results as the single-node
-- schema. Not checked: a real multi-host cluster. The sparse counts
-- (nonzero_cells, nonzero_counts, and cells_mv reading them) came after that
-- check and were run on a single node only.

CREATE DATABASE IF NOT EXISTS {db} ON CLUSTER revoscope;

CREATE TABLE IF NOT EXISTS {db}.reports_local ON CLUSTER revoscope
(
    day Date,
    id FixedString(32),
    schema UInt16,
    extension String,
    browser Enum8('firefox' = 1, 'chrome' = 2),
    nonzero_cells Array(UInt16),
    nonzero_counts Array(UInt16)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{db}/reports', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (day, id);

CREATE TABLE IF NOT EXISTS {db}.cells_local ON CLUSTER revoscope
(
    day Date,
    cell UInt16,
    total UInt64,
    contributors UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{db}/cells', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (day, cell);

CREATE TABLE IF NOT EXISTS {db}.days_local ON CLUSTER revoscope
(
    day Date,
    reports UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{db}/days', '{replica}')
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.cells_mv ON CLUSTER revoscope TO {db}.cells_local
AS SELECT
    day,
    cell,
    sum(toUInt64(n)) AS total,
    count() AS contributors
FROM {db}.reports_local
ARRAY JOIN nonzero_cells AS cell, nonzero_counts AS n
GROUP BY day, cell;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.days_mv ON CLUSTER revoscope TO {db}.days_local
AS SELECT
    day,
    count() AS reports
FROM {db}.reports_local
GROUP BY day;

-- Reports per day and schema (schema 2). On a database made before it, fill
-- day_schemas_local from reports_local on every replica set before the view
-- exists, with no inserts running (the single-node collector does this at
-- start, src/store/clickhouse.rs); it was not part of the cluster check above.
CREATE TABLE IF NOT EXISTS {db}.day_schemas_local ON CLUSTER revoscope
(
    day Date,
    schema UInt16,
    reports UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{db}/day_schemas', '{replica}')
ORDER BY (day, schema);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.day_schemas_mv ON CLUSTER revoscope TO {db}.day_schemas_local
AS SELECT
    day,
    schema,
    count() AS reports
FROM {db}.reports_local
GROUP BY day, schema;

-- The collector's tables. An INSERT into reports is split by shard and
-- forwarded (asynchronously unless insert_distributed_sync = 1).
CREATE TABLE IF NOT EXISTS {db}.reports ON CLUSTER revoscope
AS {db}.reports_local
ENGINE = Distributed(revoscope, {db}, reports_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS {db}.cells ON CLUSTER revoscope
AS {db}.cells_local
ENGINE = Distributed(revoscope, {db}, cells_local);

CREATE TABLE IF NOT EXISTS {db}.days ON CLUSTER revoscope
AS {db}.days_local
ENGINE = Distributed(revoscope, {db}, days_local);

CREATE TABLE IF NOT EXISTS {db}.day_schemas ON CLUSTER revoscope
AS {db}.day_schemas_local
ENGINE = Distributed(revoscope, {db}, day_schemas_local);
