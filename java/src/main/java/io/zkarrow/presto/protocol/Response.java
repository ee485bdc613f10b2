package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The responses of {@code NativeCatalog.call}, one record per shape ({@link Request#responseType()}
 * names the one of each op).
 */
public final class Response {
    private Response() {}

    /** {@code {}}. */
    public record Empty() {}

    /** {@code {"table": Table}}, or {@code {"table": null}} from get_table for no such table. */
    public record TableResult(@JsonProperty("table") Table table) {}

    /** describe_tables: the tables, sorted by schema then table. */
    public record TableDescriptions(@JsonProperty("tables") List<Table> tables) {
        public TableDescriptions {
            requireNonNull(tables, "tables is null");
        }
    }

    public record SchemaList(@JsonProperty("schemas") List<String> schemas) {
        public SchemaList {
            requireNonNull(schemas, "schemas is null");
        }
    }

    public record TableList(@JsonProperty("tables") List<TableName> tables) {
        public TableList {
            requireNonNull(tables, "tables is null");
        }
    }

    public record TableName(
            @JsonProperty("schema") String schema, @JsonProperty("table") String table) {
        public TableName {
            requireNonNull(schema, "schema is null");
            requireNonNull(table, "table is null");
        }
    }

    /** plan_new_table: the planned table and the directory its writers write into. */
    public record NewTablePlan(
            @JsonProperty("new_table") NewTable newTable,
            @JsonProperty("data_dir") String dataDir) {
        public NewTablePlan {
            requireNonNull(newTable, "new_table is null");
            requireNonNull(dataDir, "data_dir is null");
        }
    }

    /** commit, rollback_to_snapshot: the new snapshot and how often the commit re-based. */
    public record CommitOutcome(
            @JsonProperty("snapshot_id") long snapshotId,
            @JsonProperty("manifest") String manifest,
            @JsonProperty("retries") long retries) {}

    public record SplitList(@JsonProperty("splits") List<Split> splits) {
        public SplitList {
            requireNonNull(splits, "splits is null");
        }
    }

    /** resolve_version: the snapshot a time travel clause selects. */
    public record ResolvedVersion(@JsonProperty("snapshot_id") long snapshotId) {}

    /** snapshots: newest first. */
    public record SnapshotList(@JsonProperty("snapshots") List<Snapshot> snapshots) {
        public SnapshotList {
            requireNonNull(snapshots, "snapshots is null");
        }
    }

    public record Snapshot(
            @JsonProperty("snapshot_id") long snapshotId,
            @JsonProperty("parent_id") Long parentId,
            @JsonProperty("committed_at_ms") long committedAtMs,
            @JsonProperty("operation") String operation,
            @JsonProperty("query_id") String queryId,
            @JsonProperty("summary") SnapshotSummary summary,
            @JsonProperty("total_rows") Long totalRows,
            @JsonProperty("total_files") Long totalFiles,
            @JsonProperty("manifest") String manifest) {}

    public record SnapshotSummary(
            @JsonProperty("added_files") Long addedFiles,
            @JsonProperty("added_rows") Long addedRows,
            @JsonProperty("removed_files") Long removedFiles,
            @JsonProperty("removed_rows") Long removedRows) {}

    public record FileList(@JsonProperty("files") List<DataFile> files) {
        public FileList {
            requireNonNull(files, "files is null");
        }
    }

    /**
     * table_statistics: the snapshot's row count and, when it keeps column statistics, estimates
     * per column (an empty list when it does not).
     */
    public record TableStatistics(
            @JsonProperty("snapshot_id") long snapshotId,
            @JsonProperty("row_count") long rowCount,
            @JsonProperty("columns") List<ColumnStatistics> columns) {
        public TableStatistics {
            requireNonNull(columns, "columns is null");
        }
    }

    /**
     * Estimates for one column, by id; null members are unknown. {@code low} / {@code high}: the
     * range as Presto's statistics represent the type's values (Rust decides which types have one).
     */
    public record ColumnStatistics(
            @JsonProperty("column_id") long columnId,
            @JsonProperty("null_fraction") double nullFraction,
            @JsonProperty("distinct_count") Long distinctCount,
            @JsonProperty("data_size") Long dataSize,
            @JsonProperty("low") Double low,
            @JsonProperty("high") Double high) {}

    /** expire_snapshots: the ids of the snapshots it forgot. */
    public record ExpiredSnapshots(@JsonProperty("expired") List<Long> expired) {
        public ExpiredSnapshots {
            requireNonNull(expired, "expired is null");
        }
    }

    /** remove_orphan_files: the files removed (or, in a dry run, that would be). */
    public record OrphanFiles(
            @JsonProperty("dry_run") boolean dryRun, @JsonProperty("files") List<String> files) {
        public OrphanFiles {
            requireNonNull(files, "files is null");
        }
    }

    /**
     * optimize: files of the snapshot it read before and after the replace, what it rewrote and
     * wrote, registered files it left ({@code skipped_files}), and the snapshot it committed
     * ({@code committed} false: nothing to compact, {@code snapshot_id} is the current one).
     */
    public record OptimizeReport(
            @JsonProperty("files_before") long filesBefore,
            @JsonProperty("files_after") long filesAfter,
            @JsonProperty("rewritten_files") long rewrittenFiles,
            @JsonProperty("written_files") long writtenFiles,
            @JsonProperty("rows") long rows,
            @JsonProperty("bytes_before") long bytesBefore,
            @JsonProperty("bytes_after") long bytesAfter,
            @JsonProperty("skipped_files") long skippedFiles,
            @JsonProperty("base_snapshot_id") long baseSnapshotId,
            @JsonProperty("snapshot_id") long snapshotId,
            @JsonProperty("committed") boolean committed,
            @JsonProperty("retries") long retries) {}

    public record LockList(@JsonProperty("locks") List<Lock> locks) {
        public LockList {
            requireNonNull(locks, "locks is null");
        }
    }

    /**
     * One lock node of a table: {@code holder} as its data names it; {@code zkarrow} false for
     * another client's lock node on the same path (then {@code holder.node} is its data as text).
     */
    public record Lock(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("node_name") String nodeName,
            @JsonProperty("sequence") Long sequence,
            @JsonProperty("holder") LockHolder holder,
            @JsonProperty("created_at_ms") Long createdAtMs,
            @JsonProperty("zkarrow") Boolean zkarrow) {}

    public record LockHolder(
            @JsonProperty("node") String node,
            @JsonProperty("query_id") String queryId,
            @JsonProperty("since_ms") Long sinceMs) {}

    public record NodeList(@JsonProperty("nodes") List<NodeInfo> nodes) {
        public NodeList {
            requireNonNull(nodes, "nodes is null");
        }
    }

    /** config: the settings this node applies, and why {@code <root>/config} was not (or null). */
    public record Settings(
            @JsonProperty("settings") List<Setting> settings, @JsonProperty("error") String error) {
        public Settings {
            requireNonNull(settings, "settings is null");
        }
    }

    /** {@code source}: default, catalog or zookeeper. */
    public record Setting(
            @JsonProperty("key") String key,
            @JsonProperty("value") String value,
            @JsonProperty("source") String source,
            @JsonProperty("description") String description) {}

    public record ZnodeList(@JsonProperty("znodes") List<Znode> znodes) {
        public ZnodeList {
            requireNonNull(znodes, "znodes is null");
        }
    }

    public record Znode(
            @JsonProperty("path") String path,
            @JsonProperty("data") String data,
            @JsonProperty("data_length") Long dataLength,
            @JsonProperty("version") Long version,
            @JsonProperty("created_at_ms") Long createdAtMs,
            @JsonProperty("modified_at_ms") Long modifiedAtMs,
            @JsonProperty("ephemeral_owner") Long ephemeralOwner,
            @JsonProperty("children") Long children) {}

    /** counters: this node's. */
    public record Counters(
            @JsonProperty("zookeeper_requests") long zookeeperRequests,
            @JsonProperty("cache_hits") long cacheHits,
            @JsonProperty("cache_misses") long cacheMisses) {}
}
